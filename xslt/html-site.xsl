<?xml version="1.0" encoding="UTF-8"?>
<!--
  html-site.xsl: the corpus -> the edition's index pages.

  Input: a teiCorpus holding the personography (TEI xml:id="persons") and the
  letters in reading order.  Parameter $page: index | persons | archives.
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

  <xsl:param name="page" as="xs:string" select="'index'"/>

  <xsl:variable name="letters" select="/teiCorpus/TEI[not(@xml:id = 'persons')]"/>
  <xsl:variable name="corpus-root" select="/"/>
  <!-- citations look their letter up by stem: a key keeps the archival index linear -->
  <xsl:key name="letter-by-stem" match="/teiCorpus/TEI[not(@xml:id = 'persons')]" use="f:stem(.)"/>
  <xsl:variable name="personography" select="(/teiCorpus/TEI[@xml:id = 'persons'], $persons)[1]"/>

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

  <xsl:function name="f:names" as="node()*">
    <xsl:param name="actions" as="element(correspAction)*"/>
    <xsl:for-each select="$actions/persName">
      <xsl:if test="position() gt 1">, </xsl:if>
      <a class="person" href="persons.html#{f:person-id(@ref)}">{f:person-name(., $personography)}</a>
    </xsl:for-each>
  </xsl:function>

  <!-- ========================================================= letters -->

  <xsl:template name="index">
    <xsl:call-template name="page">
      <xsl:with-param name="title" select="'Letters'"/>
      <xsl:with-param name="current" select="'index'"/>
      <xsl:with-param name="content">
        <h1>Letters</h1>
        <p class="intro">{count($letters)} letters and telegrams, in the order of the edition.
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
              <xsl:for-each select="$letters">
                <xsl:variable name="date" select="f:letter-date(.)"/>
                <tr id="row-{f:stem(.)}">
                  <td data-sort="{f:sort-date(.)}|{format-number(position(), '00000')}">
                    <xsl:choose>
                      <xsl:when test="$date/@evidence">
                        <span class="editorial" title="{f:date-evidence($date)}">{normalize-space($date)}</span>
                      </xsl:when>
                      <xsl:when test="$date">{normalize-space($date)}</xsl:when>
                      <xsl:otherwise>undated</xsl:otherwise>
                    </xsl:choose>
                  </td>
                  <td><a href="{f:stem(.)}.html">{f:title(.)}</a></td>
                  <td><xsl:sequence select="f:names(f:actions(., 'sent'))"/></td>
                  <td><xsl:sequence select="f:names(f:actions(., 'received'))"/></td>
                  <td>{f:kind(.)}</td>
                  <td>
                    <xsl:variable name="witnesses" select="f:witnesses(.)"/>
                    <xsl:for-each select="$witnesses">
                      <xsl:if test="position() gt 1"><br/></xsl:if>
                      <xsl:value-of select="f:archive-short(msIdentifier/repository) || ' '
                          || f:shelfmark(msIdentifier/idno[@type = 'shelfmark'])"/>
                    </xsl:for-each>
                    <xsl:if test="empty($witnesses)"><span class="editorial-note">none printed</span></xsl:if>
                  </td>
                </tr>
              </xsl:for-each>
            </tbody>
          </table>
        </div>
      </xsl:with-param>
    </xsl:call-template>
  </xsl:template>

  <!-- ========================================================= persons -->

  <xsl:template name="persons">
    <xsl:variable name="listed" select="$personography//person[@xml:id]"/>
    <xsl:variable name="referenced" select="distinct-values($letters//persName[@ref]/f:person-id(@ref))"/>
    <xsl:variable name="unlisted" select="$referenced[not(. = $listed/@xml:id)]"/>
    <xsl:call-template name="page">
      <xsl:with-param name="title" select="'Persons'"/>
      <xsl:with-param name="current" select="'persons'"/>
      <xsl:with-param name="content">
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
      </xsl:with-param>
    </xsl:call-template>
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
        <xsl:with-param name="letters" select="$letters[f:actions(., 'sent')/persName[f:person-id(@ref) = $id]]"/>
      </xsl:call-template>
      <xsl:call-template name="person-letters">
        <xsl:with-param name="label" select="'Letters received'"/>
        <xsl:with-param name="letters" select="$letters[f:actions(., 'received')[not(@subtype = 'copy')]/persName[f:person-id(@ref) = $id]]"/>
      </xsl:call-template>
      <xsl:call-template name="person-letters">
        <xsl:with-param name="label" select="'Copies received'"/>
        <xsl:with-param name="letters" select="$letters[f:actions(., 'received')[@subtype = 'copy']/persName[f:person-id(@ref) = $id]]"/>
        <xsl:with-param name="optional" select="true()"/>
      </xsl:call-template>
      <xsl:call-template name="person-letters">
        <xsl:with-param name="label" select="'Letters transmitted'"/>
        <xsl:with-param name="letters" select="$letters[f:actions(., 'transmitted')/persName[f:person-id(@ref) = $id]]"/>
        <xsl:with-param name="optional" select="true()"/>
      </xsl:call-template>
    </section>
  </xsl:template>

  <xsl:template name="person-letters">
    <xsl:param name="label" as="xs:string"/>
    <xsl:param name="letters" as="element(TEI)*"/>
    <xsl:param name="optional" as="xs:boolean" select="false()"/>
    <xsl:if test="$letters or not($optional)">
      <h3>{$label} ({count($letters)})</h3>
      <xsl:choose>
        <xsl:when test="$letters">
          <ul class="letters">
            <xsl:for-each select="$letters">
              <li><a href="{f:stem(.)}.html">{f:title(.)}</a> <span class="kind"> ({f:kind(.)})</span></li>
            </xsl:for-each>
          </ul>
        </xsl:when>
        <xsl:otherwise><p class="none">None.</p></xsl:otherwise>
      </xsl:choose>
    </xsl:if>
  </xsl:template>

  <!-- ========================================================= archives -->

  <xsl:template name="archives">
    <xsl:variable name="cites" as="element(f:cite)*">
      <xsl:for-each select="$letters">
        <xsl:sequence select="f:citations(.)"/>
      </xsl:for-each>
    </xsl:variable>
    <xsl:call-template name="page">
      <xsl:with-param name="title" select="'Archival files'"/>
      <xsl:with-param name="current" select="'archives'"/>
      <xsl:with-param name="content">
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
                      <xsl:variable name="letter" select="key('letter-by-stem', $stem, $corpus-root)[1]"/>
                      <li>
                        <a href="{$stem}.html{if (string(@note-id)) then '#' || @note-id else ''}">{f:title($letter)}</a>
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
      </xsl:with-param>
    </xsl:call-template>
  </xsl:template>

</xsl:stylesheet>
