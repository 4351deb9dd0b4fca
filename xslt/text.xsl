<?xml version="1.0" encoding="UTF-8"?>
<!--
  text.xsl: a TEI letter (or the teiCorpus of all letters) -> plain text.
  Initial templates "corpus-head" and "corpus-separator" give the pieces of the
  corpus text between the letters (see the teiCorpus template).

  Layout of one letter:
    title, underlined with "="
    a header block of "Label:  value" lines (date, correspondents, kind, times,
      archival citation as printed with repairs as "[recte …]", source)
    a rule of 78 "-"
    for each body div (after a labelled rule such as "== Russian original ===="
      when a letter has several): its blocks (head, opener lines, paragraphs,
      closer lines, postscript), wrapped at 78 columns, separated by blank lines; footnote
      markers kept in place as [n]; then a short "_" rule and the div's notes,
      "[n] text", numbered as printed.

  The words of the text part are exactly the words of the TEI text in its
  printed reading (sic not corr, abbr not expan, orig not reg): the words of each
  div outside its footnotes, then the words of its footnotes in order.
  Markers "[n]" and rule lines are the only additions.
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:f="urn:corresptei:functions"
    xpath-default-namespace="http://www.tei-c.org/ns/1.0"
    exclude-result-prefixes="#all"
    expand-text="yes">

  <xsl:include href="common.xsl"/>

  <xsl:output method="text" encoding="UTF-8"/>

  <xsl:param name="persons" as="document-node()?" select="()"/>
  <xsl:param name="corpus-title" as="xs:string" select="'Stalin–Kaganovich correspondence, September 1931'"/>
  <!-- The number of letters in the corpus head when it is made on its own (initial template corpus-head). -->
  <xsl:param name="letter-count" as="xs:integer" select="0"/>

  <xsl:variable name="width" as="xs:integer" select="78"/>
  <xsl:variable name="label-width" as="xs:integer" select="16"/>
  <xsl:variable name="NL" select="'&#10;'"/>
  <xsl:variable name="personography" select="(/teiCorpus/TEI[@xml:id = 'persons'], $persons)[1]"/>

  <xsl:mode name="inline" on-no-match="text-only-copy"/>
  <xsl:mode name="citation" on-no-match="text-only-copy"/>

  <xsl:function name="f:rule" as="xs:string">
    <xsl:param name="char" as="xs:string"/>
    <xsl:param name="length" as="xs:integer"/>
    <xsl:sequence select="string-join(for $i in 1 to $length return $char, '')"/>
  </xsl:function>

  <!-- ============================================================ documents -->

  <xsl:template match="/">
    <xsl:apply-templates select="TEI | teiCorpus"/>
  </xsl:template>

  <!-- The corpus text: the corpus head, then for each letter a separator and the
       letter's text as it stands on its own.  The renderer writes corpus.txt from
       the same three pieces without a corpus document: "corpus-head" (with
       $letter-count), then "corpus-separator" and each letter's text in turn. -->
  <xsl:template match="teiCorpus">
    <xsl:variable name="letters" select="TEI[not(@xml:id = 'persons')]"/>
    <xsl:call-template name="corpus-head">
      <xsl:with-param name="count" select="count($letters)"/>
    </xsl:call-template>
    <xsl:for-each select="$letters">
      <xsl:call-template name="corpus-separator"/>
      <xsl:apply-templates select="."/>
    </xsl:for-each>
  </xsl:template>

  <xsl:template name="corpus-head">
    <xsl:param name="count" as="xs:integer" select="$letter-count"/>
    <xsl:value-of select="$corpus-title, f:rule('=', min((string-length($corpus-title), $width))),
        '', $count || ' letters, in the order of the edition.', ''" separator="{$NL}"/>
    <xsl:value-of select="$NL"/>
  </xsl:template>

  <xsl:template name="corpus-separator">
    <xsl:value-of select="$NL || f:rule('=', $width) || $NL || $NL"/>
  </xsl:template>

  <xsl:template match="TEI">
    <xsl:variable name="title" select="f:title(.)"/>
    <xsl:variable name="divs" select="text/body/div"/>
    <xsl:value-of select="f:wrap($title, $width)"/>
    <xsl:value-of select="$NL || f:rule('=', min((string-length($title), $width))) || $NL || $NL"/>
    <xsl:value-of select="string-join(f:header(.), $NL)"/>
    <xsl:value-of select="$NL || f:rule('-', $width) || $NL"/>
    <xsl:for-each select="$divs">
      <xsl:if test="count($divs) gt 1">
        <xsl:variable name="label" select="'== ' || f:div-label(.) || ' '"/>
        <xsl:value-of select="$NL || $label || f:rule('=', $width - string-length($label)) || $NL"/>
      </xsl:if>
      <xsl:value-of select="$NL"/>
      <xsl:value-of select="string-join(f:blocks(.)[. != ''], $NL || $NL)"/>
      <xsl:value-of select="$NL"/>
      <xsl:variable name="notes" select=".//note[f:is-footnote(.)]"/>
      <xsl:if test="$notes">
        <xsl:value-of select="$NL || f:rule('_', 20) || $NL || $NL"/>
        <xsl:value-of select="string-join(for $n in $notes
            return f:wrap-hanging('[' || f:note-label($n) || '] ', f:inline($n), $width), $NL || $NL)"/>
        <xsl:value-of select="$NL"/>
      </xsl:if>
    </xsl:for-each>
  </xsl:template>

  <!-- ============================================================== header -->

  <xsl:function name="f:field" as="xs:string?">
    <xsl:param name="label" as="xs:string"/>
    <xsl:param name="value" as="xs:string?"/>
    <xsl:variable name="pad" select="f:rule(' ', $label-width - string-length($label) - 1)"/>
    <xsl:sequence select="if (normalize-space($value)) then
        f:wrap-hanging($label || ':' || $pad, $value, $width) else ()"/>
  </xsl:function>

  <xsl:function name="f:names" as="xs:string">
    <xsl:param name="actions" as="element(correspAction)*"/>
    <xsl:sequence select="string-join(for $p in $actions/persName return f:person-name($p, $personography), ', ')"/>
  </xsl:function>

  <xsl:function name="f:event" as="xs:string">
    <xsl:param name="action" as="element(correspAction)*"/>
    <xsl:param name="type" as="xs:string"/>
    <xsl:sequence select="string-join(($action/placeName/normalize-space(),
        $action/date[@type = $type]/normalize-space()), ', ')"/>
  </xsl:function>

  <xsl:function name="f:header" as="xs:string*">
    <xsl:param name="tei" as="element(TEI)"/>
    <xsl:variable name="date" select="f:letter-date($tei)"/>
    <xsl:sequence select="
        f:field('Date', if ($date) then normalize-space($date)
            || (if ($date/@evidence) then ' (' || f:date-evidence($date) || ')' else '') else 'undated'),
        f:field('From', f:names(f:actions($tei, 'sent'))),
        f:field('To', f:names(f:actions($tei, 'received')[not(@subtype = 'copy')])),
        f:field('Copy to', f:names(f:actions($tei, 'received')[@subtype = 'copy'])),
        f:field('Transmitted by', f:names(f:actions($tei, 'transmitted'))),
        f:field('Kind', f:kind($tei)),
        f:field('Sent', f:event(f:actions($tei, 'sent'), 'dispatch')),
        f:field('Received', f:event(f:actions($tei, 'received'), 'receipt'))"/>
    <xsl:variable name="witnesses" select="f:witnesses($tei)"/>
    <xsl:for-each select="$witnesses">
      <xsl:variable name="cite" as="xs:string*">
        <xsl:choose>
          <xsl:when test="head[@type = 'citation']">
            <xsl:apply-templates select="head[@type = 'citation']/node()" mode="citation"/>
          </xsl:when>
          <xsl:otherwise>
            <xsl:sequence select="f:archive-short(msIdentifier/repository) || ' '
                || f:shelfmark(msIdentifier/idno[@type = 'shelfmark'])"/>
          </xsl:otherwise>
        </xsl:choose>
      </xsl:variable>
      <xsl:sequence select="f:field('Archive', string-join((normalize-space(string-join($cite, '')),
          physDesc/normalize-space()), ' '))"/>
    </xsl:for-each>
    <xsl:if test="empty($witnesses)">
      <xsl:sequence select="f:field('Archive', 'none printed')"/>
    </xsl:if>
    <xsl:for-each select="$tei/teiHeader/fileDesc/sourceDesc/bibl[@type = 'edition']">
      <xsl:sequence select="f:field('Source', normalize-space(title[1]) || '. '
          || string-join((normalize-space(pubPlace), normalize-space(publisher)), ': ')
          || ', ' || normalize-space(date)
          || string-join(for $s in biblScope[@unit = 'page'] return ', pp. ' || normalize-space($s), '')
          || '.')"/>
    </xsl:for-each>
  </xsl:function>

  <!-- The printed citation line: repairs shown as "printed [recte corrected]". -->
  <xsl:template match="choice[sic and corr]" mode="citation">
    <xsl:value-of select="f:printed(sic) || ' [recte ' || f:printed(corr) || ']'"/>
  </xsl:template>
  <xsl:template match="choice[abbr and expan]" mode="citation">
    <xsl:value-of select="f:printed(abbr)"/>
  </xsl:template>
  <xsl:template match="choice[orig and reg]" mode="citation">
    <xsl:value-of select="f:printed(orig)"/>
  </xsl:template>

  <!-- =============================================================== blocks -->

  <!-- Phrase-level elements: they run on inside a block. -->
  <xsl:variable name="phrases" as="xs:string*" select="('persName', 'placeName', 'orgName', 'name',
      'rs', 'date', 'time', 'num', 'measure', 'hi', 'emph', 'choice', 'sic', 'corr', 'abbr', 'expan',
      'orig', 'reg', 'ref', 'ptr', 'q', 'quote', 'title', 'foreign', 'lb', 'bibl', 'gap', 'unclear',
      'supplied', 'add', 'del')"/>

  <xsl:function name="f:is-block" as="xs:boolean">
    <xsl:param name="node" as="node()"/>
    <xsl:sequence select="$node instance of element() and not(local-name($node) = $phrases)
        and not($node/self::note[f:is-footnote(.)])"/>
  </xsl:function>

  <!-- The blocks of a div (or opener, closer, ...), each one wrapped string.  Loose
       text and phrases between blocks (a word and a note marker after a closer's
       last line) form a block of their own. -->
  <xsl:function name="f:blocks" as="xs:string*">
    <xsl:param name="div" as="element()"/>
    <xsl:for-each-group select="$div/node()[not(self::comment() or self::processing-instruction())]"
        group-adjacent="f:is-block(.)">
      <xsl:choose>
        <xsl:when test="current-grouping-key()">
          <xsl:for-each select="current-group()">
            <xsl:choose>
              <xsl:when test="self::opener or self::closer or self::postscript or self::list or self::div">
                <xsl:sequence select="f:blocks(.)"/>
              </xsl:when>
              <xsl:otherwise>
                <xsl:sequence select="f:wrap(f:inline(.), $width)"/>
              </xsl:otherwise>
            </xsl:choose>
          </xsl:for-each>
        </xsl:when>
        <xsl:otherwise>
          <xsl:sequence select="f:wrap(f:inline-nodes(current-group()), $width)"/>
        </xsl:otherwise>
      </xsl:choose>
    </xsl:for-each-group>
  </xsl:function>

  <xsl:function name="f:inline-nodes" as="xs:string">
    <xsl:param name="nodes" as="node()*"/>
    <xsl:variable name="parts" as="xs:string*">
      <xsl:apply-templates select="$nodes" mode="inline"/>
    </xsl:variable>
    <xsl:sequence select="normalize-space(string-join($parts, ''))"/>
  </xsl:function>

  <!-- The printed reading of an element's content as one line, footnote markers as [n]. -->
  <xsl:function name="f:inline" as="xs:string">
    <xsl:param name="element" as="element()"/>
    <xsl:variable name="parts" as="xs:string*">
      <xsl:apply-templates select="$element/node()" mode="inline"/>
    </xsl:variable>
    <xsl:sequence select="normalize-space(string-join($parts, ''))"/>
  </xsl:function>

  <xsl:template match="corr | expan | reg" mode="inline"/>

  <xsl:template match="lb" mode="inline"><xsl:text> </xsl:text></xsl:template>

  <!-- paragraphs inside a note are separated like blocks -->
  <xsl:template match="p" mode="inline">
    <xsl:text> </xsl:text><xsl:apply-templates mode="inline"/><xsl:text> </xsl:text>
  </xsl:template>

  <xsl:template match="note[@place = 'inline']" mode="inline" priority="2">
    <xsl:apply-templates mode="inline"/>
  </xsl:template>

  <xsl:template match="note[f:is-apparatus(.)]" mode="inline" priority="3">
    <xsl:apply-templates mode="inline"/>
  </xsl:template>

  <xsl:template match="note" mode="inline">
    <xsl:if test="not(@place = 'end')">[{f:note-label(.)}]</xsl:if>
  </xsl:template>

</xsl:stylesheet>
