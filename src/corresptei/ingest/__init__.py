"""Ingest: source texts -> the correspondence model (corresptei.model)."""
