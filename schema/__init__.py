"""The ODD customisation and its compiled schemas, shipped as package data."""
