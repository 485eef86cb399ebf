"""Composition root (being wired up): builds the parts and runs the app."""

from __future__ import annotations


def main(argv: list[str] | None = None) -> int:
    raise SystemExit("junmai-gui: the app is being assembled")
