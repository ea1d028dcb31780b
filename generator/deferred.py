"""Modules a command imports but seldom runs, stood in for until one of their names is used.

Start-up is most of what a user waits for on the short paths (issue 13, catalog/performance.md):
a one-agent `catalog validate` whose verdict is stored never runs the secret scanner, yet
importing the checks loads it, detect-secrets and requests (~0.1 s); whoosh imports asyncio,
calendar, html and an English word table for what a query never runs (~55 ms). While a block
of `deferred` runs, each such module not imported yet is a `StandIn`: the first use of a name
from it imports the real module and answers from it, and afterwards an import gets the real one.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
import types
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

_NO_FUNCTIONS: Mapping[str, tuple[str, ...]] = {}


class StandIn(types.ModuleType):
    """A module not imported yet. A name taken from it at import time that `functions` lists
    (`from hashlib import md5`) is a wrapper importing the module when called; any other name
    imports it at once. asyncio's `iscoroutinefunction` (whoosh's `cached_property` calls it
    while imported) is `inspect`'s, as asyncio's own is while its marker is not loaded.
    `__file__` is the real module's when known, so a walk of `sys.modules` looking for files
    (`inspect.getmodule`, which pydantic calls for each model) loads nothing."""

    def __init__(self, name: str, functions: tuple[str, ...] = ()) -> None:
        super().__init__(name)
        self._functions = functions

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):  # the import system probing (__path__...): not a package
            raise AttributeError(name)
        coroutines = "asyncio.coroutines" in sys.modules
        if self.__name__ == "asyncio" and name == "iscoroutinefunction" and not coroutines:
            return _iscoroutinefunction
        if name in self._functions:
            return self._wrapper(name)
        return getattr(self._real(), name)

    def _wrapper(self, name: str) -> Callable[..., Any]:
        def call(*args: Any, **kwargs: Any) -> Any:
            return getattr(self._real(), name)(*args, **kwargs)

        return call

    def _real(self) -> types.ModuleType:
        if sys.modules.get(self.__name__) is self:
            del sys.modules[self.__name__]
        return importlib.import_module(self.__name__)


@contextmanager
def deferred(
    *names: str, functions: Mapping[str, tuple[str, ...]] = _NO_FUNCTIONS
) -> Iterator[None]:
    """Each module of `names` not imported yet (and installed) stood in for while the block
    runs; `functions[name]` are the names taken from it at import time (see `StandIn`)."""
    placed: dict[str, StandIn] = {}
    for name in names:
        if name in sys.modules:
            continue
        parent, _, child = name.rpartition(".")
        origin = _origin(name) if not parent or parent in sys.modules else None
        if origin is None and not parent:  # not installed: its import fails as it would
            continue
        stand_in = placed[name] = StandIn(name, functions.get(name, ()))
        if origin is not None:
            stand_in.__file__ = origin
        sys.modules[name] = stand_in
        if parent in sys.modules:  # `from package import name` reads the package's attribute
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


def _iscoroutinefunction(func: object) -> bool:
    """`inspect.iscoroutinefunction`, without importing inspect (~9 ms with ast and dis) for a
    plain function (its code's CO_COROUTINE flag, as inspect reads it); else inspect's."""
    if type(func) is types.FunctionType and "_is_coroutine_marker" not in vars(func):
        return bool(func.__code__.co_flags & 0x80)
    import inspect

    return inspect.iscoroutinefunction(func)


def _origin(name: str) -> str | None:
    """The file `name` would be imported from, without importing it (None: not found)."""
    spec = importlib.util.find_spec(name)
    return spec.origin if spec is not None else None
