"""History: a git repository in, per agent its dates, published versions, moves and removals out.

The one-pass git reader (`reader`): one `git log` and one `git cat-file --batch`, never one
git call per file; `slice` (the same for a few agent folders, for the pull-request gate);
`gitrun` (the stage's error, its git calls and where a read begins);
`manifests` reads what an old agent.yaml holds, trusting none of it. It
imports no other generator package; `catalog`, `flows` and the layers above may import it.
"""
