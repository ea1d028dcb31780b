"""Public Agents Catalog generator: manifests in, validated catalog and static site out.

The packages are the stages of one data flow, and imports only go down it
(`tests/test_layout.py` and `make lint` keep it so):

    cli                  the `catalog` command: one function call per command
    gate | docs          the pull-request gate (the build's checks on the merge result) |
                         the reference pages and JSON Schema generated from code
    site                 Catalog -> pages, listings, API, feed, badges; the writer; mkdocs; serve
    search | flows       search index, browser search, related agents | fork, new, submit, report
    catalog              the immutable Catalog and its assembly (checks + history + settings)
    checks | history     reading and judging agent files and changes | the one-pass git reader
    gitio                parsing git's machine output (shared by the stages that run git)
    parallel             forked workers, one per core (shared by checks, catalog and site)
"""

__version__ = "0.1.0"
