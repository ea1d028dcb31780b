"""Public Agents Catalog generator: manifests in, validated catalog and static site out."""

__version__ = "0.1.0"
