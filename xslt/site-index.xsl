<?xml version="1.0" encoding="UTF-8"?>
<!--
  site-index.xsl: one TEI letter -> its record in the site index (site-record.xsl).

  Parameter $persons: the personography document (names in the letters table).
  The renderer makes every letter's record in the letter pass and hands
  html-site.xsl the index: <ix:index> with the records in reading order.
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:f="urn:corresptei:functions"
    xpath-default-namespace="http://www.tei-c.org/ns/1.0"
    exclude-result-prefixes="#all">

  <xsl:include href="common.xsl"/>
  <xsl:include href="site-record.xsl"/>

  <xsl:output method="xml" encoding="UTF-8" indent="no" omit-xml-declaration="yes"/>

  <xsl:param name="persons" as="document-node()?" select="()"/>

  <xsl:template match="/">
    <xsl:sequence select="f:site-record(TEI, $persons)"/>
  </xsl:template>

</xsl:stylesheet>
