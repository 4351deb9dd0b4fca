"""Benchmarks at archive scale: a synthetic corpus generator and ``make bench``.

Not part of the installed package: nothing under ``src/`` imports this.
"""
