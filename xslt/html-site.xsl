<?xml version="1.0" encoding="UTF-8"?>
<!--
  html-site.xsl: the site index -> the edition's index pages.

  Input: the site index, <ix:index> holding one record per letter in reading
  order (site-index.xsl, made letter by letter in the renderer's letter pass);
  or a teiCorpus holding the personography (TEI xml:id="persons") and the
  letters in reading order, whose records are then made here.
  Parameter $page: index | persons | archives.
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

  <xsl:import href="html-common.xsl"/>
  <xsl:include href="site-record.xsl"/>

  <xsl:output method="xhtml" html-version="5" encoding="UTF-8" indent="no"
      omit-xml-declaration="yes" include-content-type="no"/>

  <xsl:param name="page" as="xs:string" select="'index'"/>

  <xsl:variable name="personography" select="(/teiCorpus/TEI[@xml:id = 'persons'], $persons)[1]"/>
  <!-- the letters' records, in reading order -->
  <xsl:variable name="records" as="element(ix:letter)*">
    <xsl:choose>
      <xsl:when test="/ix:index">
        <xsl:sequence select="/ix:index/ix:letter"/>
      </xsl:when>
      <xsl:otherwise>
        <xsl:variable name="index" as="document-node()">
          <xsl:document>
            <ix:index>
              <xsl:for-each select="/teiCorpus/TEI[not(@xml:id = 'persons')]">
                <xsl:sequence select="f:site-record(., $personography)"/>
              </xsl:for-each>
            </ix:index>
          </xsl:document>
        </xsl:variable>
        <xsl:sequence select="$index/ix:index/ix:letter"/>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:variable>

  <!-- Each page is the page frame (html-common.xsl) around the content of its
       "-content" template, made in mode page-content from the input document. -->
  <xsl:template match="/" mode="page-content">
    <xsl:choose>
      <xsl:when test="$page = 'index'"><xsl:call-template name="index-content"/></xsl:when>
      <xsl:when test="$page = 'persons'"><xsl:call-template name="persons-content"/></xsl:when>
      <xsl:otherwise><xsl:call-template name="archives-content"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template match="/">
    <xsl:choose>
      <xsl:when test="$page = 'index'"><xsl:call-template name="index"/></xsl:when>
      <xsl:when test="$page = 'persons'"><xsl:call-template name="persons"/></xsl:when>
      <xsl:when test="$page = 'archives'"><xsl:call-template name="archives"/></xsl:when>
      <xsl:otherwise>
        <xsl:message terminate="yes">html-site.xsl: unknown page "{$page}" (index | persons | archives)</xsl:message>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- ========================================================= letters -->

  <xsl:template name="index">
    <xsl:call-template name="page">
      <xsl:with-param name="title" select="'Letters'"/>
      <xsl:with-param name="current" select="'index'"/>
      <xsl:with-param name="content-of" select="/"/>
    </xsl:call-template>
  </xsl:template>

  <xsl:template name="index-content">
        <h1>Letters</h1>
        <p class="intro">{count($records)} letters and telegrams, in the order of the edition.
          Select a column heading to sort by it.</p>
        <div class="table-wrap">
          <table class="sortable" id="letters">
            <caption class="vh">Letters, sortable by column</caption>
            <thead>
              <tr>
                <xsl:for-each select="'Date', 'Letter', 'From', 'To', 'Kind', 'Archival reference'">
                  <th scope="col">
                    <xsl:if test="position() = 1"><xsl:attribute name="aria-sort">ascending</xsl:attribute></xsl:if>
                    <button type="button" data-column="{position() - 1}">{.}</button>
                  </th>
                </xsl:for-each>
              </tr>
            </thead>
            <tbody>
              <xsl:for-each select="$records">
                <tr id="row-{@stem}">
                  <td data-sort="{@sort-date}|{format-number(position(), '00000')}">
                    <xsl:copy-of select="ix:date/node()" copy-namespaces="no"/>
                  </td>
                  <td><a href="{@stem}.html">{@title}</a></td>
                  <td><xsl:copy-of select="ix:from/node()" copy-namespaces="no"/></td>
                  <td><xsl:copy-of select="ix:to/node()" copy-namespaces="no"/></td>
                  <td>{@kind}</td>
                  <td><xsl:copy-of select="ix:archival/node()" copy-namespaces="no"/></td>
                </tr>
              </xsl:for-each>
            </tbody>
          </table>
        </div>
  </xsl:template>

  <!-- ========================================================= persons -->

  <xsl:template name="persons">
    <xsl:call-template name="page">
      <xsl:with-param name="title" select="'Persons'"/>
      <xsl:with-param name="current" select="'persons'"/>
      <xsl:with-param name="content-of" select="/"/>
    </xsl:call-template>
  </xsl:template>

  <xsl:template name="persons-content">
    <xsl:variable name="listed" select="$personography//person[@xml:id]"/>
    <xsl:variable name="referenced" select="distinct-values($records/ix:ref/@id)"/>
    <xsl:variable name="unlisted" select="$referenced[not(. = $listed/@xml:id)]"/>
        <h1>Persons</h1>
        <p class="intro">Correspondents and persons named in the letters, with the letters each sent and received.</p>
        <nav class="toc" aria-label="Persons">
          <ul>
            <xsl:for-each select="$listed">
              <xsl:sort select="f:short-name(.)" lang="en"/>
              <li><a href="#{@xml:id}">{f:short-name(.)}</a></li>
            </xsl:for-each>
          </ul>
        </nav>
        <xsl:for-each select="$listed">
          <xsl:sort select="f:short-name(.)" lang="en"/>
          <xsl:call-template name="person-entry">
            <xsl:with-param name="id" select="string(@xml:id)"/>
            <xsl:with-param name="person" select="."/>
          </xsl:call-template>
        </xsl:for-each>
        <xsl:for-each select="$unlisted">
          <xsl:sort select="."/>
          <xsl:call-template name="person-entry">
            <xsl:with-param name="id" select="."/>
            <xsl:with-param name="person" select="()"/>
          </xsl:call-template>
        </xsl:for-each>
  </xsl:template>

  <xsl:template name="person-entry">
    <xsl:param name="id" as="xs:string"/>
    <xsl:param name="person" as="element(person)?"/>
    <section class="person" id="{$id}" aria-labelledby="h-{$id}">
      <h2 id="h-{$id}">{if ($person) then f:full-name($person) else $id}</h2>
      <xsl:for-each select="($person/persName[@xml:lang = 'ru'])[1]">
        <p class="fullname">Russian: <span lang="ru">{normalize-space(string-join(.//text(), ''))}</span></p>
      </xsl:for-each>
      <xsl:if test="$person/birth/@when or $person/death/@when">
        <p class="life">{string-join((substring($person/birth/@when, 1, 4), substring($person/death/@when, 1, 4)), '–')}</p>
      </xsl:if>
      <xsl:if test="$person/idno[f:authority-uri(.)]">
        <p class="authority">Authority records:
          <xsl:for-each select="$person/idno[f:authority-uri(.)]">
            <xsl:if test="position() gt 1">, </xsl:if>
            <a href="{f:authority-uri(.)}">{if (@type = 'wikidata') then 'Wikidata' else upper-case(@type)}</a>
          </xsl:for-each>
        </p>
      </xsl:if>
      <xsl:if test="empty($person)">
        <p class="editorial-note">Not in the personography.</p>
      </xsl:if>
      <xsl:call-template name="person-letters">
        <xsl:with-param name="label" select="'Letters sent'"/>
        <xsl:with-param name="letters" select="$records[ix:person[@role = 'sent']/@id = $id]"/>
      </xsl:call-template>
      <xsl:call-template name="person-letters">
        <xsl:with-param name="label" select="'Letters received'"/>
        <xsl:with-param name="letters" select="$records[ix:person[@role = 'received']/@id = $id]"/>
      </xsl:call-template>
      <xsl:call-template name="person-letters">
        <xsl:with-param name="label" select="'Copies received'"/>
        <xsl:with-param name="letters" select="$records[ix:person[@role = 'copy']/@id = $id]"/>
        <xsl:with-param name="optional" select="true()"/>
      </xsl:call-template>
      <xsl:call-template name="person-letters">
        <xsl:with-param name="label" select="'Letters transmitted'"/>
        <xsl:with-param name="letters" select="$records[ix:person[@role = 'transmitted']/@id = $id]"/>
        <xsl:with-param name="optional" select="true()"/>
      </xsl:call-template>
    </section>
  </xsl:template>

  <xsl:template name="person-letters">
    <xsl:param name="label" as="xs:string"/>
    <xsl:param name="letters" as="element(ix:letter)*"/>
    <xsl:param name="optional" as="xs:boolean" select="false()"/>
    <xsl:if test="$letters or not($optional)">
      <h3>{$label} ({count($letters)})</h3>
      <xsl:choose>
        <xsl:when test="$letters">
          <ul class="letters">
            <xsl:for-each select="$letters">
              <li><a href="{@stem}.html">{@title}</a> <span class="kind"> ({@kind})</span></li>
            </xsl:for-each>
          </ul>
        </xsl:when>
        <xsl:otherwise><p class="none">None.</p></xsl:otherwise>
      </xsl:choose>
    </xsl:if>
  </xsl:template>

  <!-- ========================================================= archives -->

  <xsl:template name="archives">
    <xsl:call-template name="page">
      <xsl:with-param name="title" select="'Archival files'"/>
      <xsl:with-param name="current" select="'archives'"/>
      <xsl:with-param name="content-of" select="/"/>
    </xsl:call-template>
  </xsl:template>

  <xsl:template name="archives-content">
    <xsl:variable name="cites" as="element(f:cite)*" select="$records/f:cite"/>
        <h1>Archival files</h1>
        <p class="intro">Every archival file (fond, opis, delo) cited in the letters' archival
          references and in the editors' notes, with the letters that cite it.
          Archive names: RGASPI, Russian State Archive of Socio-Political History;
          GA RF, State Archive of the Russian Federation.</p>
        <xsl:for-each-group select="$cites" group-by="string(@archive)">
          <xsl:sort select="current-grouping-key()"/>
          <section class="archive" aria-labelledby="a-{replace(current-grouping-key(), '[^A-Za-z0-9]+', '-')}">
            <h2 id="a-{replace(current-grouping-key(), '[^A-Za-z0-9]+', '-')}">
              <xsl:if test="matches(current-grouping-key(), '\p{IsCyrillic}')"><xsl:attribute name="lang">ru</xsl:attribute></xsl:if>
              <xsl:value-of select="current-grouping-key()"/>
            </h2>
            <ul class="files">
              <xsl:for-each-group select="current-group()" group-by="f:file-key(.)">
                <xsl:sort select="f:num-key(@fond)"/>
                <xsl:sort select="f:num-key(@opis)"/>
                <xsl:sort select="f:num-key(@delo)"/>
                <li class="file" id="{f:file-id(.)}">
                  <span class="file-ref">F. {@fond}, Op. {@opis}, D. {@delo}</span>
                  <ul class="citing">
                    <xsl:for-each select="current-group()">
                      <xsl:variable name="stem" select="string(@letter)"/>
                      <li>
                        <a href="{$stem}.html{if (string(@note-id)) then '#' || @note-id else ''}">{../@title}</a>
                        <xsl:text> — </xsl:text>
                        <xsl:value-of select="if (@where = 'witness') then 'archival reference of the letter'
                            else if (string(@note-id)) then 'cited in note ' || @n
                            else 'cited in the source apparatus'"/>
                        <xsl:if test="string(@list)">, L. {@list}</xsl:if>
                      </li>
                    </xsl:for-each>
                  </ul>
                </li>
              </xsl:for-each-group>
            </ul>
          </section>
        </xsl:for-each-group>
        <xsl:if test="empty($cites)"><p class="none">No archival files are cited.</p></xsl:if>
  </xsl:template>

</xsl:stylesheet>
