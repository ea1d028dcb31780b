"""Catalog: checked agents, their history, moderation and the site settings in; the Catalog out.

`model` is the pure, immutable, sorted model that every later stage reads; `assemble` builds
it (validate beside history, then moderation and settings); `partial` assembles a few
agents (the pull-request gate's fast path); `settings` reads mkdocs.yml. Shared helpers live
with their first user: `memo` (per-agent memos reused by `catalog serve`); the forked workers
are `generator.parallel`, at the bottom layer, as the checks use them too. Imports `checks`
and `history`; imported by `flows`, `search`, `site` and the top.
"""
