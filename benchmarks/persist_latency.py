"""Cost of recording one photo result: the SQLite store against the AutoDev contract's JSON rewrite.

For batches of 10, 1,000, 10,000 and 100,000 photos, times `Store.record_photo_result`
(one WAL commit, synchronous=NORMAL as in the app;
`--synchronous FULL` fsyncs every commit) and, in the same run, AutoDev's approach: rewrite
the whole `batch_states/{batch_id}.json` atomically (temporary file, fsync, rename, fsync
of the folder) after each photo. At 100,000 photos the JSON rewrite is timed 200 times
(each costs tens of milliseconds); every other figure uses `--commits` samples.

    python benchmarks/persist_latency.py [--json] [--commits N] [--sizes 10,1000]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from junmai_gui.domain.batch import BatchState
from junmai_gui.domain.status import BatchStatus
from junmai_gui.store import NewBatch, NewBatchPhoto, Store
from junmai_gui.store.autodev_json import state_to_dict, write_json_atomically

SIZES = (10, 1_000, 10_000, 100_000)
LARGE_BATCH = 100_000
LARGE_BATCH_REWRITES = 200


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def time_store(folder: Path, photos: int, commits: int, synchronous: str) -> list[float]:
    """Seconds per `record_photo_result` in a batch of `photos` photos."""
    store = Store(folder / "batches.sqlite3", progress_synchronous=synchronous)
    ids = store.add_photos([f"/photos/{i:06d}.jpg" for i in range(photos)])
    store.create_batch(
        NewBatch(
            batch_id="batch_00000000bench",
            name="bench",
            session_id=None,
            priority=0,
            config={"preset": "WhiteLayer_v4", "blend": 60},
            status=BatchStatus.RUNNING,
            photos=[NewBatchPhoto(pid, f"/out/{pid}.jpg") for pid in ids],
            created_at="2025-11-09T10:00:00Z",
        )
    )
    rng = random.Random(photos)
    order = rng.sample(ids, len(ids)) if photos >= commits else ids
    samples: list[float] = []
    for n in range(commits):
        photo_id = order[n % len(order)]
        ok = rng.random() < 0.9
        start = time.perf_counter()
        store.record_photo_result("batch_00000000bench", photo_id, ok=ok, error="bad file")
        samples.append(time.perf_counter() - start)
    store.close()
    return samples


def time_json_rewrite(folder: Path, photos: int, rewrites: int) -> list[float]:
    """Seconds per atomic rewrite of the AutoDev contract's state file after one more photo."""
    ids = list(range(1, photos + 1))
    state = BatchState(
        batch_id="batch_00000000bench",
        session_id=None,
        photo_ids=ids,
        processed_photo_ids=[],
        failed_photo_ids=[],
        status="running",
        created_at="2025-11-09T10:00:00Z",
        started_at="2025-11-09T10:00:05Z",
        paused_at=None,
        completed_at=None,
        total_photos=photos,
        processed_count=0,
        failed_count=0,
        config={"preset": "WhiteLayer_v4", "blend": 60},
        task_ids=[f"task-{i}" for i in ids],
    )
    path = folder / "batch_states" / f"{state.batch_id}.json"
    samples: list[float] = []
    for n in range(rewrites):
        photo_id = ids[n % photos]
        start = time.perf_counter()
        if photo_id not in state.processed_photo_ids:
            state.processed_photo_ids.append(photo_id)
            state.processed_count += 1
        write_json_atomically(path, state_to_dict(state))
        samples.append(time.perf_counter() - start)
    return samples


def time_noise_floor(samples: int, work_s: float) -> list[float]:
    """Seconds per pure-CPU step sized like one store commit: what the machine's scheduling
    adds on its own (on a shared, loaded machine its p99 is mostly preemption)."""
    loops = 1000
    start = time.perf_counter()
    for _ in range(loops):
        sum(range(100))
    per_loop = (time.perf_counter() - start) / loops
    reps = max(1, round(work_s / per_loop))
    out: list[float] = []
    for _ in range(samples):
        start = time.perf_counter()
        for _ in range(reps):
            sum(range(100))
        out.append(time.perf_counter() - start)
    return out


def time_plain_writes(folder: Path, samples: int) -> list[float]:
    """Seconds per 16 KB `pwrite` (about what one commit appends to the WAL), no fsync:
    what the file system alone adds on this machine at that moment."""
    path = folder / "plain-writes.bin"
    block = b"x" * 16384
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        os.pwrite(fd, b"\0" * (256 * 16384), 0)
        out: list[float] = []
        for n in range(samples):
            start = time.perf_counter()
            os.pwrite(fd, block, (n % 256) * 16384)
            out.append(time.perf_counter() - start)
    finally:
        os.close(fd)
    return out


def measure(photos: int, commits: int, base: Path, synchronous: str) -> dict[str, Any]:
    folder = Path(tempfile.mkdtemp(prefix=f"persist-{photos}-", dir=base))
    try:
        store = time_store(folder / "sqlite", photos, commits, synchronous)
        writes = time_plain_writes(folder, commits)
        rewrites = LARGE_BATCH_REWRITES if photos >= LARGE_BATCH else commits
        rewrite = time_json_rewrite(folder / "json", photos, rewrites)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    ms = 1000.0
    return {
        "photos": photos,
        "p50_ms": round(statistics.median(store) * ms, 3),
        "p99_ms": round(percentile(store, 0.99) * ms, 3),
        "json_rewrite_p50_ms": round(statistics.median(rewrite) * ms, 3),
        "json_rewrite_p99_ms": round(percentile(rewrite, 0.99) * ms, 3),
        "_commits": len(store),
        "_rewrites": len(rewrite),
        "_write_p99_ms": round(percentile(writes, 0.99) * ms, 3),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="one JSON object per line")
    parser.add_argument("--commits", type=int, default=2000, help="results timed per size")
    parser.add_argument("--sizes", default=",".join(str(s) for s in SIZES))
    parser.add_argument(
        "--synchronous",
        default="NORMAL",
        choices=["FULL", "NORMAL"],
        help="synchronous level of photo-result commits (the store uses NORMAL)",
    )
    parser.add_argument("--dir", type=Path, default=None, help="where to put the test files")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s]
    if not args.json:
        load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
        print(f"synchronous={args.synchronous}, {args.commits} results per size, load {load}")
        print("noise p99: p99 of a pure-CPU step as long as the p50 commit (scheduling noise)")
        print("write p99: p99 of a plain 16 KB write, no fsync, in the same folder (file system)")
        print(
            f"{'photos':>8} {'p50 ms':>8} {'p99 ms':>8} {'json p50':>10} {'json p99':>10}"
            f" {'x p50':>8} {'rewrites':>9} {'noise p99':>10} {'write p99':>10}"
        )
    for photos in sizes:
        row = measure(
            photos, args.commits, args.dir or Path(tempfile.gettempdir()), args.synchronous
        )
        if args.json:
            print(json.dumps({k: v for k, v in row.items() if not k.startswith("_")}), flush=True)
        else:
            ratio = row["json_rewrite_p50_ms"] / row["p50_ms"] if row["p50_ms"] else float("inf")
            noise = time_noise_floor(args.commits, row["p50_ms"] / 1000.0)
            print(
                f"{photos:>8} {row['p50_ms']:>8.3f} {row['p99_ms']:>8.3f}"
                f" {row['json_rewrite_p50_ms']:>10.3f} {row['json_rewrite_p99_ms']:>10.3f}"
                f" {ratio:>7.0f}x {row['_rewrites']:>9}"
                f" {percentile(noise, 0.99) * 1000:>10.3f} {row['_write_p99_ms']:>10.3f}",
                flush=True,
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
