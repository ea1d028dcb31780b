"""Modules whoosh imports for what a query never runs, stood in for while `query` imports whoosh
(issue 13: a search's start-up). A stand-in imports the real module at the first use of a name
from it; a function taken from it at import time (`from hashlib import md5`) is a wrapper that
imports the real module when called. Measured with `python -X importtime`, CPU on this machine:

- asyncio (whoosh.index's async API, `cached_property`): with ssl and socket, ~45 ms;
- whoosh.lang.morph_en (the Variations query's word table): ~5 ms;
- calendar (whoosh.util.times, for date fields): ~3 ms;
- html (highlighting, `escape`): ~1.5 ms.
"""

from __future__ import annotations

import importlib
import inspect
import sys
import types
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

DEFERRED: dict[str, tuple[str, ...]] = {
    "asyncio": (),
    "whoosh.lang.morph_en": ("variations",),
    "calendar": (),
    "html": ("escape",),
}
"""The modules stood in for, and the functions taken from them when whoosh is imported."""


class _StandIn(types.ModuleType):
    """A module not imported yet: any name from it imports it (`functions`: a wrapper that does
    so when called). asyncio's `iscoroutinefunction` (whoosh's `cached_property` calls it once
    while imported) is `inspect`'s, as asyncio's own is while its marker is not loaded."""

    def __init__(self, name: str, functions: tuple[str, ...]) -> None:
        super().__init__(name)
        self._functions = functions

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):  # the import system probing (__path__...): not a package
            raise AttributeError(name)
        coroutines = "asyncio.coroutines" in sys.modules
        if self.__name__ == "asyncio" and name == "iscoroutinefunction" and not coroutines:
            return inspect.iscoroutinefunction
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
def deferred() -> Iterator[None]:
    """The modules of `DEFERRED` stood in for in what is imported inside (those not imported
    yet); afterwards, an import of them imports the real module."""
    stand_ins = {
        name: _StandIn(name, functions)
        for name, functions in DEFERRED.items()
        if name not in sys.modules
    }
    sys.modules.update(stand_ins)
    try:
        yield
    finally:
        for name, stand_in in stand_ins.items():
            if sys.modules.get(name) is stand_in:
                del sys.modules[name]
