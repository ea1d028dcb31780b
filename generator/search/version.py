"""The version of the whoosh index's schema and the weights of its fields, apart from `index` and
`documents` so that `command` decides whether its index is stale without importing whoosh, and
`query` ranks without importing the search documents (~7 ms of a search's start-up)."""

SCHEMA_VERSION = "1"
"""Bump when the schema or analyzers of `index` change: an index of another version is rebuilt."""

FIELD_BOOSTS: dict[str, float] = {
    "name": 6.0,
    "tags": 3.0,
    "slug": 2.0,
    "summary": 2.0,
    "owner": 1.5,
    "plugins": 1.5,
    "topics": 1.5,
    "bio": 1.0,
    "text": 0.5,
}
"""Field weights shared by the CLI and the browser: the name first, then tags (issue 4)."""
