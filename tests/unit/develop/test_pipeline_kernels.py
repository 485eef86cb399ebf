"""The compiled pixel loops load in an install where numba can cache nowhere."""

from __future__ import annotations

import importlib.util
import warnings

import numba.core.caching
import pytest

from junmai_gui.develop.pipeline import kernels


def test_kernels_load_without_any_writable_cache_folder(monkeypatch: pytest.MonkeyPatch) -> None:
    # No locator: neither the package's __pycache__ nor a user cache folder is writable.
    monkeypatch.setattr(numba.core.caching.CacheImpl, "_locator_classes", [])
    assert kernels.__spec__ is not None and kernels.__spec__.origin is not None
    spec = importlib.util.spec_from_file_location("kernels_read_only", kernels.__spec__.origin)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # nor a loud warning
        spec.loader.exec_module(module)
    assert isinstance(module.develop_rows, numba.core.registry.CPUDispatcher)
    assert isinstance(module.develop_rows._cache, numba.core.caching.NullCache)


def test_kernels_cache_on_disk_when_they_can() -> None:
    assert not isinstance(kernels.develop_rows._cache, numba.core.caching.NullCache)
