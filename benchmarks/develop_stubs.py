"""Develop functions for the benchmarks that time the controller rather than the pixels.

Qt-free and importable by name (`benchmarks.develop_stubs:no_develop`), so develop processes
can run them as they would the real engine."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any


def no_develop(source: Path, output: Path, *args: Any, **kwargs: Any) -> Path:
    """Develops nothing: what remains of a photo's time is the controller's own cost."""
    return Path(output)


def sleepy_develop(source: Path, output: Path, *args: Any, **kwargs: Any) -> Path:
    """50 ms of waiting and no CPU: what the controller adds without the machine's noise."""
    time.sleep(0.05)
    return Path(output)
