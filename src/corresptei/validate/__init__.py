"""Validate TEI against the compiled schema (RELAX NG, Schematron, XSD) and corpus rules.

Layers (imports point down only)::

    findings, xmlpaths           records and locations
    security                     hardened parsing, input limits
    rngmodel -> relaxng          libxml2 RELAX NG + explanations from the grammar
    schematron                   ISO Schematron -> XSLT 3.0 (saxonche)
    xsd, corpus                  XSD, cross-file checks
    cache, runner                caching between runs, parallel workers
    formats                      text/json/junit/sarif/github

Public API::

    validate(paths, schema=...)    raises ValidationError
    is_valid(paths, schema=...)    -> bool
    iter_errors(paths, schema=...) yields Finding records (all severities)
"""

from .findings import Engine, Finding, Severity
from .runner import is_valid, iter_errors, validate
from .security import Limits

__all__ = ["Engine", "Finding", "Limits", "Severity", "is_valid", "iter_errors", "validate"]
