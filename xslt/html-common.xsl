<?xml version="1.0" encoding="UTF-8"?>
<!--
  html-common.xsl: the HTML rendering of TEI text (mode "body") and the page frame
  shared by the letter pages, the index pages and the print edition.

  Output is XHTML5 (method xhtml, html-version 5): well-formed XML that browsers
  read as HTML.  Readers see the printed reading; editorial repairs are shown
  beside it, marked, and expansions as <abbr title>.
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

  <xsl:include href="common.xsl"/>

  <!-- The personography (tei/persons.xml) as a document node; may be absent. -->
  <xsl:param name="persons" as="document-node()?" select="()"/>

  <xsl:param name="site-title" as="xs:string" select="'Stalin–Kaganovich correspondence, September 1931'"/>

  <xsl:mode name="body" on-no-match="text-only-copy"/>

  <!-- ============================================================ page frame -->

  <xsl:template name="page">
    <xsl:param name="title" as="xs:string"/>
    <xsl:param name="lang" as="xs:string" select="'en'"/>
    <xsl:param name="current" as="xs:string" select="''"/>
    <xsl:param name="content" as="node()*"/>
    <!-- Content made by mode "page-content" from these items, written as it is made:
         a page as long as the list of every letter is never held whole. -->
    <xsl:param name="content-of" as="item()*" select="()"/>
    <html lang="{$lang}" xml:lang="{$lang}">
      <head>
        <meta charset="UTF-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <title>{$title} · {$site-title}</title>
        <link rel="stylesheet" href="edition.css"/>
        <script src="edition.js" defer="defer"></script>
      </head>
      <body>
        <a class="skip" href="#main">Skip to content</a>
        <header class="site">
          <p class="site-title"><a href="index.html">{$site-title}</a></p>
          <nav aria-label="Edition">
            <ul>
              <xsl:for-each select="'index', 'persons', 'archives'">
                <xsl:variable name="page" select="."/>
                <li>
                  <a href="{$page}.html">
                    <xsl:if test="$page = $current"><xsl:attribute name="aria-current">page</xsl:attribute></xsl:if>
                    <xsl:value-of select="if ($page = 'index') then 'Letters'
                        else if ($page = 'persons') then 'Persons' else 'Archival files'"/>
                  </a>
                </li>
              </xsl:for-each>
            </ul>
          </nav>
        </header>
        <main id="main">
          <xsl:sequence select="$content"/>
          <xsl:apply-templates select="$content-of" mode="page-content"/>
        </main>
        <footer class="site">
          <p>Source: <cite>Stalin and Kaganovich. Correspondence. 1931–1936</cite> (Moscow: ROSSPEN, 2001).
            TEI encoding and rendering by corresptei.</p>
        </footer>
      </body>
    </html>
  </xsl:template>

  <!-- ====================================================== text: structure -->

  <xsl:template match="@xml:lang" mode="body">
    <xsl:attribute name="lang" select="."/>
  </xsl:template>

  <xsl:template match="head" mode="body">
    <xsl:param name="level" as="xs:integer" select="2" tunnel="yes"/>
    <xsl:element name="h{$level}" namespace="http://www.w3.org/1999/xhtml">
      <xsl:attribute name="class">head</xsl:attribute>
      <xsl:apply-templates select="@xml:lang, node()" mode="body"/>
    </xsl:element>
  </xsl:template>

  <xsl:template match="opener | closer" mode="body">
    <div class="{local-name()}">
      <xsl:apply-templates select="@xml:lang, node()" mode="body"/>
    </div>
  </xsl:template>

  <xsl:template match="postscript" mode="body">
    <div class="postscript">
      <xsl:apply-templates select="@xml:lang, node()" mode="body"/>
    </div>
  </xsl:template>

  <xsl:template match="postscript/label" mode="body">
    <p class="ps-label">
      <xsl:apply-templates mode="body"/>
    </p>
  </xsl:template>

  <xsl:template match="salute | dateline | signed | opener/idno | closer/idno
      | opener/note[@place = 'inline'] | closer/note[@place = 'inline']
      | opener/seg | closer/seg" mode="body" priority="2">
    <p class="{string-join((local-name(), @type), ' ')}">
      <xsl:apply-templates select="@xml:lang, node()" mode="body"/>
    </p>
  </xsl:template>

  <xsl:template match="p" mode="body">
    <p>
      <xsl:apply-templates select="@xml:lang, node()" mode="body"/>
    </p>
  </xsl:template>

  <!-- A paragraph inside a note, or nested where HTML forbids <p>, stays a block. -->
  <xsl:template match="note//p" mode="body">
    <span class="p">
      <xsl:apply-templates select="@xml:lang, node()" mode="body"/>
    </span>
  </xsl:template>

  <xsl:template match="label" mode="body">
    <span class="label"><xsl:apply-templates mode="body"/></span>
  </xsl:template>

  <xsl:template match="list" mode="body">
    <ul><xsl:apply-templates select="item" mode="body"/></ul>
  </xsl:template>

  <xsl:template match="item" mode="body">
    <li><xsl:apply-templates mode="body"/></li>
  </xsl:template>

  <xsl:template match="lb" mode="body"><br/></xsl:template>

  <xsl:template match="hi" mode="body">
    <xsl:choose>
      <xsl:when test="matches(@rend, 'italic')"><em><xsl:apply-templates mode="body"/></em></xsl:when>
      <xsl:when test="matches(@rend, 'bold')"><strong><xsl:apply-templates mode="body"/></strong></xsl:when>
      <xsl:otherwise><span class="hi"><xsl:apply-templates mode="body"/></span></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- ======================================================= text: phrases -->

  <xsl:template match="persName[@ref]" mode="body">
    <a class="person" href="persons.html#{f:person-id(@ref)}">
      <xsl:apply-templates select="@xml:lang, node()" mode="body"/>
    </a>
  </xsl:template>

  <xsl:template match="placeName | orgName | idno | seg | q | quote | title | foreign" mode="body">
    <span class="{local-name()}">
      <xsl:apply-templates select="@xml:lang, node()" mode="body"/>
    </span>
  </xsl:template>

  <xsl:template match="date[@evidence]" mode="body">
    <span class="editorial" title="{f:date-evidence(.)}">
      <xsl:apply-templates mode="body"/>
    </span>
  </xsl:template>

  <xsl:template match="ref[@target]" mode="body">
    <a href="{f:html-href(@target)}"><xsl:apply-templates mode="body"/></a>
  </xsl:template>

  <!-- A repaired reading: the printed text, then the editors' correction in brackets. -->
  <xsl:template match="choice[sic and corr]" mode="body">
    <xsl:variable name="corr" select="f:printed(corr)"/>
    <span class="repair" title="Printed “{f:printed(sic)}”; the editors read “{$corr}”{
        if (corr/@cert) then ' (certainty: ' || corr/@cert || ')' else ''}">
      <span class="sic"><xsl:apply-templates select="sic/node()" mode="body"/></span>
      <span class="corr"><span class="vh"> corrected to </span>[{$corr}]</span>
    </span>
  </xsl:template>

  <xsl:template match="choice[abbr and expan]" mode="body">
    <abbr title="{f:printed(expan)}"><xsl:apply-templates select="abbr/node()" mode="body"/></abbr>
  </xsl:template>

  <xsl:template match="choice[orig and reg]" mode="body">
    <span class="orig" title="regularised: {f:printed(reg)}"><xsl:apply-templates select="orig/node()" mode="body"/></span>
  </xsl:template>

  <!-- An archival citation links to its entry in the archival index. -->
  <xsl:template match="bibl[@type = 'archival']" mode="body">
    <xsl:variable name="cite" select="f:bibl-cite(., f:letter-archive(ancestor::TEI[1]))"/>
    <xsl:choose>
      <xsl:when test="$cite">
        <a class="archival" href="archives.html#{f:file-id($cite)}"><xsl:apply-templates mode="body"/></a>
      </xsl:when>
      <xsl:otherwise><span class="archival"><xsl:apply-templates mode="body"/></span></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- ========================================================== footnotes -->

  <!-- The inline document-type note ("Encryption.") is text, not a footnote. -->
  <xsl:template match="note[@place = 'inline']" mode="body">
    <span class="doctype"><xsl:apply-templates mode="body"/></span>
  </xsl:template>

  <!-- The apparatus of a single-letter page: a paragraph of the div, in place. -->
  <xsl:template match="note[f:is-apparatus(.)]" mode="body" priority="3">
    <p class="apparatus {@type}">
      <xsl:apply-templates select="@xml:lang, node()" mode="body"/>
    </p>
  </xsl:template>

  <!-- A marker the converter placed with doubt (@cert: no marker was printed,
       the note went to a lost-marker site) says so: class, tooltip, label. -->
  <xsl:template match="note" mode="body">
    <xsl:if test="not(@place = 'end')">
      <xsl:variable name="id" select="f:note-id(.)"/>
      <xsl:choose>
        <xsl:when test="@cert">
          <a class="noteref inferred" id="ref-{$id}" href="#{$id}" role="doc-noteref"
             title="Marker position inferred by the converter (certainty: {@cert})"
             aria-label="Note {f:note-label(.)}, marker position inferred by the converter"><sup>{f:note-label(.)}</sup></a>
        </xsl:when>
        <xsl:otherwise>
          <a class="noteref" id="ref-{$id}" href="#{$id}" role="doc-noteref"
             aria-label="Note {f:note-label(.)}"><sup>{f:note-label(.)}</sup></a>
        </xsl:otherwise>
      </xsl:choose>
    </xsl:if>
  </xsl:template>

  <!-- The notes of a div, listed after its text. -->
  <xsl:template name="notes">
    <xsl:param name="div" as="element()"/>
    <xsl:param name="level" as="xs:integer" select="3"/>
    <xsl:variable name="notes" select="$div//note[f:is-footnote(.)]"/>
    <xsl:if test="$notes">
      <section class="notes" role="doc-endnotes" aria-label="Notes">
        <xsl:element name="h{$level}" namespace="http://www.w3.org/1999/xhtml">Notes</xsl:element>
        <ul class="notes">
          <xsl:for-each select="$notes">
            <xsl:variable name="id" select="f:note-id(.)"/>
            <li id="{$id}">
              <xsl:apply-templates select="@xml:lang" mode="body"/>
              <span class="note-label">{f:note-label(.)}.</span>
              <xsl:text> </xsl:text>
              <xsl:apply-templates mode="body"/>
              <xsl:choose>
                <xsl:when test="@place = 'end'">
                  <span class="unanchored"> (The note's marker is not in the printed text.)</span>
                </xsl:when>
                <xsl:otherwise>
                  <xsl:if test="@cert">
                    <span class="inferred-position"> (No marker was printed here: its position was inferred by the converter, certainty {@cert}.)</span>
                  </xsl:if>
                  <xsl:text> </xsl:text>
                  <a class="backref" href="#ref-{$id}" role="doc-backlink"
                     aria-label="Back to note marker {f:note-label(.)}">↩</a>
                </xsl:otherwise>
              </xsl:choose>
            </li>
          </xsl:for-each>
        </ul>
      </section>
    </xsl:if>
  </xsl:template>

  <!-- ============================================= archival citation (head) -->

  <!-- The printed citation line of a witness, repairs marked. -->
  <xsl:template match="msDesc" mode="citation">
    <xsl:variable name="head" select="head[@type = 'citation']"/>
    <xsl:choose>
      <xsl:when test="$head"><xsl:apply-templates select="$head/node()" mode="body"/></xsl:when>
      <xsl:otherwise>{f:archive-short(msIdentifier/repository)} {f:shelfmark(msIdentifier/idno[@type = 'shelfmark'])}</xsl:otherwise>
    </xsl:choose>
  </xsl:template>

</xsl:stylesheet>
