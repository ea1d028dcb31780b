"""The console script: the click group with every command module registered on it."""

from generator.cli import author, registry, site
from generator.cli.base import console, main

COMMAND_MODULES = (author, registry, site)
"""Imported for their side effect: each registers its commands on `main`."""

__all__ = ["COMMAND_MODULES", "console", "main"]
