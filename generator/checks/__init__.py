"""Checks: agent folders and moderation.yaml in, located problems and checked agents out.

Reading files safely (`load`, `files`, `jsonload`, `jsonpos`, `source`), the manifest and
character models, the rule table, per-agent checks (`agent`; `checked`: the agent record and
its pickled form; `verdicts`: their problems kept by the blob ids of each folder's files;
`loading`: from that store or in forked workers),
catalog-wide checks and discovery (`validate`; `facts`: the other agents' names by git blob
id), the rules of a change against a base revision (`change`: versions, owners, who may change
what; `paths`: every changed path; `commits`: what its commits would publish), secrets,
look-alike names, 0.x migration, moderation decisions, starter placeholders, and problems with
their output formats.
The bottom stage beside `history`: it imports only the bottom modules (`gitio`, `parallel`), and
every package above may import it.
"""
