"""Render TEI to readers' outputs with XSLT 3.0 (HTML, plain text, print/PDF, CMIF)."""
