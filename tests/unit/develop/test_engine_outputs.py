"""Several outputs from one development: the right size, format and metadata in each, and the
same bytes as each output written alone."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
import pyvips
from PIL import Image as PILImage

from junmai_gui.develop.engine import OutputOptions, develop_outputs, develop_photo
from junmai_gui.develop.errors import OutputUnavailableError
from junmai_gui.develop.jobs import Outcome, PhotoJob, Recipe, run_job
from junmai_gui.develop.preset import Preset
from junmai_gui.domain.config import BatchConfig

FULL = OutputOptions(format="jpeg", quality=92)
WEB = OutputOptions(format="jpeg", quality=80, long_edge=320)
MASTER = OutputOptions(format="tiff", bit_depth=16)


def test_three_outputs_of_a_real_camera_jpeg_have_their_sizes_formats_and_metadata(
    testdata: Path, white_layer: Preset, tmp_path: Path
) -> None:
    source = testdata / "photos" / "exifsamples-DSCN0010-gps.jpg"
    paths = [tmp_path / "full.jpg", tmp_path / "web.jpg", tmp_path / "master.tif"]
    written = develop_outputs(
        source, list(zip(paths, (FULL, WEB, MASTER), strict=True)), white_layer, 60
    )
    assert written == paths
    full, web, master = (pyvips.Image.new_from_file(str(p)) for p in paths)
    assert (full.width, full.height, full.format) == (640, 480, "uchar")
    assert (web.width, web.height, web.format) == (320, 240, "uchar")
    assert (master.width, master.height, master.format) == (640, 480, "ushort")
    assert full.get("vips-loader") == web.get("vips-loader") == "jpegload"
    assert master.get("vips-loader") == "tiffload"
    for jpeg in (full, web):
        assert jpeg.get("exif-ifd0-Model").startswith("COOLPIX P6000")
        assert jpeg.get("exif-ifd3-GPSLatitude").startswith("43/1 28/1")
        assert jpeg.get("orientation") == 1
    exif = PILImage.open(io.BytesIO(paths[2].read_bytes())).getexif()
    assert (exif[271], exif[272]) == ("NIKON", "COOLPIX P6000")
    assert [float(v) for v in exif.get_ifd(0x8825)[2]] == pytest.approx([43.0, 28.0, 2.814])


def test_each_output_has_the_bytes_it_has_when_written_alone(
    testdata: Path, white_layer: Preset, tmp_path: Path
) -> None:
    """Crash recovery rewrites a photo's outputs: they must come out the same."""
    source = testdata / "photos" / "exifsamples-DSCN0010-gps.jpg"
    together = [tmp_path / "t" / name for name in ("a.jpg", "b.jpg", "c.tif")]
    together[0].parent.mkdir()
    develop_outputs(source, list(zip(together, (FULL, WEB, MASTER), strict=True)), white_layer, 60)
    for path, options in zip(together, (FULL, WEB, MASTER), strict=True):
        alone = tmp_path / f"alone-{path.name}"
        develop_photo(source, alone, white_layer, 60, options)
        assert alone.read_bytes() == path.read_bytes(), path.name


def test_a_photo_with_transparency_keeps_it_where_the_format_can(
    white_layer: Preset, tmp_path: Path
) -> None:
    """PNG keeps the alpha, JPEG gets it flattened onto white before developing: each as
    it would be alone (the photo is developed twice, once per kind)."""
    rgba = pyvips.Image.black(40, 30, bands=3).new_from_image([30, 120, 200]).cast("uchar")
    alpha = (
        pyvips.Image.black(40, 30)
        .new_from_image(0)
        .cast("uchar")
        .draw_rect(255, 0, 0, 20, 30, fill=True)
    )
    source = tmp_path / "logo.png"
    rgba.bandjoin(alpha).copy(interpretation="srgb").pngsave(str(source))
    png, jpg = tmp_path / "out.png", tmp_path / "out.jpg"
    develop_outputs(
        source, [(png, OutputOptions("png")), (jpg, OutputOptions("jpeg"))], white_layer, 80
    )
    assert pyvips.Image.new_from_file(str(png)).bands == 4
    assert pyvips.Image.new_from_file(str(jpg)).bands == 3
    develop_photo(source, tmp_path / "alone.png", white_layer, 80, OutputOptions("png"))
    develop_photo(source, tmp_path / "alone.jpg", white_layer, 80, OutputOptions("jpeg"))
    assert (tmp_path / "alone.png").read_bytes() == png.read_bytes()
    assert (tmp_path / "alone.jpg").read_bytes() == jpg.read_bytes()


def test_an_output_that_cannot_be_written_takes_back_the_ones_written_before(
    testdata: Path, identity: Preset, tmp_path: Path
) -> None:
    source = testdata / "photos" / "exifsamples-Canon_40D.jpg"
    out = tmp_path / "out"
    out.mkdir()
    unplugged = tmp_path / "gone" / "second.jpg"
    with pytest.raises(OutputUnavailableError, match="does not exist"):
        develop_outputs(source, [(out / "first.jpg", FULL), (unplugged, FULL)], identity, 100)
    assert list(out.iterdir()) == []


def _job(tmp_path: Path, config: BatchConfig, preset: Preset, paths: list[Path]) -> PhotoJob:
    source = tmp_path / "in.jpg"
    pyvips.Image.black(32, 24).new_from_image([90, 120, 150]).cast("uchar").jpegsave(str(source))
    recipe = Recipe.for_batch(config, preset)
    return PhotoJob("batch_1", 1, str(source), str(paths[0]), recipe, tuple(map(str, paths[1:])))


def test_a_job_with_several_outputs_travels_as_json_and_writes_them_all(
    identity: Preset, tmp_path: Path
) -> None:
    config = BatchConfig.from_dict(
        {"preset": "Identity", "outputs": [{}, {"format": "png", "bit_depth": 16}]}
    )
    paths = [tmp_path / "a.jpg", tmp_path / "a.png"]
    job = PhotoJob.from_dict(
        json.loads(json.dumps(_job(tmp_path, config, identity, paths).to_dict()))
    )
    assert job.output_paths == tuple(map(str, paths))
    assert [o.format for o in job.recipe.outputs] == ["jpeg", "png"]
    assert run_job(job, identity).outcome is Outcome.DONE
    assert pyvips.Image.new_from_file(str(paths[1])).format == "ushort"


def test_a_job_rebuilt_without_its_other_outputs_fails_instead_of_writing_one(
    identity: Preset, tmp_path: Path
) -> None:
    """A worker that copies a job field by field and forgets the other outputs must not
    report the photo done with one file."""
    config = BatchConfig.from_dict({"preset": "Identity", "outputs": [{}, {"format": "png"}]})
    job = _job(tmp_path, config, identity, [tmp_path / "a.jpg", tmp_path / "a.png"])
    shortened = PhotoJob(job.batch_id, job.photo_id, job.source_path, job.output_path, job.recipe)
    result = run_job(shortened, identity)
    assert result.outcome is Outcome.FAILED
    assert "1 output file(s) planned for 2 outputs" in str(result.message)
    assert not (tmp_path / "a.jpg").exists()


def test_the_skip_policy_leaves_an_existing_output_as_it_is(
    identity: Preset, tmp_path: Path
) -> None:
    config = BatchConfig.from_dict(
        {"preset": "Identity", "on_conflict": "skip", "outputs": [{}, {"format": "png"}]}
    )
    paths = [tmp_path / "a.jpg", tmp_path / "a.png"]
    paths[0].write_bytes(b"the photographer's own file")
    assert run_job(_job(tmp_path, config, identity, paths), identity).outcome is Outcome.DONE
    assert paths[0].read_bytes() == b"the photographer's own file"
    assert pyvips.Image.new_from_file(str(paths[1])).width == 32


def test_a_recipe_of_one_output_is_built_and_read_as_before(identity: Preset) -> None:
    """Code that builds a single-output recipe field by field (a render-farm worker's test)
    and JSON written before outputs existed keep working."""
    recipe = Recipe(identity.name, identity.content_hash, 100.0, OutputOptions())
    assert recipe.outputs == (OutputOptions(),) and not recipe.keep_existing
    older = {
        "preset": identity.name,
        "preset_hash": identity.content_hash,
        "blend": 100.0,
        "output": OutputOptions().to_dict(),
    }
    assert Recipe.from_dict(older) == recipe
