<?xml version="1.0" encoding="UTF-8"?>
<!--
  cmif.xsl: the teiCorpus of letters -> CMIF v1.1 (Correspondence Metadata
  Interchange Format, https://github.com/TEI-Correspondence-SIG/CMIF).

  One correspDesc per letter: sent and received actions (the transmitting
  secretary is not a CMIF action), persons with an authority URI from the
  personography when it has one (GND, VIAF, Wikidata; else no @ref), places,
  dates (editorial dates as evidence="conjecture"), and @source pointing at the
  printed edition's bibl, whose xml:id is a name-based UUID.

  Parameters: $base-url (where the edition is published; letters get
  correspDesc/@ref when set), $publication-date (default: the latest change in
  the letters' revisionDesc, else today).
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:f="urn:corresptei:functions"
    xmlns="http://www.tei-c.org/ns/1.0"
    xpath-default-namespace="http://www.tei-c.org/ns/1.0"
    exclude-result-prefixes="#all"
    expand-text="yes">

  <xsl:include href="common.xsl"/>

  <xsl:output method="xml" encoding="UTF-8" indent="yes"/>

  <xsl:param name="persons" as="document-node()?" select="()"/>
  <xsl:param name="base-url" as="xs:string" select="''"/>
  <xsl:param name="publication-date" as="xs:string" select="''"/>
  <xsl:param name="corpus-title" as="xs:string" select="'Stalin–Kaganovich correspondence, September 1931'"/>

  <xsl:variable name="letters" select="(/teiCorpus/TEI[not(@xml:id = 'persons')], /TEI[not(@xml:id = 'persons')])"/>
  <xsl:variable name="personography" select="(/teiCorpus/TEI[@xml:id = 'persons'], $persons)[1]"/>

  <!-- ======================================================= name-based UUID -->

  <!-- A polynomial hash of a string's code points modulo a prime, 32 bits. -->
  <xsl:function name="f:hash" as="xs:integer">
    <xsl:param name="codepoints" as="xs:integer*"/>
    <xsl:param name="multiplier" as="xs:integer"/>
    <xsl:param name="h" as="xs:integer"/>
    <xsl:sequence select="if (empty($codepoints)) then $h
        else f:hash(tail($codepoints), $multiplier, ($h * $multiplier + head($codepoints)) mod 4294967291)"/>
  </xsl:function>

  <xsl:function name="f:hex" as="xs:string">
    <xsl:param name="n" as="xs:integer"/>
    <xsl:param name="digits" as="xs:integer"/>
    <xsl:sequence select="if ($digits = 0) then ''
        else f:hex($n idiv 16, $digits - 1) || substring('0123456789abcdef', $n mod 16 + 1, 1)"/>
  </xsl:function>

  <!-- A deterministic UUID-shaped id (version nibble 8: custom, RFC 9562) for a name. -->
  <xsl:function name="f:uuid" as="xs:string">
    <xsl:param name="name" as="xs:string"/>
    <xsl:variable name="cp" select="string-to-codepoints($name)"/>
    <xsl:variable name="hex" select="string-join(for $m in (31, 131, 1313, 13131)
        return f:hex(f:hash($cp, $m, 7), 8), '')"/>
    <xsl:sequence select="'uuid_' || substring($hex, 1, 8) || '-' || substring($hex, 9, 4)
        || '-8' || substring($hex, 14, 3) || '-' || substring('89ab', xs:integer(f:hash($cp, 7, 3) mod 4) + 1, 1)
        || substring($hex, 18, 3) || '-' || substring($hex, 21, 12)"/>
  </xsl:function>

  <!-- The edition a letter comes from, as one citation string (its identity). -->
  <xsl:function name="f:edition" as="xs:string">
    <xsl:param name="tei" as="element(TEI)"/>
    <xsl:variable name="b" select="($tei/teiHeader/fileDesc/sourceDesc/bibl[@type = 'edition'])[1]"/>
    <xsl:sequence select="if ($b) then normalize-space(($b/title)[1]) || '. '
        || string-join((normalize-space($b/pubPlace), normalize-space($b/publisher)), ': ')
        || ', ' || normalize-space($b/date) || '.'
        else 'corresptei: ' || f:title($tei)"/>
  </xsl:function>

  <!-- ================================================================ header -->

  <xsl:template match="/">
    <xsl:variable name="changes" select="$letters/teiHeader/revisionDesc//change/@when[matches(., '^\d{4}-\d{2}-\d{2}')]"/>
    <xsl:variable name="date" select="if ($publication-date) then $publication-date
        else if ($changes) then max(for $c in $changes return substring($c, 1, 10))
        else string(current-date())"/>
    <TEI>
      <teiHeader>
        <fileDesc>
          <titleStmt>
            <title>{$corpus-title}</title>
            <editor>corresptei</editor>
          </titleStmt>
          <publicationStmt>
            <publisher>corresptei</publisher>
            <idno type="url">{$base-url}cmif.xml</idno>
            <date when="{substring($date, 1, 10)}"/>
            <availability>
              <licence target="https://creativecommons.org/licenses/by/4.0/">This file is licensed under the terms of the Creative-Commons-License CC-BY 4.0</licence>
            </availability>
          </publicationStmt>
          <sourceDesc>
            <xsl:for-each select="distinct-values(for $l in $letters return f:edition($l))">
              <bibl type="print" xml:id="{f:uuid(.)}">{.}</bibl>
            </xsl:for-each>
          </sourceDesc>
        </fileDesc>
        <profileDesc>
          <xsl:apply-templates select="$letters"/>
        </profileDesc>
      </teiHeader>
      <text>
        <body>
          <p/>
        </body>
      </text>
    </TEI>
  </xsl:template>

  <!-- ========================================================== correspDesc -->

  <xsl:template match="TEI">
    <xsl:variable name="desc" select="teiHeader/profileDesc/correspDesc"/>
    <correspDesc source="#{f:uuid(f:edition(.))}">
      <xsl:if test="$base-url">
        <xsl:attribute name="ref" select="$base-url || 'html/' || f:stem(.) || '.html'"/>
      </xsl:if>
      <xsl:call-template name="action">
        <xsl:with-param name="type" select="'sent'"/>
        <xsl:with-param name="actions" select="$desc/correspAction[@type = 'sent']"/>
        <xsl:with-param name="date" select="(f:letter-date(.), $desc/correspAction[@type = 'sent']/date[@type = 'dispatch'])[1]"/>
      </xsl:call-template>
      <xsl:call-template name="action">
        <xsl:with-param name="type" select="'received'"/>
        <xsl:with-param name="actions" select="$desc/correspAction[@type = 'received']"/>
        <xsl:with-param name="date" select="($desc/correspAction[@type = 'received']/date)[1]"/>
      </xsl:call-template>
    </correspDesc>
  </xsl:template>

  <xsl:template name="action">
    <xsl:param name="type" as="xs:string"/>
    <xsl:param name="actions" as="element(correspAction)*"/>
    <xsl:param name="date" as="element(date)?"/>
    <correspAction type="{$type}">
      <xsl:for-each select="$actions/persName">
        <xsl:variable name="person" select="f:person(f:person-id(@ref), $personography)"/>
        <xsl:variable name="uris" select="for $t in ('gnd', 'viaf', 'wikidata')
            return $person/idno[@type = $t]/f:authority-uri(.)"/>
        <persName>
          <xsl:if test="exists($uris)"><xsl:attribute name="ref" select="$uris[1]"/></xsl:if>
          <xsl:value-of select="if ($person) then f:full-name($person)
              else f:person-name(., $personography)"/>
        </persName>
      </xsl:for-each>
      <xsl:if test="empty($actions/persName)">
        <persName>unknown</persName>
      </xsl:if>
      <xsl:for-each select="($actions/placeName)[1]">
        <placeName>{normalize-space(.)}</placeName>
      </xsl:for-each>
      <xsl:for-each select="$date[@when or @notBefore or @notAfter or @from or @to]">
        <date>
          <xsl:copy-of select="@when | @notBefore | @notAfter | @from | @to"/>
          <xsl:if test="@evidence"><xsl:attribute name="evidence">conjecture</xsl:attribute></xsl:if>
        </date>
      </xsl:for-each>
    </correspAction>
  </xsl:template>

</xsl:stylesheet>
