<?xml version="1.0" encoding="UTF-8"?>
<!--
  site-record.xsl: a letter's record in the site index - everything the index
  pages (html-site.xsl) show of one letter, worked out from the letter alone.

  A module, not a stylesheet: it uses the functions of common.xsl, which the
  including stylesheet provides (site-index.xsl includes it, html-site.xsl
  imports it with html-common.xsl).

  <ix:letter stem="…" title="…" kind="…" sort-date="…">
    <ix:date>…</ix:date>          the date cell of the letters table (XHTML content)
    <ix:from>…</ix:from>          the senders, linked to the person index
    <ix:to>…</ix:to>              the addressees, likewise
    <ix:archival>…</ix:archival>  the archival references
    <ix:person role="sent | received | copy | transmitted" id="…"/>
                                  each correspondent, in the order of the actions
    <ix:ref id="…"/>              each person the letter refers to (persName/@ref), once
    <f:cite …/>                   each archival file it cites (common.xsl f:citations)
  </ix:letter>
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:f="urn:corresptei:functions"
    xmlns:ix="urn:corresptei:site-index"
    xmlns="http://www.w3.org/1999/xhtml"
    xpath-default-namespace="http://www.tei-c.org/ns/1.0"
    exclude-result-prefixes="#all"
    expand-text="yes">

  <!-- The correspondents of some actions, each linked to the person index. -->
  <xsl:function name="f:name-links" as="node()*">
    <xsl:param name="actions" as="element(correspAction)*"/>
    <xsl:param name="personography" as="node()?"/>
    <xsl:for-each select="$actions/persName">
      <xsl:if test="position() gt 1">, </xsl:if>
      <a class="person" href="persons.html#{f:person-id(@ref)}">{f:person-name(., $personography)}</a>
    </xsl:for-each>
  </xsl:function>

  <xsl:function name="f:site-record" as="element(ix:letter)">
    <xsl:param name="tei" as="element(TEI)"/>
    <xsl:param name="personography" as="node()?"/>
    <ix:letter stem="{f:stem($tei)}" title="{f:title($tei)}" kind="{f:kind($tei)}"
        sort-date="{f:sort-date($tei)}">
      <ix:date>
        <xsl:variable name="date" select="f:letter-date($tei)"/>
        <xsl:choose>
          <xsl:when test="$date/@evidence">
            <span class="editorial" title="{f:date-evidence($date)}">{normalize-space($date)}</span>
          </xsl:when>
          <xsl:when test="$date">{normalize-space($date)}</xsl:when>
          <xsl:otherwise>undated</xsl:otherwise>
        </xsl:choose>
      </ix:date>
      <ix:from><xsl:sequence select="f:name-links(f:actions($tei, 'sent'), $personography)"/></ix:from>
      <ix:to><xsl:sequence select="f:name-links(f:actions($tei, 'received'), $personography)"/></ix:to>
      <ix:archival>
        <xsl:variable name="witnesses" select="f:witnesses($tei)"/>
        <xsl:for-each select="$witnesses">
          <xsl:if test="position() gt 1"><br/></xsl:if>
          <xsl:value-of select="f:archive-short(msIdentifier/repository) || ' '
              || f:shelfmark(msIdentifier/idno[@type = 'shelfmark'])"/>
        </xsl:for-each>
        <xsl:if test="empty($witnesses)"><span class="editorial-note">none printed</span></xsl:if>
      </ix:archival>
      <xsl:for-each select="f:actions($tei, 'sent')/persName">
        <ix:person role="sent" id="{f:person-id(@ref)}"/>
      </xsl:for-each>
      <xsl:for-each select="f:actions($tei, 'received')[not(@subtype = 'copy')]/persName">
        <ix:person role="received" id="{f:person-id(@ref)}"/>
      </xsl:for-each>
      <xsl:for-each select="f:actions($tei, 'received')[@subtype = 'copy']/persName">
        <ix:person role="copy" id="{f:person-id(@ref)}"/>
      </xsl:for-each>
      <xsl:for-each select="f:actions($tei, 'transmitted')/persName">
        <ix:person role="transmitted" id="{f:person-id(@ref)}"/>
      </xsl:for-each>
      <xsl:for-each select="distinct-values($tei//persName[@ref]/f:person-id(@ref))">
        <ix:ref id="{.}"/>
      </xsl:for-each>
      <xsl:sequence select="f:citations($tei)"/>
    </ix:letter>
  </xsl:function>

</xsl:stylesheet>
