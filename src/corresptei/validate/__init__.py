"""Validate TEI against the compiled schema (RELAX NG, Schematron, XSD) and corpus rules."""
