"""Modules a command imports but seldom runs, loaded when one of their names is first used.

A one-agent `catalog validate` whose verdict comes from the store (`checks/verdicts.py`) never
runs the secret scanner, yet importing the checks loads it, detect-secrets with it, and requests,
which detect-secrets imports to verify keys online (never done here): ~0.1 s of a 0.5 s goal
(issue 13). The stand-ins are the same idea as `search/query.py`'s for asyncio.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
import types
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any


class Deferred(types.ModuleType):
    """Stands in for a module until any name of it is used, then imports the real module and
    answers from it. `__file__` is the real one, so a walk over `sys.modules` that looks for
    files (`inspect.getmodule`, which pydantic calls for each model) loads nothing."""

    def __getattr__(self, name: str) -> Any:
        if sys.modules.get(self.__name__) is self:
            del sys.modules[self.__name__]
        return getattr(importlib.import_module(self.__name__), name)


@contextmanager
def deferred(*names: str) -> Iterator[None]:
    """Each module of `names` not imported yet replaced by a `Deferred` while the block runs;
    afterwards an import gets the real module, and the stand-ins handed out load it on use."""
    placed: dict[str, Deferred] = {}
    for name in names:
        if name in sys.modules:
            continue
        spec = importlib.util.find_spec(name)
        if spec is None or spec.origin is None:
            continue
        stand_in = placed[name] = Deferred(name)
        stand_in.__file__ = spec.origin
        sys.modules[name] = stand_in
        parent, _, child = name.rpartition(".")
        if parent:  # `from package import name` reads the package's attribute
            setattr(sys.modules[parent], child, stand_in)
    try:
        yield
    finally:
        for name, stand_in in placed.items():
            if sys.modules.get(name) is stand_in:
                del sys.modules[name]
            parent, _, child = name.rpartition(".")
            if parent and getattr(sys.modules.get(parent), child, None) is stand_in:
                delattr(sys.modules[parent], child)
