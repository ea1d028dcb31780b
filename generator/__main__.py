"""`python -m generator` runs the `catalog` command line."""

from generator.cli.app import console

console()
