"""`python -m generator` runs the `catalog` command line."""

from .cli import main

main()
