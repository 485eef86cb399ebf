"""A photo as a job: JSON all the way to a develop process and back, and every way it can end."""

from __future__ import annotations

import errno
import json
from pathlib import Path
from typing import Any

import pytest

from junmai_gui.develop.engine import CancelToken
from junmai_gui.develop.errors import (
    DiskFullError,
    OutputUnavailableError,
    PresetError,
    ResourceError,
)
from junmai_gui.develop.jobs import Outcome, PhotoJob, PhotoResult, Recipe, run_job
from junmai_gui.develop.library import PresetLibrary
from junmai_gui.develop.preset_cache import PresetCache, preset_from_payload, preset_payload
from junmai_gui.domain.config import BatchConfig
from tests.photos import make_photos


@pytest.fixture
def library() -> PresetLibrary:
    return PresetLibrary(None)


def _job(source: Path, output: Path | str, library: PresetLibrary) -> PhotoJob:
    preset = library.get("WhiteLayer_v4")
    config = BatchConfig(preset=preset.name, blend=60, format="png")
    return PhotoJob("batch_1", 7, str(source), str(output), Recipe.for_batch(config, preset))


def test_a_job_and_its_result_survive_json(tmp_path: Path, library: PresetLibrary) -> None:
    job = _job(tmp_path / "a.jpg", tmp_path / "a.png", library)
    again = PhotoJob.from_dict(json.loads(json.dumps(job.to_dict())))
    assert again == job
    assert again.recipe.preset_hash == library.get("WhiteLayer_v4").content_hash
    result = PhotoResult(job.batch_id, job.photo_id, Outcome.FAILED, "damaged", 1.5, "studio-2")
    assert PhotoResult.from_dict(json.loads(json.dumps(result.to_dict()))) == result


def test_a_preset_travels_by_content_hash_and_develops_the_same(
    tmp_path: Path, library: PresetLibrary
) -> None:
    """What a develop process loads from the cache is the preset the app published: same
    hash, same settings, same LUT, same pixels."""
    preset = library.get("WhiteLayer_v4")
    cache = PresetCache(tmp_path / "presets")
    content_hash = cache.publish(preset)
    loaded = PresetCache(tmp_path / "presets").load(content_hash)
    assert loaded.content_hash == content_hash == preset.content_hash
    assert dict(loaded.settings) == dict(preset.settings)
    [source] = make_photos(tmp_path / "in", 1, size=64)
    job = _job(source, tmp_path / "a.png", library)
    assert run_job(job, preset).outcome is Outcome.DONE
    first = (tmp_path / "a.png").read_bytes()
    assert run_job(job, loaded).outcome is Outcome.DONE
    assert (tmp_path / "a.png").read_bytes() == first


def test_a_damaged_or_forged_payload_is_refused(library: PresetLibrary) -> None:
    payload = preset_payload(library.get("WhiteLayer_v4"))
    payload["settings"]["Exposure2012"] = 4.0
    with pytest.raises(PresetError, match="content hash differs"):
        preset_from_payload(payload)
    with pytest.raises(PresetError, match="could not be read"):
        preset_from_payload({"format": "something else"})


def test_a_photo_without_a_planned_output_fails_and_is_never_developed(
    tmp_path: Path, library: PresetLibrary
) -> None:
    calls: list[Any] = []
    job = _job(tmp_path / "a.jpg", "", library)
    result = run_job(job, library.get("WhiteLayer_v4"), develop=lambda *a, **k: calls.append(a))
    assert result.outcome is Outcome.FAILED and calls == []
    assert result.message == "a.jpg has no output file planned, so it was not developed"


@pytest.mark.parametrize(
    ("raised", "outcome"),
    [
        (DiskFullError("The disk is full"), Outcome.DISK_FULL),
        (OutputUnavailableError("The folder is gone"), Outcome.OUTPUT_UNAVAILABLE),
        (ResourceError("Too many open files"), Outcome.OUT_OF_RESOURCES),
        (PresetError("The LUT is gone"), Outcome.PRESET_ERROR),
        (OSError(errno.EIO, "I/O error"), Outcome.FAILED),
    ],
)
def test_every_way_a_photo_ends_has_its_outcome(
    tmp_path: Path, library: PresetLibrary, raised: Exception, outcome: Outcome
) -> None:
    def develop(*_args: Any, **_kwargs: Any) -> None:
        raise raised

    job = _job(tmp_path / "a.jpg", tmp_path / "a.png", library)
    result = run_job(job, library.get("WhiteLayer_v4"), develop=develop)
    assert result.outcome is outcome and result.message
    assert (result.batch_id, result.photo_id) == ("batch_1", 7)


def test_a_cancelled_job_leaves_nothing(tmp_path: Path, library: PresetLibrary) -> None:
    [source] = make_photos(tmp_path / "in", 1)
    token = CancelToken()
    token.cancel()
    result = run_job(
        _job(source, tmp_path / "a.png", library), library.get("Identity"), cancel=token
    )
    assert result.outcome is Outcome.CANCELLED
    assert not (tmp_path / "a.png").exists()


def test_a_preset_made_in_code_with_whole_numbers_travels_by_hash(tmp_path: Path) -> None:
    """Loaders keep numbers as floats; a preset written in code may hold ints. Published and
    loaded back (where they become floats), it must still be found by the same hash."""
    from junmai_gui.develop.preset import Preset

    preset = Preset("Mine", settings={"Clarity2012": 20, "Exposure2012": 0.5})
    cache = PresetCache(tmp_path / "presets")
    content_hash = cache.publish(preset)
    again = PresetCache(tmp_path / "presets").load(content_hash)
    assert again.content_hash == content_hash
    assert again.settings["Clarity2012"] == 20.0
