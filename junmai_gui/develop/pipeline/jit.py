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
    Division follows numpy's error model (no check for a zero divisor, which Python's model
    makes in every division and which stops LLVM from vectorising the loop); no loop here
    divides by zero.
    """
    flags = set(fastmath) if not isinstance(fastmath, bool) else fastmath
    options: dict[str, Any] = {"nogil": True, "fastmath": flags, "error_model": "numpy"}

    def decorate(function: F) -> F:
        try:
            return cast(F, numba.njit(cache=True, **options)(function))
        except RuntimeError:  # "cannot cache function …: no locator available"
            return cast(F, numba.njit(cache=False, **options)(function))

    return decorate
