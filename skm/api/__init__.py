"""JSON API for other systems."""
