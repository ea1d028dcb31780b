"""mkdocs hook: the 404 page works wherever the host serves it.

A host answers every missing address with `404.html` (GitHub Pages does, at any depth), so mkdocs
writes its links as absolute paths under site_url (`/public-agents-catalog/...`): served at
another path (a custom domain, a local server at the root) the page lost its styles, search and
links. Here its links become relative to a `<base>` whose address a line of script picks: the
folder of 404.html when opened by name, site_url's path when the address starts with it, else
the host's root; without script, site_url's path as before.
"""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import urlsplit

PICK = (
    "<script>(function(p,b){{var h=location.pathname;"
    'b.href=/\\/404\\.html$/.test(h)?h.replace(/[^\\/]*$/,""):h.indexOf(p)===0?p:"/"}})'
    "({path},document.currentScript.previousElementSibling)</script>"
)


def on_post_template(output: str, template_name: str, config: Any, **_: Any) -> str:
    """Rewrite 404.html's absolute links as relative ones under a chosen `<base>`."""
    if template_name != "404.html":
        return output
    path = urlsplit(config.site_url or "/").path.rstrip("/") + "/"
    output = re.sub(r'(\s(?:href|src)=")' + re.escape(path), r"\1", output)
    output = output.replace(f"new URL({json.dumps(path)},location)", 'new URL(".",document.baseURI)')
    base = f'<base href="{path}">' + PICK.format(path=json.dumps(path))
    return re.sub(r"<head>", lambda _: "<head>\n" + base, output, count=1)
