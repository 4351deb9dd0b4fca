"""Encode: the correspondence model -> TEI P5 documents and a personography."""
