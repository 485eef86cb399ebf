"""How `junmai-batch` shows batches to a person: status lines, a table and a progress bar."""

from __future__ import annotations

from typing import Any, TextIO

BAR_WIDTH = 30


def _eta(seconds: object) -> str:
    if not isinstance(seconds, int | float) or seconds < 0:
        return ""
    minutes, secs = divmod(int(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"  ETA {hours}:{minutes:02d}:{secs:02d}" if hours else f"  ETA {minutes}:{secs:02d}"


def _speed(batch: dict[str, Any]) -> float:
    """Photos per minute while the batch runs; 0 otherwise (a stopped batch has no speed)."""
    speed = batch.get("photos_per_minute")
    if batch.get("status") != "running" or not isinstance(speed, int | float) or speed <= 0:
        return 0.0
    return float(speed)


def describe_batch(batch: dict[str, Any]) -> str:
    """A few lines a photographer can read: status, counts, progress, reason, timestamps."""
    status = str(batch.get("status", "?"))
    if batch.get("pause_reason") and status == "paused":
        status = f"paused ({batch['pause_reason']})"
    name = f" {batch['name']!r}" if batch.get("name") else ""
    lines = [
        f"{batch.get('batch_id')}{name}: {status}",
        f"  {batch.get('processed_count', 0)} of {batch.get('total_photos', 0)} photos done, "
        f"{batch.get('failed_count', 0)} failed ({batch.get('progress_percent', 0.0)}%)",
    ]
    speed = _speed(batch)
    if speed:
        lines.append(f"  {speed:.1f} photos/min{_eta(batch.get('eta_seconds'))}")
    if batch.get("error"):
        lines.append(f"  error: {batch['error']}")
    for key in ("created_at", "started_at", "paused_at", "completed_at"):
        if batch.get(key):
            lines.append(f"  {key.replace('_at', '')}: {batch[key]}")
    return "\n".join(lines)


def describe_list(batches: list[dict[str, Any]]) -> str:
    """One row per batch, oldest first."""
    if not batches:
        return "No batches."
    rows = [("BATCH", "STATUS", "DONE", "FAILED", "PROGRESS", "NAME")]
    for b in batches:
        rows.append(
            (
                str(b.get("batch_id", "")),
                str(b.get("status", "")),
                f"{b.get('processed_count', 0)}/{b.get('total_photos', 0)}",
                str(b.get("failed_count", "")),
                f"{b.get('progress_percent', 0.0)}%",
                str(b.get("name") or ""),
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return "\n".join(
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in rows
    )


class ProgressLine:
    """A progress bar redrawn in place on a terminal, or one line per change elsewhere."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self._tty = stream.isatty()
        self._last = ""

    def render(self, batch: dict[str, Any]) -> str:
        percent = float(batch.get("progress_percent") or 0.0)
        filled = round(BAR_WIDTH * percent / 100)
        bar = "#" * filled + "-" * (BAR_WIDTH - filled)
        done, total = batch.get("processed_count", 0), batch.get("total_photos", 0)
        failed = batch.get("failed_count", 0)
        text = (
            f"[{bar}] {percent:5.1f}%  {done}/{total} done, {failed} failed  {batch.get('status')}"
        )
        speed = _speed(batch)
        if speed:
            text += f"  {speed:.1f}/min{_eta(batch.get('eta_seconds'))}"
        return text

    def update(self, batch: dict[str, Any]) -> None:
        text = self.render(batch)
        if text == self._last:
            return
        if self._tty:
            padding = " " * max(0, len(self._last) - len(text))
            self._stream.write(f"\r{text}{padding}")
        else:
            self._stream.write(text + "\n")
        self._stream.flush()
        self._last = text

    def finish(self, batch: dict[str, Any]) -> None:
        if "progress_percent" in batch:
            self.update(batch)
        if self._tty:
            self._stream.write("\n")
        failed = batch.get("failed_count")
        problems = ""
        if isinstance(failed, int) and failed > 0:
            problems = f", {failed} photo{'s' if failed != 1 else ''} failed"
        self._stream.write(f"Batch {batch.get('batch_id')} {batch.get('status')}{problems}\n")
        self._stream.flush()
