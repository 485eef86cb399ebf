"""Names and folders from the photo itself: its date, camera, lens, ISO and rating, read from
its header; several outputs per photo kept apart."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from junmai_gui.develop.naming import OutputNaming, example_names, plan_outputs
from junmai_gui.develop.photo_facts import read_photo_facts
from tests.photos import make_photos

CAMERA_JPEGS = {  # the camera JPEGs of the shared test data: year, camera as named
    "exifsamples-Canon_40D.jpg": ("2008", "Canon EOS 40D"),
    "exifsamples-DSCN0010-gps.jpg": ("2008", "NIKON COOLPIX P6000"),
    "piexif-r_canon.jpg": ("2013", "Canon PowerShot G1 X Mark II"),
    "piexif-r_casio.jpg": ("2014", "CASIO EX-100"),
    "piexif-r_olympus.jpg": ("2013", "OLYMPUS STYLUS1"),
    "piexif-r_pana.jpg": ("2007", "Panasonic DMC-L10"),
    "piexif-r_ricoh.jpg": ("2013", "PENTAX GR"),
    "piexif-r_sony.jpg": ("2013", "SONY DSC-RX1R"),
}


def _plan(
    sources: list[str], out: Path, *outputs: OutputNaming, **kwargs: object
) -> list[list[str]]:
    planned = plan_outputs(
        sources,
        output_dir=str(out),
        outputs=list(outputs) or [OutputNaming("{stem}", ".jpg")],
        preset_name="WhiteLayer_v4",
        batch_id="batch_abc",
        **kwargs,  # type: ignore[arg-type]
    )
    return planned.by_output


def test_date_camera_and_stem_put_camera_jpegs_in_the_right_folders(
    testdata: Path, tmp_path: Path
) -> None:
    sources = [str(testdata / "photos" / name) for name in CAMERA_JPEGS]
    (paths,) = _plan(sources, tmp_path / "out", OutputNaming("{date:%Y}/{camera}/{stem}", ".jpg"))
    for source, path in zip(sources, paths, strict=True):
        year, camera = CAMERA_JPEGS[Path(source).name]
        assert path == str(tmp_path / "out" / year / camera / f"{Path(source).stem}.jpg")


def test_iso_lens_and_a_full_date(testdata: Path, tmp_path: Path) -> None:
    ricoh = str(testdata / "photos" / "piexif-r_ricoh.jpg")
    naming = OutputNaming("{date:%Y-%m-%d_%H%M%S}_{lens}_ISO{iso}_{seq:04}_{stem}", ".jpg")
    (paths,) = _plan([ricoh], tmp_path, naming)
    assert Path(paths[0]).name == "2013-03-29_100641_GR LENS_ISO100_0001_piexif-r_ricoh.jpg"


def test_a_photo_without_exif_is_named_by_its_file_time(tmp_path: Path) -> None:
    (photo,) = make_photos(tmp_path / "in", 1)
    moment = dt.datetime(2021, 7, 4, 12, 0).timestamp()
    os.utime(photo, (moment, moment))
    (paths,) = _plan([str(photo)], tmp_path / "out", OutputNaming("{date}/{camera}_{stem}", ".jpg"))
    assert paths[0] == str(tmp_path / "out" / "2021-07-04" / "unknown_photo_000.jpg")


def test_a_rating_comes_from_the_xmp_sidecar_beside_the_photo(tmp_path: Path) -> None:
    photos = make_photos(tmp_path / "in", 2)
    photos[0].with_suffix(".xmp").write_text(
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/'
        '22-rdf-syntax-ns#"><rdf:Description xmlns:xmp="http://ns.adobe.com/xap/1.0/" '
        'xmp:Rating="4"/></rdf:RDF></x:xmpmeta>'
    )
    assert read_photo_facts(str(photos[0]), rating=True).rating == 4
    (paths,) = _plan(
        [str(p) for p in photos], tmp_path / "out", OutputNaming("{rating}/{stem}", ".jpg")
    )
    assert [Path(p).parent.name for p in paths] == ["4", "0"]


def test_values_never_make_folders_and_the_template_never_leaves_the_output_folder(
    testdata: Path, tmp_path: Path
) -> None:
    source = tmp_path / "in" / "a.jpg"
    source.parent.mkdir()
    shutil.copy(testdata / "photos" / "exifsamples-Canon_40D.jpg", source)
    (paths,) = plan_outputs(
        [str(source)],
        output_dir=str(tmp_path / "out"),
        outputs=[OutputNaming("x/{preset}/{stem}", ".jpg")],
        preset_name="../../etc/passwd",
        batch_id="b",
    ).by_output
    assert paths[0] == str(tmp_path / "out" / "x" / "_.._etc_passwd" / "a.jpg")


def test_several_outputs_of_a_photo_are_kept_apart(tmp_path: Path) -> None:
    photos = [str(p) for p in make_photos(tmp_path / "in", 2)]
    full, web, again = _plan(
        photos,
        tmp_path / "out",
        OutputNaming("{stem}", ".jpg"),
        OutputNaming("web/{stem}", ".jpg"),
        OutputNaming("{stem}", ".jpg"),  # same folder and name as the first: kept distinct
    )
    out = tmp_path / "out"
    assert full == [str(out / "photo_000.jpg"), str(out / "photo_001.jpg")]
    assert web == [str(out / "web" / "photo_000.jpg"), str(out / "web" / "photo_001.jpg")]
    assert again == [str(out / "photo_000 (2).jpg"), str(out / "photo_001 (2).jpg")]


def test_skip_marks_a_photo_only_when_every_output_exists(tmp_path: Path) -> None:
    photos = [str(p) for p in make_photos(tmp_path / "in", 2)]
    out = tmp_path / "out"
    (out / "web").mkdir(parents=True)
    for name in ("photo_000.jpg", "web/photo_000.jpg", "photo_001.jpg"):
        (out / name).write_bytes(b"developed before")
    planned = plan_outputs(
        photos,
        output_dir=str(out),
        outputs=[OutputNaming("{stem}", ".jpg"), OutputNaming("web/{stem}", ".jpg")],
        preset_name="p",
        batch_id="b",
        on_conflict="skip",
    )
    assert planned.skipped == {0}
    assert planned.by_output[0][1] == str(out / "photo_001.jpg")  # kept, the job leaves it
    assert planned.folders == {str(out), str(out / "web")}


def test_photos_added_later_continue_the_sequence_and_avoid_the_batch_s_names(
    tmp_path: Path,
) -> None:
    photos = [str(p) for p in make_photos(tmp_path / "in", 2)]
    out = tmp_path / "out"
    (paths,) = _plan(
        photos,
        out,
        OutputNaming("{seq:03}_{stem}", ".jpg"),
        first_seq=41,
        taken=[str(out / "041_photo_000.jpg")],
    )
    assert paths == [str(out / "041_photo_000 (2).jpg"), str(out / "042_photo_001.jpg")]


def test_the_example_names_of_the_first_photo(testdata: Path) -> None:
    source = str(testdata / "photos" / "exifsamples-Canon_40D.jpg")
    names = example_names(
        source,
        [OutputNaming("{date:%Y}/{camera}/{stem}", ".jpg"), OutputNaming("web/{seq}", ".webp")],
        preset_name="WhiteLayer_v4",
        batch_id="Trip",
    )
    assert names == ["2008/Canon EOS 40D/exifsamples-Canon_40D.jpg", "web/1.webp"]


@pytest.mark.parametrize("name", sorted(CAMERA_JPEGS))
def test_facts_are_read_from_the_header_alone(testdata: Path, name: str) -> None:
    """Reading a JPEG's facts reads its segment headers and EXIF block, never the pixels."""
    path = testdata / "photos" / name
    facts = read_photo_facts(str(path))
    assert facts.camera == CAMERA_JPEGS[name][1]
    assert facts.taken is not None and str(facts.taken.year) == CAMERA_JPEGS[name][0]
    assert facts.iso is not None and facts.iso > 0


@settings(max_examples=200, derandomize=True, database=None, deadline=None)
@given(
    head=st.sampled_from([b"\xff\xd8", b"\xff\xd8\xff\xe1", b"II*\x00", b"MM\x00*", b"IIU\x00"]),
    tail=st.binary(max_size=300),
)
def test_facts_of_damaged_headers_are_unknown_never_an_error(
    tmp_path_factory: pytest.TempPathFactory, head: bytes, tail: bytes
) -> None:
    path = tmp_path_factory.mktemp("damaged") / "x.jpg"
    path.write_bytes(head + tail)
    facts = read_photo_facts(str(path), rating=True)
    assert facts.taken is not None  # the file's own time at least
