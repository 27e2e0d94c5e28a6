"""Answers to questions about a store, as plain objects: no click, no rich."""
