<?xml version="1.0" encoding="UTF-8"?>
<!--
  common.xsl: functions every readers' output shares (HTML, text, print, CMIF).

  Standard XSLT 3.0 with no extensions and no higher-order functions, so the
  stylesheets give the same output under SaxonC-HE and Saxon-HE for Java (9.9+).

  "The printed reading" of a passage is the text as the source printed it:
  sic of choice/sic/corr, abbr of choice/abbr/expan, orig of choice/orig/reg.
  The editorial reading is corr / expan / reg.
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:f="urn:corresptei:functions"
    exclude-result-prefixes="#all">

  <!-- The printed reading of a node as one normalised string (notes inside included):
       its text without the text of a corr, expan or reg inside it (the editorial side
       of a choice). -->
  <xsl:function name="f:printed" as="xs:string">
    <xsl:param name="node" as="node()?"/>
    <xsl:sequence select="if (empty($node)) then '' else normalize-space(string-join(
        $node/descendant-or-self::text()[not(ancestor::*[self::tei:corr or self::tei:expan
            or self::tei:reg][. >> $node])], ''))"/>
  </xsl:function>

  <!-- The letter id without the leading "L": the file stem the converter wrote. -->
  <xsl:function name="f:stem" as="xs:string">
    <xsl:param name="tei" as="element(tei:TEI)"/>
    <xsl:sequence select="if (starts-with($tei/@xml:id, 'L')) then substring($tei/@xml:id, 2)
        else string($tei/@xml:id)"/>
  </xsl:function>

  <!-- "persons.xml#stalin" -> "stalin" -->
  <xsl:function name="f:person-id" as="xs:string">
    <xsl:param name="ref" as="xs:string?"/>
    <xsl:sequence select="if (contains($ref, '#')) then substring-after($ref, '#')
        else string($ref)"/>
  </xsl:function>

  <xsl:function name="f:person" as="element(tei:person)?">
    <xsl:param name="id" as="xs:string"/>
    <xsl:param name="persons" as="node()?"/>
    <xsl:sequence select="($persons//tei:person[@xml:id = $id])[1]"/>
  </xsl:function>

  <!-- A person's main name in English (persName type="main" xml:lang="en"), else the first. -->
  <xsl:function name="f:main-name" as="element(tei:persName)?">
    <xsl:param name="person" as="element(tei:person)?"/>
    <xsl:sequence select="($person/tei:persName[@type = 'main'][not(@xml:lang) or @xml:lang = 'en'],
        $person/tei:persName[not(@xml:lang) or @xml:lang = 'en'], $person/tei:persName)[1]"/>
  </xsl:function>

  <!-- "Lazar Moiseevich Kaganovich" -->
  <xsl:function name="f:full-name" as="xs:string">
    <xsl:param name="person" as="element(tei:person)"/>
    <xsl:sequence select="normalize-space(string-join(f:main-name($person)//text(), ''))"/>
  </xsl:function>

  <!-- The short name for tables and panels: the surname of the main name. -->
  <xsl:function name="f:short-name" as="xs:string">
    <xsl:param name="person" as="element(tei:person)"/>
    <xsl:variable name="main" select="f:main-name($person)"/>
    <xsl:sequence select="if ($main/tei:surname) then normalize-space(string-join($main/tei:surname//text(), ''))
        else f:full-name($person)"/>
  </xsl:function>

  <!-- The short name a reader sees for a person reference: from the personography,
       else the name as written in the letter, else the id. -->
  <xsl:function name="f:person-name" as="xs:string">
    <xsl:param name="persName" as="element()"/>
    <xsl:param name="persons" as="node()?"/>
    <xsl:variable name="id" select="f:person-id($persName/@ref)"/>
    <xsl:variable name="person" select="if ($id) then f:person($id, $persons) else ()"/>
    <xsl:sequence select="if ($person) then f:short-name($person)
        else if (normalize-space($persName)) then f:printed($persName) else $id"/>
  </xsl:function>

  <!-- An authority URI from a personography idno (wikidata | viaf | gnd). -->
  <xsl:function name="f:authority-uri" as="xs:string?">
    <xsl:param name="idno" as="element(tei:idno)"/>
    <xsl:variable name="v" select="normalize-space($idno)"/>
    <xsl:sequence select="
        if (matches($v, '^https?://')) then $v
        else if ($v = '') then ()
        else if ($idno/@type = 'wikidata') then 'http://www.wikidata.org/entity/' || $v
        else if ($idno/@type = 'viaf') then 'http://viaf.org/viaf/' || $v
        else if ($idno/@type = 'gnd') then 'https://d-nb.info/gnd/' || $v
        else ()"/>
  </xsl:function>

  <xsl:function name="f:authority-uris" as="xs:string*">
    <xsl:param name="person" as="element(tei:person)?"/>
    <xsl:sequence select="for $i in $person/tei:idno[@type = ('wikidata', 'viaf', 'gnd')]
        return f:authority-uri($i)"/>
  </xsl:function>

  <!-- Correspondence actions. -->
  <xsl:function name="f:actions" as="element(tei:correspAction)*">
    <xsl:param name="tei" as="element(tei:TEI)"/>
    <xsl:param name="type" as="xs:string"/>
    <xsl:sequence select="$tei/tei:teiHeader/tei:profileDesc/tei:correspDesc/tei:correspAction[@type = $type]"/>
  </xsl:function>

  <!-- The letter's own date: the untyped date of the sent action. -->
  <xsl:function name="f:letter-date" as="element(tei:date)?">
    <xsl:param name="tei" as="element(tei:TEI)"/>
    <xsl:sequence select="(f:actions($tei, 'sent')/tei:date[not(@type)])[1]"/>
  </xsl:function>

  <!-- A sortable ISO value for the letter date (falls back to the file name's date). -->
  <xsl:function name="f:sort-date" as="xs:string">
    <xsl:param name="tei" as="element(tei:TEI)"/>
    <xsl:variable name="d" select="f:letter-date($tei)"/>
    <xsl:sequence select="string(($d/@when, $d/@notBefore, $d/@from, $d/@notAfter, $d/@to,
        substring(f:stem($tei), 1, 10))[1])"/>
  </xsl:function>

  <!-- How the editors stand behind a date, in words (empty when the source dates it). -->
  <xsl:function name="f:date-evidence" as="xs:string">
    <xsl:param name="date" as="element(tei:date)?"/>
    <xsl:sequence select="
        if ($date/@evidence = 'conjecture') then 'date supplied by the editors'
        else if ($date/@evidence = 'internal') then 'year supplied by the editors'
        else if ($date/@evidence) then 'date: ' || $date/@evidence
        else ''"/>
  </xsl:function>

  <!-- letter | cipher telegram -->
  <xsl:function name="f:kind" as="xs:string">
    <xsl:param name="tei" as="element(tei:TEI)"/>
    <xsl:variable name="subtype" select="($tei/tei:text/tei:body/tei:div/@subtype)[1]"/>
    <xsl:sequence select="if ($subtype = 'telegram') then 'cipher telegram'
        else if ($subtype) then string($subtype) else 'letter'"/>
  </xsl:function>

  <xsl:function name="f:title" as="xs:string">
    <xsl:param name="tei" as="element(tei:TEI)"/>
    <xsl:sequence select="normalize-space(($tei/tei:teiHeader/tei:fileDesc/tei:titleStmt/tei:title)[1])"/>
  </xsl:function>

  <!-- Archival witnesses: one msDesc each, in the order printed. -->
  <xsl:function name="f:witnesses" as="element(tei:msDesc)*">
    <xsl:param name="tei" as="element(tei:TEI)"/>
    <xsl:sequence select="$tei/tei:teiHeader/tei:fileDesc/tei:sourceDesc/tei:msDesc"/>
  </xsl:function>

  <!-- "Russian State Archive of Socio-Political History (RGASPI)" -> "RGASPI" -->
  <xsl:function name="f:archive-short" as="xs:string">
    <xsl:param name="repository" as="xs:string?"/>
    <xsl:variable name="r" select="normalize-space($repository)"/>
    <xsl:sequence select="if (matches($r, '\(([^()]+)\)\s*$'))
        then replace($r, '^.*\(([^()]+)\)\s*$', '$1') else $r"/>
  </xsl:function>

  <!-- One name per archive: the Russian abbreviations a Russian text prints
       (РГАСПИ, ГА РФ, АП РФ) are the archives the English texts call RGASPI, GA RF, AP RF. -->
  <xsl:function name="f:archive-name" as="xs:string">
    <xsl:param name="name" as="xs:string?"/>
    <xsl:variable name="n" select="normalize-space($name)"/>
    <xsl:sequence select="if ($n = 'РГАСПИ') then 'RGASPI' else if ($n = 'ГА РФ') then 'GA RF'
        else if ($n = 'АП РФ') then 'AP RF' else if ($n = 'РГАЭ') then 'RGAE' else $n"/>
  </xsl:function>

  <!-- The archive a letter belongs to: its first witness, else RGASPI (the edition's). -->
  <xsl:function name="f:letter-archive" as="xs:string">
    <xsl:param name="tei" as="element(tei:TEI)"/>
    <xsl:variable name="repo" select="(f:witnesses($tei)/tei:msIdentifier/tei:repository)[1]"/>
    <xsl:sequence select="if ($repo) then f:archive-short($repo) else 'RGASPI'"/>
  </xsl:function>

  <!-- A structured shelfmark in words: "F. 558. Op. 11. D. 739. L. 68" -->
  <xsl:function name="f:shelfmark" as="xs:string">
    <xsl:param name="idno" as="element(tei:idno)?"/>
    <xsl:sequence select="f:printed($idno)"/>
  </xsl:function>

  <!-- Every archival file a letter cites, one f:cite record per citation:
       its witnesses (msIdentifier) and the bibl type="archival" in its notes
       (the structured reading: corr of a repaired citation, expan of Ibid.). -->
  <xsl:function name="f:citations" as="element(f:cite)*">
    <xsl:param name="tei" as="element(tei:TEI)"/>
    <xsl:variable name="default-archive" select="f:letter-archive($tei)"/>
    <xsl:for-each select="f:witnesses($tei)">
      <xsl:variable name="sm" select="tei:msIdentifier/tei:idno[@type = 'shelfmark']"/>
      <xsl:if test="$sm/tei:idno[@type = 'fond']">
        <f:cite archive="{f:archive-short(tei:msIdentifier/tei:repository)}"
            fond="{normalize-space($sm/tei:idno[@type = 'fond'])}"
            opis="{normalize-space($sm/tei:idno[@type = 'opis'])}"
            delo="{normalize-space($sm/tei:idno[@type = 'delo'])}"
            list="{normalize-space($sm/tei:idno[@type = 'list'])}"
            letter="{f:stem($tei)}" where="witness" n="{position()}"/>
      </xsl:if>
    </xsl:for-each>
    <xsl:sequence select="for $b in $tei/tei:text//tei:bibl[@type = 'archival']
        return f:bibl-cite($b, $default-archive)"/>
  </xsl:function>

  <!-- The archival file a bibl type="archival" cites (empty when it names no fond).
       A citation naming no archive belongs to the letter's archive ($default-archive). -->
  <xsl:function name="f:bibl-cite" as="element(f:cite)?">
    <xsl:param name="bibl" as="element(tei:bibl)"/>
    <xsl:param name="default-archive" as="xs:string"/>
    <xsl:variable name="sm" select="($bibl//tei:idno[@type = 'shelfmark']
        [not(ancestor::tei:sic or ancestor::tei:abbr or ancestor::tei:orig)])[1]"/>
    <xsl:variable name="org" select="($bibl//tei:orgName[@type = 'archive']
        [not(ancestor::tei:sic or ancestor::tei:abbr or ancestor::tei:orig)])[1]"/>
    <xsl:if test="$sm/tei:idno[@type = 'fond']">
      <f:cite archive="{if ($org) then f:archive-name($org) else $default-archive}"
          fond="{normalize-space($sm/tei:idno[@type = 'fond'])}"
          opis="{normalize-space($sm/tei:idno[@type = 'opis'])}"
          delo="{normalize-space($sm/tei:idno[@type = 'delo'])}"
          list="{normalize-space($sm/tei:idno[@type = 'list'])}"
          letter="{f:stem($bibl/ancestor::tei:TEI[1])}" where="note"
          n="{($bibl/ancestor::tei:note[1]/@n, '')[1]}"
          note-id="{$bibl/ancestor::tei:note[1][f:is-footnote(.)]/f:note-id(.)}"/>
    </xsl:if>
  </xsl:function>

  <!-- The key of an archival file: archive, fond, opis, delo. -->
  <xsl:function name="f:file-key" as="xs:string">
    <xsl:param name="cite" as="element(f:cite)"/>
    <xsl:sequence select="string-join(($cite/@archive, $cite/@fond, $cite/@opis, $cite/@delo), '|')"/>
  </xsl:function>

  <!-- An HTML id for an archival file: "RGASPI-558-11-739" (letters, digits, hyphens). -->
  <xsl:function name="f:file-id" as="xs:string">
    <xsl:param name="cite" as="element(f:cite)"/>
    <!-- (tokenize and join, not replace(replace(…, '[^A-Za-z0-9]+', '-'), '^-|-$', ''): the
         same id, a third of the time in SaxonC) -->
    <xsl:sequence select="'f-' || string-join(tokenize(f:file-key($cite), '[^A-Za-z0-9]+')[. ne ''], '-')"/>
  </xsl:function>

  <!-- A number-aware sort key: "739" -> "000000739", "17a" -> "000000017a". -->
  <xsl:function name="f:num-key" as="xs:string">
    <xsl:param name="s" as="xs:string?"/>
    <xsl:variable name="digits" select="if (matches($s, '^\d')) then replace($s, '^(\d+).*$', '$1') else ''"/>
    <xsl:sequence select="substring('000000000', string-length($digits) + 1) || $s"/>
  </xsl:function>

  <!-- The apparatus of a single-letter page (source lines, cross-references) is
       text of the div, in place: a note child of a div placed at its top, or typed
       source / crossref / metadata. -->
  <xsl:function name="f:is-apparatus" as="xs:boolean">
    <xsl:param name="note" as="element(tei:note)"/>
    <xsl:sequence select="exists($note/parent::tei:div)
        and ($note/@place = 'top' or $note/@type = ('source', 'crossref', 'metadata'))"/>
  </xsl:function>

  <!-- Footnotes: every note in the body except inline lines and the apparatus. -->
  <xsl:function name="f:is-footnote" as="xs:boolean">
    <xsl:param name="note" as="element(tei:note)"/>
    <xsl:sequence select="not($note/@place = 'inline') and exists($note/ancestor::tei:body)
        and not(f:is-apparatus($note))"/>
  </xsl:function>

  <!-- A stable id for a footnote: its xml:id, else its position among the letter's footnotes. -->
  <xsl:function name="f:note-id" as="xs:string">
    <xsl:param name="note" as="element(tei:note)"/>
    <xsl:variable name="tei" select="$note/ancestor::tei:TEI[1]"/>
    <xsl:sequence select="if ($note/@xml:id) then string($note/@xml:id)
        else 'note-' || (count($note/preceding::tei:note[f:is-footnote(.)]
            [ancestor::tei:TEI[1] is $tei]) + 1)"/>
  </xsl:function>

  <xsl:function name="f:note-label" as="xs:string">
    <xsl:param name="note" as="element(tei:note)"/>
    <xsl:variable name="div" select="$note/ancestor::tei:div[last()]"/>
    <xsl:sequence select="if ($note/@n) then string($note/@n)
        else string(count($note/preceding::tei:note[f:is-footnote(.)]
            [ancestor::tei:div[last()] is $div]) + 1)"/>
  </xsl:function>

  <!-- What a body div is, for a reader. -->
  <xsl:function name="f:div-label" as="xs:string">
    <xsl:param name="div" as="element(tei:div)"/>
    <xsl:sequence select="
        if ($div/@type = 'original') then
          (if ($div/@xml:lang = 'ru') then 'Russian original' else 'Original')
        else if ($div/@type = 'translation' and $div/@resp = '#mt') then 'Machine translation'
        else if ($div/@type = 'translation') then 'English translation (edition)'
        else 'Text'"/>
  </xsl:function>

  <!-- "persons.xml#x" or "x.xml" file references -> the HTML page of the edition. -->
  <xsl:function name="f:html-href" as="xs:string">
    <xsl:param name="target" as="xs:string"/>
    <xsl:sequence select="replace($target, '\.xml$', '.html')"/>
  </xsl:function>

  <!-- Word-wrap a string at $width columns: words are never split; a word longer
       than the width stands on its own line.  Each line is the longest run of whole
       words that fits (greedy, as Python's textwrap with break_long_words=False). -->
  <xsl:function name="f:wrap" as="xs:string" visibility="public">
    <xsl:param name="text" as="xs:string"/>
    <xsl:param name="width" as="xs:integer"/>
    <xsl:sequence select="f:wrap-normalized(normalize-space($text), $width, '&#10;')"/>
  </xsl:function>

  <!-- One line at a time: the last space within the first $width + 1 characters
       ends the line; $break stands between lines.  (A regular expression doing the
       same, '(\S.{0,77}|\S+) ', backtracks through every line and took four times as
       long in SaxonC.)  Lines are cut from positions in $t, never from copies of the
       rest, in rounds of 100, so neither the time nor the depth of calls grows faster
       than the text. -->
  <xsl:function name="f:wrap-normalized" as="xs:string">
    <xsl:param name="t" as="xs:string"/>
    <xsl:param name="width" as="xs:integer"/>
    <xsl:param name="break" as="xs:string"/>
    <xsl:sequence select="if (string-length($t) le $width) then $t
        else string-join(f:wrap-rounds($t, string-length($t), 1, $width), $break)"/>
  </xsl:function>

  <xsl:function name="f:wrap-rounds" as="xs:string*">
    <xsl:param name="t" as="xs:string"/>
    <xsl:param name="n" as="xs:integer"/>
    <xsl:param name="start" as="xs:integer"/>
    <xsl:param name="width" as="xs:integer"/>
    <xsl:variable name="round" select="f:wrap-lines($t, $n, $start, $width, 100)"/>
    <xsl:sequence select="if ($round[last()] instance of xs:integer)
        then ($round[position() lt last()], f:wrap-rounds($t, $n, $round[last()], $width))
        else $round"/>
  </xsl:function>

  <!-- Up to $k lines of $t (normalised, $n characters) from position $start, then, when
       text is left, the position where the next line starts. -->
  <xsl:function name="f:wrap-lines" as="item()*">
    <xsl:param name="t" as="xs:string"/>
    <xsl:param name="n" as="xs:integer"/>
    <xsl:param name="start" as="xs:integer"/>
    <xsl:param name="width" as="xs:integer"/>
    <xsl:param name="k" as="xs:integer"/>
    <xsl:sequence select="
        if ($n - $start lt $width) then substring($t, $start)
        else if ($k = 0) then $start
        else
          let $cut := index-of(string-to-codepoints(substring($t, $start, $width + 1)), 32)[last()]
          return
            if (exists($cut)) then
              (substring($t, $start, $cut - 1), f:wrap-lines($t, $n, $start + $cut, $width, $k - 1))
            else
              let $word := substring-before(substring($t, $start), ' ')
              return if ($word = '') then substring($t, $start)
                else ($word, f:wrap-lines($t, $n, $start + string-length($word) + 1, $width, $k - 1))"/>
  </xsl:function>

  <!-- Wrap with a hanging indent: the first line carries $first, the others as many
       spaces. -->
  <xsl:function name="f:wrap-hanging" as="xs:string" visibility="public">
    <xsl:param name="first" as="xs:string"/>
    <xsl:param name="text" as="xs:string"/>
    <xsl:param name="width" as="xs:integer"/>
    <xsl:sequence select="$first || f:wrap-normalized(normalize-space($text), $width - string-length($first),
        '&#10;' || string-join(for $i in 1 to string-length($first) return ' ', ''))"/>
  </xsl:function>

</xsl:stylesheet>
