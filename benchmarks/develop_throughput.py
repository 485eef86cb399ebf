"""Develop throughput: photos per second for 24-MP JPEGs, against decode + encode alone.

Usage: python benchmarks/develop_throughput.py [--photos N] [--json]

It generates N deterministic photo-like JPEGs (gradients, shapes, mild sensor-like noise,
camera EXIF) in a temporary folder, then measures in one run, each in a fresh process:

(a) the floor: pyvips decode + JPEG encode at quality 92, written to a file;
(b) `develop_photo` with the built-in WhiteLayer_v4 at blend 60;
(c) `develop_photo` with a 33³ .cube LUT preset at blend 60;
(d) `develop_photo` with WhiteLayer_v4 plus Clarity and a vignette at blend 60 — the
    spatial steps most real Lightroom presets carry, which take the compiled per-pixel loop
    instead of the table gather;
(e) `develop_photo` with a film look at blend 60 (FILM_SETTINGS: exposure, contrast, tone
    curve, HSL, Clarity, Texture, Dehaze, sharpening, grain, vignette) — what a community
    film preset asks of the pipeline;

the floor in two in-process layouts — one photo at a time with libvips concurrency 2, and
two photos in parallel threads at concurrency 1 — keeping the faster; (b)–(e) as the app
develops them: through the executor, two develop processes (`LocalProcessExecutor`, the job
and result crossing a pipe as JSON, the table shared through a file), process overhead
included. Interleaved rounds, medians reported. Per-preset set-up (the processes warming
up, baking the preset's table) happens once before the clock starts, as it does once per
launch and batch. `--threads` also measures (b)–(e) in the in-process thread layouts, for
comparison (`*_thread_ratio`).

`first_photo_s`: a fresh launch's first photo (the film look, a new preset), from starting
the develop processes to its result, with numba's compiled loops not yet cached (`_cold`)
and cached (`_warm`); `first_photo_after_warm_up_s`: the same photo submitted once the
processes have warmed up (a batch started a moment after the app), against `next_photo_s`.

`--json` prints {"floor_photos_per_s", "preset_photos_per_s", "lut_photos_per_s",
"preset_ratio", "lut_ratio", "peak_rss_mb", "clarity_photos_per_s", "clarity_ratio",
"film_photos_per_s", "film_ratio", "first_photo_s_cold", "first_photo_s_warm",
"first_photo_after_warm_up_s_cold", "first_photo_after_warm_up_s_warm", "next_photo_s"};
peak RSS is the largest develop process's.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np
import pyvips

WIDTH, HEIGHT = 6000, 4000
QUALITY = 92
BLEND = 60.0
LAYOUTS = {"1x2": (1, 2), "2x1": (2, 1)}  # (photos in parallel, libvips concurrency)
PROCESSES = "2 processes"  # the app's layout: the executor with two develop processes
KINDS = ("floor", "preset", "lut", "clarity", "film")
# What (d) adds to WhiteLayer_v4: values as found in real Lightroom presets.
SPATIAL_SETTINGS = {"Clarity2012": 20, "PostCropVignetteAmount": -15, "PostCropVignetteFeather": 60}
# (e): a film look as community presets write it.
FILM_SETTINGS: dict[str, Any] = {
    "Exposure2012": 0.15,
    "Contrast2012": 20,
    "ToneCurvePV2012": ((0, 18), (64, 60), (128, 131), (192, 200), (255, 244)),
    "HueAdjustmentOrange": -6,
    "SaturationAdjustmentBlue": -20,
    "LuminanceAdjustmentGreen": -10,
    "Clarity2012": 15,
    "Texture": 10,
    "Dehaze": 10,
    "Sharpness": 40,
    "GrainAmount": 25,
    "GrainSize": 25,
    "GrainFrequency": 50,
    "PostCropVignetteAmount": -15,
    "PostCropVignetteFeather": 60,
}
DISTINCT_PHOTOS = 4  # generated; the runs cycle through them


def generate_photo(path: Path, seed: int) -> None:
    """A deterministic photo-like image: a sky-to-ground gradient, soft coloured shapes, fine
    texture and sensor-like noise. Shapes are drawn at 1/8 size with numpy and enlarged, so
    generating costs seconds, not minutes."""
    rng = np.random.default_rng(seed)
    small_w, small_h = WIDTH // 8, HEIGHT // 8
    y, x = np.mgrid[0:small_h, 0:small_w] / np.array([small_h, small_w])[:, None, None]
    sky = np.clip(y + x * rng.uniform(-0.3, 0.3), 0, 1.2)
    base = np.stack([sky * 120 + 60 + x * 40, sky * 100 + 80, (1 - sky) * 150 + 70], axis=-1)
    for _ in range(12):
        cx, cy = rng.uniform(0, small_w), rng.uniform(0.3, 1) * small_h
        radius = rng.uniform(0.03, 0.15) * small_w
        distance = np.hypot(np.arange(small_w)[None, :] - cx, np.arange(small_h)[:, None] - cy)
        inside = np.clip(radius - distance, 0, 1)[..., None]
        shade = (1 - distance / (radius * 3))[..., None]
        base = base * (1 - inside) + shade * rng.uniform(20, 235, 3) * inside
    small = pyvips.Image.new_from_array(np.clip(base, 0, 255).astype(np.uint8))
    large = small.resize(8, kernel="linear").crop(0, 0, WIDTH, HEIGHT)
    texture = pyvips.Image.gaussnoise(WIDTH // 4, HEIGHT // 4, sigma=8.0, seed=seed + 1000)
    texture = texture.resize(4, kernel="linear").crop(0, 0, WIDTH, HEIGHT)
    noise = pyvips.Image.gaussnoise(WIDTH, HEIGHT, sigma=3.0, mean=0.0, seed=seed)
    image = (large + texture + noise).cast("uchar").copy(interpretation="srgb")
    for name, value in (
        ("exif-ifd0-Make", "Junmai"),
        ("exif-ifd0-Model", "Benchmark 24MP"),
        ("exif-ifd2-DateTimeOriginal", f"2026:01:{1 + seed % 28:02d} 10:00:00"),
    ):
        image.set_type(pyvips.GValue.gstr_type, name, value)
    image.set_type(pyvips.GValue.gint_type, "orientation", 1)
    image.write_to_file(str(path), Q=QUALITY)


def write_bench_cube(path: Path, size: int = 33) -> None:
    """A smooth 'film' look as a .cube: cross-channel mix, an S-curve, warm highlights."""
    axis = np.linspace(0.0, 1.0, size)
    r, g, b = np.meshgrid(axis, axis, axis, indexing="ij")
    mixed = np.stack(
        [0.85 * r + 0.1 * g + 0.05 * b, 0.05 * r + 0.85 * g + 0.1 * b, 0.1 * g + 0.9 * b], -1
    )
    curved = mixed + 0.08 * np.sin(2 * np.pi * mixed) * -1
    curved[..., 0] += 0.04 * mixed[..., 0] ** 2
    curved[..., 2] -= 0.04 * mixed[..., 2] ** 2
    table = np.clip(curved, 0.0, 1.0)
    lines = ['TITLE "Benchmark film"', f"LUT_3D_SIZE {size}"]
    # .cube order: red changes fastest.
    for bi in range(size):
        for gi in range(size):
            for ri in range(size):
                lines.append("{:.6f} {:.6f} {:.6f}".format(*table[ri, gi, bi]))
    path.write_text("\n".join(lines) + "\n")


def _develop_one(kind: str, preset: Any, source: Path, output: Path) -> None:
    if kind == "floor":
        image = pyvips.Image.new_from_file(str(source), access="sequential")
        output.write_bytes(image.write_to_buffer(".jpg", Q=QUALITY))
        return
    from junmai_gui.develop.engine import OutputOptions, develop_photo

    develop_photo(source, output, preset, BLEND, OutputOptions(format="jpeg", quality=QUALITY))


def _preset_for(kind: str, folder: Path) -> Any:
    if kind in ("preset", "clarity"):
        import dataclasses

        from junmai_gui.develop.library import PresetLibrary

        preset = PresetLibrary(None).get("WhiteLayer_v4")
        if kind == "clarity":
            settings = {**preset.settings, **SPATIAL_SETTINGS}
            preset = dataclasses.replace(preset, name="WhiteLayer_v4 + Clarity", settings=settings)
        return preset
    if kind == "film":
        from junmai_gui.develop.preset import Preset

        return Preset("Film look", settings=FILM_SETTINGS)
    if kind == "lut":
        from junmai_gui.develop.loaders import load_preset_file

        cube = folder / "bench-film.cube"
        write_bench_cube(cube)
        return load_preset_file(cube)
    return None


def measure(kind: str, layout: str, folder: Path, photos: int) -> dict[str, float]:
    """Run in a fresh process: photos/s for one kind and one worker layout."""
    parallel, concurrency = LAYOUTS[layout]
    pyvips.cache_set_max(0)
    pyvips.concurrency_set(concurrency)
    sources = sorted(folder.glob("photo-*.jpg"))
    out_dir = folder / f"out-{kind}-{layout}"
    out_dir.mkdir(exist_ok=True)
    preset = _preset_for(kind, folder)
    started = time.perf_counter()
    _develop_one(kind, preset, sources[0], out_dir / "warmup.jpg")
    warmup = time.perf_counter() - started
    jobs = [(sources[i % len(sources)], out_dir / f"{i:03d}.jpg") for i in range(photos)]
    cpu_before = _cpu_seconds()
    started = time.perf_counter()
    with ThreadPoolExecutor(parallel) as pool:
        list(pool.map(lambda job: _develop_one(kind, preset, *job), jobs))
    elapsed = time.perf_counter() - started
    return {
        "photos_per_s": len(jobs) / elapsed,
        "cpu_s_per_photo": (_cpu_seconds() - cpu_before) / len(jobs),
        "warmup_s": warmup,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0,
    }


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _cpu_with_processes() -> float:
    """CPU seconds of this process and its (running) develop processes."""
    import psutil

    total = _cpu_seconds()
    for child in psutil.Process().children(recursive=True):
        try:
            times = child.cpu_times()
        except psutil.Error:
            continue
        total += times.user + times.system
    return total


class _Collector:
    """Results an executor delivers (on its threads), awaited in order of arrival."""

    def __init__(self) -> None:
        import queue

        self.results: queue.Queue[Any] = queue.Queue()

    def deliver(self, result: Any) -> None:
        self.results.put(result)

    def take(self, count: int) -> None:
        for _ in range(count):
            result = self.results.get(timeout=600)
            if result.outcome.value != "done":
                raise SystemExit(f"a photo did not develop: {result.outcome} {result.message}")


def _job(preset: Any, source: Path, output: Path, photo_id: int) -> Any:
    from junmai_gui.develop.jobs import PhotoJob, Recipe
    from junmai_gui.domain.config import BatchConfig

    config = BatchConfig(preset=preset.name, blend=BLEND, quality=QUALITY)
    recipe = Recipe.for_batch(config, preset)
    return PhotoJob("bench", photo_id, str(source), str(output), recipe)


def measure_processes(kind: str, folder: Path, photos: int) -> dict[str, float]:
    """Run in a fresh process: photos/s through two develop processes, as the app does."""
    from junmai_gui.controller.process_executor import LocalProcessExecutor

    sources = sorted(folder.glob("photo-*.jpg"))
    out_dir = folder / f"out-{kind}-processes"
    out_dir.mkdir(exist_ok=True)
    preset = _preset_for(kind, folder)
    collector = _Collector()
    executor = LocalProcessExecutor(2, folder / f"cache-{kind}")
    executor.start(collector.deliver)
    executor.publish(preset)
    started = time.perf_counter()
    executor.wait_warm()
    for i in range(2):  # one photo in each process: the table is baked, the preset loaded
        executor.submit(_job(preset, sources[i % len(sources)], out_dir / f"warm{i}.jpg", -i))
    collector.take(2)
    warmup = time.perf_counter() - started
    jobs = [(sources[i % len(sources)], out_dir / f"{i:03d}.jpg") for i in range(photos)]
    cpu_before = _cpu_with_processes()
    started = time.perf_counter()
    for i, (source, output) in enumerate(jobs):
        executor.submit(_job(preset, source, output, i))
    collector.take(len(jobs))
    elapsed = time.perf_counter() - started
    cpu = _cpu_with_processes() - cpu_before
    executor.stop(10)
    return {
        "photos_per_s": len(jobs) / elapsed,
        "cpu_s_per_photo": cpu / len(jobs),
        "warmup_s": warmup,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024.0,
    }


def measure_first_photo(folder: Path, numba_cache: Path) -> dict[str, float]:
    """Run in a fresh process: a launch's first photo, numba caching in `numba_cache`:
    submitted at once (it waits for the warm-up), and submitted once the process has warmed
    up (as when a batch starts a moment after the app), then the photo after it."""
    import os

    from junmai_gui.controller.process_executor import LocalProcessExecutor

    os.environ["NUMBA_CACHE_DIR"] = str(numba_cache)  # the develop processes inherit it
    source = sorted(folder.glob("photo-*.jpg"))[0]
    preset = _preset_for("film", folder)
    figures: dict[str, float] = {}
    for when in ("at_launch", "after_warm_up"):
        collector = _Collector()
        started = time.perf_counter()
        executor = LocalProcessExecutor(1, folder / f"cache-first-{time.monotonic_ns()}")
        executor.start(collector.deliver)
        if when == "after_warm_up":
            executor.wait_warm()
            started = time.perf_counter()
        executor.publish(preset)
        executor.submit(_job(preset, source, folder / "first.jpg", 1))
        collector.take(1)
        figures[f"first_photo_s_{when}"] = time.perf_counter() - started
        started = time.perf_counter()
        executor.submit(_job(preset, source, folder / "second.jpg", 2))
        collector.take(1)
        figures["next_photo_s"] = time.perf_counter() - started
        executor.stop(10)
    return figures


def _measure_in_child(kind: str, layout: str, folder: Path, photos: int) -> dict[str, float]:
    command = [sys.executable, __file__, "--measure", kind, layout, str(folder), str(photos)]
    return _run_child(command, f"{kind} {layout}")


def _run_child(command: list[str], what: str) -> dict[str, float]:
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"measuring {what} failed:\n{done.stderr}")
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def run(photos: int, rounds: int, *, quiet: bool, threads: bool = False) -> dict[str, float]:
    def say(text: str) -> None:
        if not quiet:
            print(text, flush=True)

    with tempfile.TemporaryDirectory(prefix="junmai-bench-") as tmp:
        folder = Path(tmp)
        started = time.perf_counter()
        distinct = min(photos, DISTINCT_PHOTOS)
        for seed in range(distinct):
            generate_photo(folder / f"photo-{seed:03d}.jpg", seed)
        took = time.perf_counter() - started
        say(f"generated {distinct} photos of {WIDTH}x{HEIGHT} in {took:.1f} s")
        per_round: dict[str, list[float]] = {kind: [] for kind in KINDS}
        per_round_threads: dict[str, list[float]] = {kind: [] for kind in KINDS}
        peak = 0.0
        # Rounds interleave the kinds, so a burst of load from elsewhere hits them alike;
        # each round keeps a kind's faster layout, and the figures are medians over rounds.
        for round_no in range(rounds):
            for kind in KINDS:
                fastest = 0.0
                layouts: list[str] = list(LAYOUTS) if kind == "floor" else [PROCESSES]
                if threads and kind != "floor":
                    layouts += list(LAYOUTS)
                for layout in layouts:
                    result = _measure_in_child(kind, layout, folder, photos)
                    say(
                        f"round {round_no + 1} {kind:>6} {layout}: "
                        f"{result['photos_per_s']:.2f} photos/s, "
                        f"{result['cpu_s_per_photo']:.2f} CPU s/photo "
                        f"(set-up {result['warmup_s']:.2f} s, "
                        f"peak RSS {result['peak_rss_mb']:.0f} MB)"
                    )
                    if layout == PROCESSES or kind == "floor":
                        fastest = max(fastest, result["photos_per_s"])
                    else:
                        per_round_threads[kind].append(result["photos_per_s"])
                    if kind != "floor" and layout == PROCESSES:
                        peak = max(peak, result["peak_rss_mb"])
                per_round[kind].append(fastest)
        first = _first_photo(folder, say)
    best = {kind: statistics.median(values) for kind, values in per_round.items()}
    floor = best["floor"]
    extra = {
        f"{kind}_thread_ratio": round(statistics.median(values) / floor, 3)
        for kind, values in per_round_threads.items()
        if values
    }
    return {
        "floor_photos_per_s": round(floor, 3),
        "preset_photos_per_s": round(best["preset"], 3),
        "lut_photos_per_s": round(best["lut"], 3),
        "preset_ratio": round(best["preset"] / floor, 3),
        "lut_ratio": round(best["lut"] / floor, 3),
        "peak_rss_mb": round(peak, 1),
        "clarity_photos_per_s": round(best["clarity"], 3),
        "clarity_ratio": round(best["clarity"] / floor, 3),
        "film_photos_per_s": round(best["film"], 3),
        "film_ratio": round(best["film"] / floor, 3),
        **first,
        **extra,
    }


def _first_photo(folder: Path, say: Any) -> dict[str, float]:
    """A launch's first photo with numba's cache empty, then filled by that run."""
    figures: dict[str, float] = {}
    numba_cache = folder / "numba-cache"
    for label in ("cold", "warm"):
        command = [sys.executable, __file__, "--first-photo", str(folder), str(numba_cache)]
        result = _run_child(command, f"the first photo ({label})")
        figures[f"first_photo_s_{label}"] = round(result["first_photo_s_at_launch"], 2)
        figures[f"first_photo_after_warm_up_s_{label}"] = round(
            result["first_photo_s_after_warm_up"], 2
        )
        figures["next_photo_s"] = round(result["next_photo_s"], 2)
        say(
            f"numba cache {label}: first photo {result['first_photo_s_at_launch']:.1f} s "
            f"from launch, {result['first_photo_s_after_warm_up']:.1f} s once warmed up; "
            f"the next {result['next_photo_s']:.1f} s"
        )
    return figures


def main() -> None:
    if len(sys.argv) == 6 and sys.argv[1] == "--measure":
        kind, layout, folder, photos = sys.argv[2:]
        if layout == PROCESSES:
            print(json.dumps(measure_processes(kind, Path(folder), int(photos))))
        else:
            print(json.dumps(measure(kind, layout, Path(folder), int(photos))))
        return
    if len(sys.argv) == 4 and sys.argv[1] == "--first-photo":
        print(json.dumps(measure_first_photo(Path(sys.argv[2]), Path(sys.argv[3]))))
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--photos", type=int, default=8, help="photos per run (default 8)")
    parser.add_argument("--rounds", type=int, default=3, help="rounds, median kept (default 3)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument(
        "--threads", action="store_true", help="also measure in-process thread layouts"
    )
    args = parser.parse_args()
    if args.photos < 2:
        parser.error("--photos must be at least 2")
    figures = run(args.photos, max(args.rounds, 1), quiet=args.json, threads=args.threads)
    if args.json:
        print(json.dumps(figures))
    else:
        for key, value in figures.items():
            print(f"{key}: {value}")


if __name__ == "__main__":
    main()
