"""What large LUT files in the presets folder cost at launch.

Each case starts a fresh process that builds the `PresetLibrary` the app builds at launch
(built-ins, the user's presets folder, the LUT cache in the data folder) and prints the time
that took, the peak of the memory allocated while it did (tracemalloc, numpy included), and
the process's peak resident memory. Cases, in one run:

- `built-ins only`: an empty presets folder (the baseline the other rows are compared with);
- `129-point .cube, first launch`: a 58 MB .cube (129³ rows) parsed and written to the cache;
- `129-point .cube, next launch`: the same file again, read back from the cache;
- `100 MB .cube`: a file over the 64 MB cap, refused by its size.

    python benchmarks/preset_startup.py [--json]
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]

CHILD = r"""
import resource, sys, time, tracemalloc
from pathlib import Path
from junmai_gui import paths
from junmai_gui.develop.library import PresetLibrary
data_dir = Path(sys.argv[1])
tracemalloc.start()
started = time.perf_counter()
library = PresetLibrary(paths.user_presets_dir(data_dir), paths.lut_cache_dir(data_dir))
seconds = time.perf_counter() - started
allocated = tracemalloc.get_traced_memory()[1] / 2**20
print(seconds, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, allocated,
      len(library.names()), len(library.problems()))
"""


def write_cube(path: Path, points: int) -> None:
    axis = np.linspace(0.0, 1.0, points)
    blue, green, red = np.meshgrid(axis, axis, axis, indexing="ij")
    rows = np.stack([red.ravel(), green.ravel(), blue.ravel()], axis=1)
    with path.open("w", encoding="utf-8") as handle:
        handle.write(f'TITLE "{points} points"\nLUT_3D_SIZE {points}\n')
        np.savetxt(handle, rows, fmt="%.6f")


def launch(data_dir: Path) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(data_dir)],
        capture_output=True, text=True, check=True, cwd=ROOT,
    )  # fmt: skip
    seconds, peak_mb, allocated_mb, names, problems = done.stdout.split()
    return {"seconds": float(seconds), "peak_mb": float(peak_mb),
            "allocated_mb": float(allocated_mb), "presets": int(names),
            "problems": int(problems)}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="junmai-preset-startup-"))
    try:
        big = work / "big.cube"
        write_cube(big, 129)
        huge = work / "huge.cube"
        write_cube(huge, 155)
        rows: list[tuple[str, int, dict[str, float]]] = []
        for name, files in (
            ("built-ins only", []),
            ("129-point .cube, first launch", [big]),
            ("129-point .cube, next launch", [big]),
            ("100 MB .cube", [huge]),
        ):
            data_dir = work / ("data-big" if "129" in name else f"data-{len(rows)}")
            presets = data_dir / "presets"
            presets.mkdir(parents=True, exist_ok=True)
            for file in files:
                if not (presets / file.name).exists():
                    shutil.copy(file, presets / file.name)
            size = sum(f.stat().st_size for f in files)
            rows.append((name, size, launch(data_dir)))
        base = rows[0][2]
        for name, size, figures in rows:
            figures["seconds_over_baseline"] = figures["seconds"] - base["seconds"]
            figures["peak_mb_over_baseline"] = figures["peak_mb"] - base["peak_mb"]
            if args.json:
                print(json.dumps({"case": name, "file_mb": round(size / 2**20, 1), **figures}))
            else:
                print(
                    f"{name:30} file {size / 2**20:5.1f} MB  library {figures['seconds']:6.3f} s "
                    f"(+{figures['seconds_over_baseline']:.3f})  allocated "
                    f"{figures['allocated_mb']:6.1f} MB  process peak {figures['peak_mb']:4.0f} MB "
                    f"(+{figures['peak_mb_over_baseline']:.0f})  problems {figures['problems']}"
                )
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
