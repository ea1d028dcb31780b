"""The version of the whoosh index's schema, apart from `index` so that `command` decides whether
its index is stale without importing whoosh."""

SCHEMA_VERSION = "1"
"""Bump when the schema or analyzers of `index` change: an index of another version is rebuilt."""
