"""The ODD compiler: ODD + TEI P5 source -> RELAX NG, Schematron, XSD and an HTML reference."""
