"""Revisions of the schema, oldest first by their numbered file names."""
