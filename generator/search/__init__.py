"""Search: the Catalog in; the whoosh index, the browser index and related agents out.

`documents` (what search sees of an agent and the word rules search.js mirrors), `index` and
`query` (the whoosh index and its queries, the only modules that import whoosh), `command`
(`catalog search` and its cached index), `staleness` (whether that index is stale, from git
and the times of files and folders), `browser_index`/`browser_query` (the static sharded index and
a Python port of its JavaScript ranking), `similarity`/`related` (related agents). Imports
`catalog`, `checks` and `history`; imported by `site` and the top.
"""
