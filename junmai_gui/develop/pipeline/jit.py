"""Compiling the pixel loops with numba: lazily, without the GIL, cached on disk when possible.

Imported only by the compiled modules (`kernels`, `rows`), because numba and LLVM cost about
130 MB of memory.
"""

from __future__ import annotations

from collections.abc import Callable, Set
from typing import Any, TypeVar, cast

import numba

F = TypeVar("F", bound=Callable[..., Any])


def compiled(*, fastmath: bool | Set[str] = False) -> Callable[[F], F]:
    """A decorator: compile with numba (nogil), caching the machine code on disk when a folder
    is writable.

    numba tries the package's __pycache__, then the user's cache folder (or NUMBA_CACHE_DIR);
    in a read-only install with neither it refuses `cache=True` outright, so then each process
    compiles afresh instead of failing to import. `fastmath` takes numba's flag names; the
    loops here use only flags that keep IEEE results identical on every CPU (no reassociation,
    no contraction into fused multiply-adds), so a photo gives the same bytes everywhere.
    """
    flags = set(fastmath) if not isinstance(fastmath, bool) else fastmath

    def decorate(function: F) -> F:
        try:
            return cast(F, numba.njit(nogil=True, cache=True, fastmath=flags)(function))
        except RuntimeError:  # "cannot cache function …: no locator available"
            return cast(F, numba.njit(nogil=True, cache=False, fastmath=flags)(function))

    return decorate
