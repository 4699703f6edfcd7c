"""Factdesk: curated claim files in, a checked, searchable fact-check site out."""

__version__ = "0.1.0"
