"""`python -m generator` runs the `catalog` command line."""

from .cli import console

console()
