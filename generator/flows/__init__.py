"""Flows: what people do with an agent. An agent or folder in; files, links and commands out.

`fork` (the pinned git command on every page and `catalog fork`), `new` (`catalog new`),
`submit` (the submit page and its new-file link), `report` (the prefilled report link).
Imports `catalog`, `checks` and `history`; imported by `site` (pages show the fork command and
the report link) and the top.
"""
