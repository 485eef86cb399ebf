"""The transition table is exactly the one drawn in docs/architecture.md."""

from __future__ import annotations

import itertools

import pytest

from junmai_gui.domain.errors import IllegalTransitionError
from junmai_gui.domain.status import (
    BatchStatus,
    PauseReason,
    PhotoState,
    can_transition,
    check_retry,
    check_transition,
)

S = BatchStatus
DRAWN = {
    (S.PENDING, S.RUNNING),
    (S.RUNNING, S.PAUSED),
    (S.PAUSED, S.RUNNING),
    (S.RUNNING, S.COMPLETED),
    (S.RUNNING, S.CANCELLED),
    (S.PAUSED, S.CANCELLED),
    (S.PENDING, S.CANCELLED),
    (S.RUNNING, S.FAILED),
    (S.COMPLETED, S.RUNNING),
    (S.FAILED, S.RUNNING),
}


def test_wire_values() -> None:
    assert [s.value for s in BatchStatus] == [
        "pending", "running", "paused", "completed", "cancelled", "failed",
    ]  # fmt: skip
    assert [s.value for s in PhotoState] == ["pending", "running", "done", "failed"]
    assert {r.value for r in PauseReason} == {
        "user", "app_quit", "interrupted", "disk_full", "output_unavailable",
        "farm_unavailable", "out_of_resources",
    }  # fmt: skip
    assert {s for s in BatchStatus if s.is_finished} == {S.COMPLETED, S.CANCELLED, S.FAILED}


@pytest.mark.parametrize(("current", "requested"), list(itertools.product(S, S)))
def test_every_pair_follows_the_drawing(current: BatchStatus, requested: BatchStatus) -> None:
    legal = (current, requested) in DRAWN
    assert can_transition(current, requested) is legal
    if legal:
        check_transition("batch_abc", current, requested)
    else:
        with pytest.raises(IllegalTransitionError) as caught:
            check_transition("batch_abc", current, requested)
        error = caught.value
        assert error.batch_id == "batch_abc"
        assert (error.current, error.requested) == (current.value, requested.value)
        assert f"batch_abc is {current.value} and cannot become {requested.value}" in str(error)


def test_retry_only_from_finished_with_failures() -> None:
    check_retry("b", S.COMPLETED, 2)
    check_retry("b", S.FAILED, 1)
    for status, failed in [(S.COMPLETED, 0), (S.RUNNING, 3), (S.CANCELLED, 3), (S.PAUSED, 1)]:
        with pytest.raises(IllegalTransitionError, match="failed photos"):
            check_retry("b", status, failed)
