<?xml version="1.0" encoding="UTF-8"?>
<!--
  print.xsl: the teiCorpus of letters -> one HTML document for paged media
  (print.css; WeasyPrint makes the PDF).

  Title page, table of contents (page numbers by target-counter in CSS),
  the letters in reading order, each with its archival citation under its
  heading, footnotes at their markers as <span class="footnote"> (CSS
  float: footnote puts them at the foot of the page).

  Every block of a letter, every footnote call and every footnote carries an
  id (mode "anchors"): the PDF step (corresptei.render.pdf) reads from
  WeasyPrint's page anchors on which page each one begins, to check that
  every footnote stands on the page of its call.
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:f="urn:corresptei:functions"
    xmlns:h="http://www.w3.org/1999/xhtml"
    xmlns="http://www.w3.org/1999/xhtml"
    xpath-default-namespace="http://www.tei-c.org/ns/1.0"
    exclude-result-prefixes="#all"
    expand-text="yes">

  <xsl:import href="html-common.xsl"/>

  <xsl:output method="xhtml" html-version="5" encoding="UTF-8" indent="no"
      omit-xml-declaration="yes" include-content-type="no"/>

  <xsl:param name="corpus-title" as="xs:string" select="'Stalin–Kaganovich correspondence'"/>
  <xsl:param name="corpus-subtitle" as="xs:string" select="'September 1931'"/>

  <xsl:variable name="letters" select="(/teiCorpus/TEI[not(@xml:id = 'persons')], /TEI)"/>
  <xsl:variable name="personography" select="(/teiCorpus/TEI[@xml:id = 'persons'], $persons)[1]"/>

  <xsl:template match="/">
    <html lang="en" xml:lang="en">
      <head>
        <meta charset="UTF-8"/>
        <title>{$corpus-title}, {$corpus-subtitle}</title>
        <meta name="author" content="corresptei"/>
      </head>
      <body>
        <section class="titlepage">
          <h1 class="book-title">{$corpus-title}</h1>
          <p class="subtitle">{$corpus-subtitle}</p>
          <p class="count">{count($letters)} letters and telegrams</p>
          <p class="source">From <cite>Stalin and Kaganovich. Correspondence. 1931–1936</cite>
            (Moscow: ROSSPEN, 2001). Encoded in TEI P5 and typeset by corresptei.</p>
        </section>
        <nav class="toc" aria-label="Contents">
          <h1 class="toc-title">Contents</h1>
          <ol>
            <xsl:for-each select="$letters">
              <li><a href="#{@xml:id}">{f:title(.)}<span class="toc-kind"> ({f:kind(.)})</span></a></li>
            </xsl:for-each>
          </ol>
        </nav>
        <xsl:apply-templates select="$letters" mode="letter"/>
      </body>
    </html>
  </xsl:template>

  <xsl:template match="TEI" mode="letter">
    <xsl:variable name="article" as="element(h:article)">
      <xsl:apply-templates select="." mode="article"/>
    </xsl:variable>
    <xsl:apply-templates select="$article" mode="anchors"/>
  </xsl:template>

  <xsl:template match="TEI" mode="article">
    <xsl:variable name="date" select="f:letter-date(.)"/>
    <article class="letter" id="{@xml:id}">
      <xsl:apply-templates select="@xml:lang" mode="body"/>
      <h2 class="letter-title">{f:title(.)}</h2>
      <xsl:for-each select="f:witnesses(.)">
        <p class="archive">
          <xsl:apply-templates select="." mode="citation"/>
          <xsl:for-each select="physDesc"><xsl:text> </xsl:text><span class="physdesc">{normalize-space(.)}</span></xsl:for-each>
        </p>
      </xsl:for-each>
      <xsl:if test="empty(f:witnesses(.))">
        <p class="archive none">No archival reference printed.</p>
      </xsl:if>
      <p class="meta">
        <xsl:value-of select="string-join((
            'From ' || string-join(f:actions(., 'sent')/persName/f:person-name(., $personography), ', '),
            'to ' || string-join(f:actions(., 'received')/persName/f:person-name(., $personography), ', '),
            if ($date) then normalize-space($date) || (if ($date/@evidence) then ' (' || f:date-evidence($date) || ')' else '') else 'undated',
            f:kind(.)), '; ')"/>
        <xsl:for-each select="f:actions(., 'sent')/date[@type = 'dispatch']">; sent {normalize-space(.)}</xsl:for-each>
        <xsl:for-each select="f:actions(., 'received')/date[@type = 'receipt']">; received {normalize-space(.)}</xsl:for-each>
      </p>
      <xsl:for-each select="text/body/div">
        <section class="text {@type}">
          <xsl:apply-templates select="@xml:lang" mode="body"/>
          <xsl:if test="count(../div) gt 1">
            <p class="div-label" lang="en">{f:div-label(.)}</p>
          </xsl:if>
          <xsl:apply-templates select="node()" mode="body">
            <xsl:with-param name="level" select="3" tunnel="yes"/>
          </xsl:apply-templates>
          <xsl:variable name="end" select=".//note[@place = 'end'][f:is-footnote(.)]"/>
          <xsl:if test="$end">
            <div class="endnotes">
              <p class="endnotes-label" lang="en">Note printed without a marker in the text:</p>
              <xsl:for-each select="$end">
                <p class="endnote"><span class="note-label">{f:note-label(.)}.</span><xsl:text> </xsl:text><xsl:apply-templates mode="body"/></p>
              </xsl:for-each>
            </div>
          </xsl:if>
        </section>
      </xsl:for-each>
    </article>
  </xsl:template>

  <!-- A footnote sits at its marker; CSS floats it to the foot of the page and leaves
       its call in the span fn-call.  A long note is set smaller (print.css: .long), so
       that it fits below more lines of text: paged media does not split a footnote. -->
  <xsl:template match="note[f:is-footnote(.)][not(@place = 'end')]" mode="body">
    <span class="fn-call"><span class="{if (string-length(normalize-space(.)) gt 3000) then 'footnote long' else 'footnote'}" data-n="{f:note-label(.)}">
      <xsl:apply-templates select="@xml:lang, node()" mode="body"/>
    </span></span>
  </xsl:template>

  <xsl:template match="div/note[@place = 'end'][f:is-footnote(.)]" mode="body"/>

  <!-- ============================================================ anchors -->

  <!-- The article as built, with ids added: "blk." on each block outside the footnotes,
       "call." on each footnote call, "note." + the same path on its footnote.  The path
       is the letter's id and the element's child positions below the article, so the
       ids are unique and the same from every XSLT processor. -->
  <xsl:mode name="anchors" on-no-match="shallow-copy"/>

  <xsl:template match="h:*[f:is-anchored-block(.)]" mode="anchors">
    <xsl:copy>
      <xsl:attribute name="id" select="'blk.' || f:anchor-path(.)"/>
      <xsl:apply-templates select="@*, node()" mode="anchors"/>
    </xsl:copy>
  </xsl:template>

  <xsl:template match="h:span[@class = 'fn-call']" mode="anchors">
    <xsl:copy>
      <xsl:attribute name="id" select="'call.' || f:anchor-path(.)"/>
      <xsl:apply-templates select="@*" mode="anchors"/>
      <xsl:for-each select="*">
        <xsl:copy>
          <xsl:attribute name="id" select="'note.' || f:anchor-path(..)"/>
          <xsl:copy-of select="@*, node()"/>
        </xsl:copy>
      </xsl:for-each>
    </xsl:copy>
  </xsl:template>

  <xsl:function name="f:is-anchored-block" as="xs:boolean">
    <xsl:param name="e" as="element()"/>
    <xsl:sequence select="local-name($e) = ('p', 'div', 'section', 'h2', 'h3', 'h4', 'ul', 'ol', 'li',
        'blockquote', 'table', 'tr') and empty($e/@id) and exists($e/ancestor::h:article)"/>
  </xsl:function>

  <xsl:function name="f:anchor-path" as="xs:string">
    <xsl:param name="e" as="element()"/>
    <xsl:sequence select="string-join(($e/ancestor::h:article/@id,
        $e/ancestor-or-self::*[ancestor::h:article] ! string(count(preceding-sibling::*) + 1)), '.')"/>
  </xsl:function>

  <!-- No links on paper: names and citations are plain text. -->
  <xsl:template match="persName[@ref]" mode="body">
    <span class="persName"><xsl:apply-templates mode="body"/></span>
  </xsl:template>

  <xsl:template match="bibl[@type = 'archival']" mode="body">
    <span class="archival"><xsl:apply-templates mode="body"/></span>
  </xsl:template>

</xsl:stylesheet>
