"""How junmai-batch words a batch for a person: status lines, the table, the progress bar."""

from __future__ import annotations

import io
from typing import Any

from junmai_gui.api.cli import build_parser
from junmai_gui.api.cli_output import ProgressLine, describe_batch, describe_list

BATCH: dict[str, Any] = {
    "batch_id": "batch_abc123def456",
    "name": "Wedding",
    "status": "paused",
    "pause_reason": "disk_full",
    "total_photos": 1200,
    "processed_count": 552,
    "failed_count": 3,
    "progress_percent": 46.3,
    "photos_per_minute": 41.25,
    "eta_seconds": 941,
    "error": "The disk holding /out is full",
    "created_at": "2025-11-09T10:00:00Z",
    "started_at": "2025-11-09T10:00:05Z",
    "paused_at": "2025-11-09T10:15:30Z",
    "completed_at": None,
}


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_describe_batch_says_what_a_photographer_needs() -> None:
    text = describe_batch(BATCH)
    assert "batch_abc123def456 'Wedding': paused (disk_full)" in text
    assert "552 of 1200 photos done, 3 failed (46.3%)" in text
    assert "photos/min" not in text  # a paused batch has no speed, whatever was last measured
    running = describe_batch({**BATCH, "status": "running", "pause_reason": None})
    assert "41.2 photos/min  ETA 15:41" in running
    assert "error: The disk holding /out is full" in text
    assert "paused: 2025-11-09T10:15:30Z" in text and "completed" not in text


def test_describe_list_is_a_table() -> None:
    lines = describe_list([BATCH, {**BATCH, "batch_id": "batch_2", "name": ""}]).splitlines()
    assert lines[0].split() == ["BATCH", "STATUS", "DONE", "FAILED", "PROGRESS", "NAME"]
    assert lines[1].split() == ["batch_abc123def456", "paused", "552/1200", "3", "46.3%", "Wedding"]
    assert describe_list([]) == "No batches."


def test_progress_redraws_one_line_on_a_terminal() -> None:
    out = Terminal()
    bar = ProgressLine(out)
    bar.update({**BATCH, "status": "running", "progress_percent": 10.0})
    bar.update({**BATCH, "status": "running", "progress_percent": 10.0})  # unchanged: not redrawn
    bar.update({**BATCH, "status": "running", "progress_percent": 50.0})
    bar.finish({**BATCH, "status": "completed", "progress_percent": 100.0})
    text = out.getvalue()
    assert text.count("\r") == 3 and text.count("\n") == 2
    assert "[" + "#" * 30 + "] 100.0%" in text
    assert text.endswith("Batch batch_abc123def456 completed, 3 photos failed\n")


def test_progress_prints_lines_elsewhere() -> None:
    out = io.StringIO()
    bar = ProgressLine(out)
    bar.update({**BATCH, "status": "running", "progress_percent": 50.0})
    bar.finish({"batch_id": "b", "status": "cancelled"})
    assert out.getvalue().splitlines()[-1] == "Batch b cancelled"
    assert "\r" not in out.getvalue()


def test_options_go_before_or_after_the_command() -> None:
    parser = build_parser()
    before = parser.parse_args(["--json", "--port", "6000", "status", "batch_x"])
    after = parser.parse_args(["status", "batch_x", "--json", "--port", "6000"])
    for args in (before, after):
        assert (args.command, args.batch_id, args.json, args.port) == (
            "status",
            "batch_x",
            True,
            6000,
        )
    start = parser.parse_args(["start", "/a", "/b", "--preset", "P", "--blend", "60"])
    assert start.paths == ["/a", "/b"] and start.blend == 60.0 and start.out is None
