"""Curation: changing the store safely, checking quotes against their sources, and drafting facts from an article."""
