"""Site: the Catalog in; the generated part of catalog/ and the built site/ out.

`render`, `listings`, `outputs` (pages), `api`, `feed`, `badge`, `sanitize` (untrusted
Markdown to safe HTML), `incremental` (per-agent fingerprints), `freshness` (proof that nothing
changed since the last build), `green` (commits proven green, for the pull-request gate's fast
path), `write` (the one writer), `build` (the stages in order),
`builder` (mkdocs behind one function), `serve` and `size` (the built site as GitHub Pages
receives it). Imports every stage below; imported only by the top (`cli`, `docs`, `gate`).
"""
