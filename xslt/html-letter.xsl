<?xml version="1.0" encoding="UTF-8"?>
<!--
  html-letter.xsl: one TEI letter -> its HTML page in the static edition.

  Parameter $persons: the personography document (names, links to the person index).
  The page links to index.html, persons.html, archives.html and the previous/next
  letter (correspContext), all relative, so the site opens from file://.
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:f="urn:corresptei:functions"
    xmlns="http://www.w3.org/1999/xhtml"
    xpath-default-namespace="http://www.tei-c.org/ns/1.0"
    exclude-result-prefixes="#all"
    expand-text="yes">

  <xsl:import href="html-common.xsl"/>

  <xsl:output method="xhtml" html-version="5" encoding="UTF-8" indent="no"
      omit-xml-declaration="yes" include-content-type="no"/>

  <xsl:template match="/">
    <xsl:apply-templates select="TEI"/>
  </xsl:template>

  <xsl:template match="TEI">
    <xsl:call-template name="page">
      <xsl:with-param name="title" select="f:title(.)"/>
      <xsl:with-param name="lang" select="(@xml:lang, 'en')[1]"/>
      <xsl:with-param name="content-of" select="."/>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="TEI" mode="page-content">
    <article class="letter" id="{@xml:id}">
      <h1>{f:title(.)}</h1>
      <xsl:call-template name="chain"/>
      <xsl:call-template name="metadata"/>
      <xsl:call-template name="texts"/>
      <xsl:call-template name="chain"/>
    </article>
  </xsl:template>

  <!-- ===================================================== prev / next -->

  <xsl:template name="chain">
    <xsl:variable name="ctx" select="teiHeader/profileDesc/correspDesc/correspContext"/>
    <nav class="chain" aria-label="Previous and next letter">
      <xsl:for-each select="$ctx/ref[@type = 'prev'][1]">
        <a class="prev" rel="prev" href="{f:html-href(@target)}">
          <span aria-hidden="true">← </span>Previous: {normalize-space(.)}</a>
      </xsl:for-each>
      <xsl:for-each select="$ctx/ref[@type = 'next'][1]">
        <a class="next" rel="next" href="{f:html-href(@target)}">Next: {normalize-space(.)}<span aria-hidden="true"> →</span></a>
      </xsl:for-each>
    </nav>
  </xsl:template>

  <!-- ==================================================== metadata panel -->

  <xsl:template name="metadata">
    <xsl:variable name="tei" select="."/>
    <xsl:variable name="date" select="f:letter-date(.)"/>
    <section class="meta" aria-labelledby="meta-h">
      <h2 id="meta-h">About this letter</h2>
      <dl>
        <xsl:call-template name="people">
          <xsl:with-param name="label" select="'From'"/>
          <xsl:with-param name="actions" select="f:actions(., 'sent')"/>
        </xsl:call-template>
        <xsl:call-template name="people">
          <xsl:with-param name="label" select="'To'"/>
          <xsl:with-param name="actions" select="f:actions(., 'received')[not(@subtype = 'copy')]"/>
        </xsl:call-template>
        <xsl:call-template name="people">
          <xsl:with-param name="label" select="'Copy to'"/>
          <xsl:with-param name="actions" select="f:actions(., 'received')[@subtype = 'copy']"/>
        </xsl:call-template>
        <xsl:call-template name="people">
          <xsl:with-param name="label" select="'Transmitted by'"/>
          <xsl:with-param name="actions" select="f:actions(., 'transmitted')"/>
        </xsl:call-template>
        <dt>Date</dt>
        <dd>
          <xsl:choose>
            <xsl:when test="$date">
              <time datetime="{($date/@when, $date/@notBefore, $date/@from)[1]}">
                <xsl:apply-templates select="$date" mode="body"/>
              </time>
              <xsl:if test="$date/@evidence">
                <xsl:text> </xsl:text><span class="editorial-note">({f:date-evidence($date)})</span>
              </xsl:if>
            </xsl:when>
            <xsl:otherwise><span class="editorial-note">undated</span></xsl:otherwise>
          </xsl:choose>
        </dd>
        <xsl:call-template name="event">
          <xsl:with-param name="label" select="'Sent'"/>
          <xsl:with-param name="action" select="f:actions(., 'sent')[date[@type = 'dispatch'] or placeName][1]"/>
          <xsl:with-param name="type" select="'dispatch'"/>
        </xsl:call-template>
        <xsl:call-template name="event">
          <xsl:with-param name="label" select="'Received'"/>
          <xsl:with-param name="action" select="f:actions(., 'received')[date[@type = 'receipt'] or placeName][1]"/>
          <xsl:with-param name="type" select="'receipt'"/>
        </xsl:call-template>
        <dt>Kind</dt>
        <dd>{f:kind(.)}</dd>
        <dt>Archival reference</dt>
        <dd>
          <xsl:variable name="witnesses" select="f:witnesses(.)"/>
          <xsl:choose>
            <xsl:when test="$witnesses">
              <xsl:variable name="cites" select="f:citations($tei)[@where = 'witness']"/>
              <ul class="witnesses">
                <xsl:for-each select="$witnesses">
                  <xsl:variable name="pos" select="string(position())"/>
                  <xsl:variable name="cite" select="$cites[@n = $pos]"/>
                  <li>
                    <span class="citation"><xsl:apply-templates select="." mode="citation"/></span>
                    <xsl:if test="$cite">
                      <xsl:text> </xsl:text>
                      <a class="file-link" href="archives.html#{f:file-id($cite)}">(archival file index)</a>
                    </xsl:if>
                    <xsl:for-each select="physDesc">
                      <br/><span class="physdesc">Physical description: {normalize-space(.)}</span>
                    </xsl:for-each>
                    <xsl:for-each select="msIdentifier/repository">
                      <br/><span class="repository">{normalize-space(.)}</span>
                    </xsl:for-each>
                  </li>
                </xsl:for-each>
              </ul>
            </xsl:when>
            <xsl:otherwise><span class="editorial-note">The edition prints no archival reference.</span></xsl:otherwise>
          </xsl:choose>
        </dd>
        <dt>Source</dt>
        <dd>
          <xsl:for-each select="teiHeader/fileDesc/sourceDesc/bibl[@type = 'edition']">
            <cite>{normalize-space(title[1])}</cite>
            <xsl:text> ({string-join((normalize-space(pubPlace), normalize-space(publisher)), ': ')}, {normalize-space(date)})</xsl:text>
            <xsl:for-each select="biblScope[@unit = 'page']">, pp. {normalize-space(.)}</xsl:for-each>
          </xsl:for-each>
        </dd>
        <xsl:if test="count(text/body/div) gt 1">
          <dt>Texts</dt>
          <dd>{string-join(for $d in text/body/div return f:div-label($d), '; ')}</dd>
        </xsl:if>
      </dl>
    </section>
  </xsl:template>

  <xsl:template name="people">
    <xsl:param name="label" as="xs:string"/>
    <xsl:param name="actions" as="element(correspAction)*"/>
    <xsl:if test="$actions/persName">
      <dt>{$label}</dt>
      <dd>
        <xsl:for-each select="$actions/persName">
          <xsl:if test="position() gt 1">, </xsl:if>
          <xsl:choose>
            <xsl:when test="@ref">
              <a class="person" href="persons.html#{f:person-id(@ref)}">{f:person-name(., $persons)}</a>
            </xsl:when>
            <xsl:otherwise>{f:person-name(., $persons)}</xsl:otherwise>
          </xsl:choose>
        </xsl:for-each>
      </dd>
    </xsl:if>
  </xsl:template>

  <!-- Telegram dispatch / receipt: place and time. -->
  <xsl:template name="event">
    <xsl:param name="label" as="xs:string"/>
    <xsl:param name="action" as="element(correspAction)?"/>
    <xsl:param name="type" as="xs:string"/>
    <xsl:if test="$action">
      <dt>{$label}</dt>
      <dd>
        <xsl:value-of select="string-join($action/placeName/normalize-space(), ', ')"/>
        <xsl:for-each select="$action/date[@type = $type]">
          <xsl:if test="$action/placeName">, </xsl:if>
          <time datetime="{(@when, @notBefore, @from)[1]}">{normalize-space(.)}</time>
        </xsl:for-each>
      </dd>
    </xsl:if>
  </xsl:template>

  <!-- ================================================================ texts -->

  <xsl:template name="texts">
    <xsl:variable name="divs" select="text/body/div"/>
    <xsl:choose>
      <xsl:when test="$divs[@type = 'original'] and $divs[@type = 'translation']">
        <!-- the original beside the translation(s) -->
        <div class="parallel">
          <div class="column translations">
            <xsl:apply-templates select="$divs[not(@type = 'original')]" mode="section"/>
          </div>
          <div class="column originals">
            <xsl:apply-templates select="$divs[@type = 'original']" mode="section"/>
          </div>
        </div>
      </xsl:when>
      <xsl:otherwise>
        <xsl:apply-templates select="$divs" mode="section"/>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template match="div" mode="section">
    <xsl:variable name="labelled" select="count(../div) gt 1"/>
    <section class="text {@type}" aria-label="{f:div-label(.)}">
      <xsl:apply-templates select="@xml:lang" mode="body"/>
      <xsl:if test="$labelled">
        <p class="div-label" lang="en">{f:div-label(.)}</p>
      </xsl:if>
      <xsl:apply-templates select="node()" mode="body">
        <xsl:with-param name="level" select="2" tunnel="yes"/>
      </xsl:apply-templates>
      <xsl:call-template name="notes">
        <xsl:with-param name="div" select="."/>
      </xsl:call-template>
    </section>
  </xsl:template>

  <!-- An end note (marker not found) is listed with the notes, not in the text flow. -->
  <xsl:template match="div/note[@place = 'end'][f:is-footnote(.)]" mode="body"/>

</xsl:stylesheet>
