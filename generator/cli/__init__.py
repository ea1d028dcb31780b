"""The `catalog` command line: options in, one function call out per command.

`base` holds the click group and what every command shares; `author` (validate, new, migrate,
fork, verify, docs), `site` (build, serve, search, site-size) and `registry` (registry-update)
register their commands on it; `app` imports them all and is the console script, which first lets
`quick` answer a plain `catalog search` without click; `root` finds the catalog for both
(`generator.deferred` keeps modules a command seldom runs from loading until used). A new
command goes into the module it belongs with, or a new one that `app` imports. Top layer:
imports every stage, imported by nothing.
"""
