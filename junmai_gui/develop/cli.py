"""`junmai-develop`: develop photos with a preset from the command line, without the app.

    junmai-develop INPUT... --preset NAME|FILE [--blend N] --out DIR [--format F]
                   [--quality Q] [--long-edge PX] [--json]
    junmai-develop --list-presets [--json]

Folders are searched recursively. Exit status: 0 when every photo developed, 1 when any
failed, 2 on bad arguments (including an unknown preset or a blend out of range). Each
photo prints its output path or why it failed; `--json` prints one JSON object per line.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from junmai_gui import paths
from junmai_gui.develop.engine import OutputOptions, develop_photo
from junmai_gui.develop.errors import DevelopError, PresetError
from junmai_gui.develop.formats import collect_photos
from junmai_gui.develop.library import PresetLibrary
from junmai_gui.develop.loaders import is_preset_file, load_preset_file
from junmai_gui.develop.naming import plan_output_paths
from junmai_gui.develop.output import unsupported_here
from junmai_gui.develop.preset import Preset
from junmai_gui.domain.clock import new_batch_id
from junmai_gui.domain.config import (
    BIT_DEPTHS,
    CONFLICT_POLICIES,
    DEFAULT_NAMING,
    OUTPUT_FORMATS,
    BatchConfig,
)
from junmai_gui.domain.errors import InvalidBatchError

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="junmai-develop",
        description="Develop photos with a preset: JPEG, PNG, TIFF, WebP, AVIF, HEIC and RAW in.",
    )
    parser.add_argument("inputs", nargs="*", metavar="INPUT", help="photos or folders")
    parser.add_argument("--preset", help="a preset name (see --list-presets) or a preset file")
    parser.add_argument("--blend", type=float, help="0..100 (default: the preset's own)")
    parser.add_argument("--out", type=Path, help="the output folder (created if missing)")
    parser.add_argument("--format", choices=OUTPUT_FORMATS, default="jpeg")
    parser.add_argument("--quality", type=int, default=92, help="1..100 (default 92)")
    parser.add_argument("--bit-depth", type=int, choices=BIT_DEPTHS, default=8)
    parser.add_argument("--long-edge", type=int, metavar="PX", help="resize down to this edge")
    parser.add_argument("--naming", default=DEFAULT_NAMING, help="e.g. '{stem}_{preset}'")
    parser.add_argument("--on-conflict", choices=CONFLICT_POLICIES, default="unique")
    parser.add_argument("--keep-profile", action="store_true", help="keep the source profile")
    parser.add_argument("--xmp-sidecar", action="store_true", help="write .xmp for RAW files")
    parser.add_argument("--list-presets", action="store_true", help="list the presets")
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    return parser


def _library() -> PresetLibrary:
    data_dir = paths.resolve_data_dir()
    return PresetLibrary(paths.user_presets_dir(data_dir), paths.lut_cache_dir(data_dir))


def _list_presets(as_json: bool) -> int:
    library = _library()
    presets = library.presets()
    if as_json:
        rows = [
            {"name": p.name, "source": p.source, "unsupported_keys": list(p.unsupported_keys)}
            for p in presets
        ]
        print(json.dumps(rows, ensure_ascii=False))
    else:
        for p in presets:
            extra = (
                f" (not rendered: {', '.join(p.unsupported_keys)})" if p.unsupported_keys else ""
            )
            print(f"{p.name}\t{p.source}{extra}")
    for _path, message in library.problems():
        print(f"warning: {message}", file=sys.stderr)
    return EXIT_OK


def _resolve_preset(value: str) -> Preset:
    candidate = Path(value).expanduser()
    if candidate.is_file():
        return load_preset_file(candidate)
    library = _library()
    if value not in library.names() and is_preset_file(candidate):
        raise PresetError(f"The preset file {value} does not exist.")
    return library.get(value)


def _warn_about(preset: Preset) -> None:
    """Say on stderr what of the preset is not applied, so nothing is dropped silently."""
    if preset.unsupported_keys:
        keys = ", ".join(preset.unsupported_keys)
        print(f"warning: {preset.name}: not rendered: {keys}", file=sys.stderr)
    for warning in preset.warnings:
        print(f"warning: {preset.name}: {warning}", file=sys.stderr)


def _report(args: argparse.Namespace, source: str, output: Path | None, error: str | None) -> None:
    if args.json:
        row: dict[str, Any] = {
            "input": source,
            "output": str(output) if output else None,
            "error": error,
        }
        print(json.dumps(row, ensure_ascii=False), flush=True)
    elif error is not None:
        print(f"{source}: {error}", flush=True)
    elif output is None:
        print(f"{source}: skipped, its output already exists", flush=True)
    else:
        print(f"{source} -> {output}", flush=True)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.list_presets:
        return _list_presets(args.json)
    if not args.inputs:
        parser.error("give at least one photo or folder")
    if not args.preset:
        parser.error("--preset is required")
    if args.out is None:
        parser.error("--out is required")
    try:
        preset = _resolve_preset(args.preset)
    except PresetError as exc:  # a bad preset is no misuse of the command: no usage text
        print(f"{parser.prog}: {exc.message}", file=sys.stderr)
        return EXIT_USAGE
    _warn_about(preset)
    blend = preset.default_blend if args.blend is None else args.blend
    try:
        config = BatchConfig(
            preset=preset.name, blend=blend, output_dir=str(args.out.expanduser().resolve()),
            format=args.format, quality=args.quality, bit_depth=args.bit_depth,
            naming=args.naming, on_conflict=args.on_conflict, long_edge=args.long_edge,
            keep_profile=args.keep_profile, xmp_sidecar=args.xmp_sidecar,
        )  # fmt: skip
    except InvalidBatchError as exc:
        parser.error(exc.message)
    problem = unsupported_here(config)
    if problem:
        parser.error(problem)
    options = OutputOptions.from_config(config)
    try:
        args.out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        parser.error(f"the output folder {args.out} cannot be created ({exc.strerror})")
    collected = collect_photos(args.inputs)
    failed = False
    for raw, reason in collected.rejected:
        _report(args, raw, None, reason)
        failed = True
    outputs = plan_output_paths(
        collected.files, output_dir=args.out, naming=args.naming, format=args.format,
        preset_name=preset.name, batch_id=new_batch_id(), on_conflict=args.on_conflict,
    )  # fmt: skip
    for source, output in zip(collected.files, outputs, strict=True):
        if output is None:
            _report(args, str(source), None, None)
            continue
        try:
            output.parent.mkdir(parents=True, exist_ok=True)  # a "/" in --naming: folders
            develop_photo(source, output, preset, blend, options)
        except DevelopError as exc:
            _report(args, str(source), None, exc.message)
            failed = True
        except OSError as exc:
            _report(args, str(source), None, f"{output.parent} cannot be created ({exc})")
            failed = True
        else:
            _report(args, str(source), output, None)
    return EXIT_FAILED if failed else EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
