"""XSLT 3.0 stylesheets shipped as package data (TEI -> HTML, text, print, CMIF)."""
