"""The merge rule: same settings apart from the output folder, explained by batch name."""

from __future__ import annotations

from junmai_gui.domain.merge import merge_problem
from tests.unit.domain.test_batch import _summary


def test_batches_with_the_same_settings_but_their_folders_may_merge() -> None:
    a = _summary(name="Wedding", config={"preset": "P", "blend": 60, "output_dir": "/a"})
    b = _summary(name="Party", config={"preset": "P", "blend": 60, "output_dir": "/b"})
    assert merge_problem([a, b]) is None


def test_the_setting_that_differs_is_named_with_both_values_and_both_batches() -> None:
    a = _summary(name="Wedding", config={"preset": "P", "blend": 60.0, "format": "jpeg"})
    b = _summary(name="Portraits", config={"preset": "P", "blend": 40.0, "format": "jpeg"})
    assert merge_problem([a, b]) == (
        "Wedding and Portraits differ in blend (60 and 40): only batches with the same "
        "settings can be merged."
    )
    c = _summary(name="Studio", config={"preset": "P", "blend": 60.0, "format": "tiff"})
    assert "differ in format (jpeg and tiff)" in (merge_problem([a, c]) or "")


def test_one_batch_is_not_a_merge() -> None:
    assert merge_problem([_summary()]) == "Choose at least two batches to merge."


def test_outputs_or_actions_that_differ_are_named_without_their_lists() -> None:
    a = _summary(name="Wedding", config={"preset": "P", "outputs": [{"format": "jpeg"}]})
    b = _summary(name="Party", config={"preset": "P", "outputs": [{"format": "tiff"}]})
    assert merge_problem([a, b]) == (
        "Wedding and Party differ in outputs: only batches with the same settings can be merged."
    )
    c = _summary(name="Studio", config={"preset": "P", "after": [{"action": "open_folder"}]})
    plain = _summary(name="Plain", config={"preset": "P"})
    assert "differ in after-batch actions:" in (merge_problem([plain, c]) or "")
