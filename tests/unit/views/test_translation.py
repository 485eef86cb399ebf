"""The Japanese interface: every action of the main window, the tray and the photo menu
translated, no English left in New Batch and Settings, a complete catalogue
whose translations keep their `{fields}`, catalogues compiled where the app can find them,
and the Language setting (the system's locale by default)."""

from __future__ import annotations

import os
import re
import shutil
import string
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Callable, Collection, Iterator
from pathlib import Path
from typing import Any

import PySide6
import pytest
from PySide6.QtCore import QCoreApplication, QLocale, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QDialogButtonBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QMenu,
    QTableWidget,
    QTabWidget,
    QWidget,
)

from junmai_gui import i18n
from junmai_gui.controller.batch_controller import BatchController
from junmai_gui.domain.app_settings import LANGUAGES
from junmai_gui.domain.errors import BatchError
from junmai_gui.domain.merge import merge_problem
from junmai_gui.domain.photo import PhotoRecord
from junmai_gui.domain.status import PhotoState
from junmai_gui.store.settings import load_settings
from junmai_gui.views.formatting import error_text, sentence_text
from junmai_gui.views.main_window import MainWindow
from junmai_gui.views.tray import TrayIcon
from tests.creating import create

REPO = Path(__file__).resolve().parents[3]
CONFIG = {"preset": "WhiteLayer_v4", "blend": 60}
COUNT = re.compile(r"%L?n")  # where Qt writes the count of a plural message
JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")  # kana and kanji
# What stays Latin in a Japanese dialog: names of formats and protocols, the product, the
# photos' and presets' own names, paths, URLs, naming fields.
LATIN_AS_IT_IS = re.compile(
    r"JPEG|TIFF|PNG|WebP|AVIF|HEIF|XMP|API|URL|LUT|JSON|px|Junmai Batch"
    r"|[\w.-]+\.(jpg|tif|png)|\{\w+(:[^}]*)?\}|\w+://\S+|/\S*"
)


@pytest.fixture
def japanese(qapp: QApplication, tmp_path: Path) -> Iterator[None]:
    """The Japanese catalogues installed for one test; English again after it."""
    locale = i18n.install_translators(qapp, "ja", tmp_path / "cache")
    assert locale.language() is QLocale.Language.Japanese
    yield
    i18n.install_translators(qapp, "en", tmp_path / "cache")


def _catalogue(language: str) -> ET.Element:
    return ET.parse(i18n.source_dir() / f"{i18n.CATALOGUE}_{language}.ts").getroot()


def _live_messages(root: ET.Element) -> Iterator[tuple[str, ET.Element, ET.Element]]:
    """(context, message, translation) of every message the code still uses."""
    for context in root.iter("context"):
        name = context.findtext("name", "")
        for message in context.iter("message"):
            translation = message.find("translation")
            assert translation is not None
            if translation.get("type") not in ("vanished", "obsolete"):
                yield name, message, translation


def _fields(text: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(text) if field is not None}


def _actions_of(menu: QMenu) -> Iterator[QAction]:
    for action in menu.actions():
        yield action
        if action.menu() is not None:
            yield from _actions_of(action.menu())


def test_the_main_window_in_japanese_has_no_untranslated_action(
    japanese: None, make_window: Callable[..., MainWindow], controller: BatchController
) -> None:
    window = make_window(controller)
    menus = [action.menu() for action in window.menuBar().actions()]
    context_menu = window.context_menu()
    actions = [
        *window.menuBar().actions(),
        *(action for menu in menus for action in _actions_of(menu)),
        *window.toolbar.actions(),
        *_actions_of(context_menu),
    ]
    named = [a for a in actions if not a.isSeparator()]
    assert len(named) >= 20  # the menus, the toolbar and the context menu were all seen
    untranslated = [a.text() for a in named if not JAPANESE.search(a.text())]
    assert untranslated == []
    tips = [a.toolTip() for a in window.batch_actions.by_name.values()]
    assert [tip for tip in tips if not JAPANESE.search(tip)] == []
    header = window.table.model()
    columns = [header.headerData(c, Qt.Orientation.Horizontal) for c in range(header.columnCount())]
    assert [c for c in columns if not JAPANESE.search(c)] == []
    assert window.empty_state.new_batch_button.text() == "新規バッチ…"
    assert window.status_bar.throughput_label.text() == "実行中のバッチはありません"
    context_menu.deleteLater()


def test_the_tray_and_photo_menus_in_japanese_have_no_untranslated_action(
    japanese: None,
    make_window: Callable[..., MainWindow],
    controller: BatchController,
    photos: Callable[..., list[Path]],
    tmp_path: Path,
) -> None:
    window = make_window(controller)
    batch = create(
        controller, photo_paths=photos(1), config=dict(CONFIG), name="Shoot", start=False
    )
    folder = tmp_path / "tethered"
    folder.mkdir()
    controller.watch_folders.add(str(folder), dict(CONFIG))
    tray = TrayIcon(controller, window)
    tray.menu.aboutToShow.emit()
    assert tray.watch_menu is not None and tray.batch_menu(batch.batch_id) is not None
    failed = PhotoRecord(1, 0, str(folder / "IMG_0001.jpg"), PhotoState.FAILED, 1, "x", "", None)
    photo_menu = window.detail.photo_menu(failed)
    actions = [a for a in [*_actions_of(tray.menu), *_actions_of(photo_menu)] if a.text()]
    assert len(actions) >= 15  # the tray's items, a batch's submenu, the watches', the photo's
    # the watched folder's item is its own name; the batch's says its state in Japanese
    untranslated = [a.text() for a in actions if not JAPANESE.search(a.text())]
    assert untranslated == ["tethered"]
    assert JAPANESE.search(tray.tooltip())
    photo_menu.deleteLater()


def _shown_texts(root: QWidget) -> Iterator[str]:
    """Every text a dialog shows in its labels, buttons, tabs, group titles, table headers
    and empty fields."""
    widgets = [root, *root.findChildren(QWidget)]
    for widget in widgets:
        if isinstance(widget, QLabel | QAbstractButton):
            yield widget.text()
        elif isinstance(widget, QGroupBox):
            yield widget.title()
        elif isinstance(widget, QLineEdit):
            yield widget.placeholderText()
        elif isinstance(widget, QTabWidget):
            yield from (widget.tabText(i) for i in range(widget.count()))
        elif isinstance(widget, QTableWidget):
            headers = (widget.horizontalHeaderItem(c) for c in range(widget.columnCount()))
            yield from (header.text() for header in headers if header is not None)
        if widget.toolTip():
            yield widget.toolTip()


def _english_in(root: QWidget, own_names: Collection[str] = ()) -> list[str]:
    """The texts that read as English: Latin letters beyond the allowed names, no Japanese."""
    texts = {text for text in _shown_texts(root) if text} - set(own_names)
    return sorted(
        text
        for text in texts
        if re.search("[A-Za-z]", LATIN_AS_IT_IS.sub("", text)) and not JAPANESE.search(text)
    )


def test_new_batch_and_settings_in_japanese_leave_no_english(
    qtbot: Any,
    japanese: None,
    make_window: Callable[..., MainWindow],
    controller: BatchController,
    photos: Callable[..., list[Path]],
    tmp_path: Path,
) -> None:
    window = make_window(controller)
    photos(2, folder="shoot")
    (tmp_path / "shoot" / "contract.pdf").write_bytes(b"%PDF")
    dialog = window.open_new_batch([tmp_path / "shoot", tmp_path / "shoot" / "contract.pdf"])
    assert dialog is not None
    qtbot.wait_until(lambda: not dialog.scanning and bool(dialog.files), timeout=10_000)
    qtbot.wait_until(lambda: not dialog.preview_busy, timeout=20_000)
    assert dialog.view.files_label.text() == "写真 2 枚"
    assert len(list(_shown_texts(dialog))) > 40
    # the folder's name as the batch's, an example file name, the preset's own description
    own = {"shoot", dialog.view.preset_description.text()}
    assert _english_in(dialog, own) == []
    # what the batch rules say of a bad form is in Japanese too, with its values
    dialog.view.naming_edit.setText("{camera}/{nonsense}")
    after = dialog.view.after_editor
    after.copy_check.setChecked(True)
    after.copy_folder_edit.setText("relative/backup")
    problems = dialog.view.problems_label.text()
    assert problems.count("{nonsense}") == 1 and "フィールド" in problems, problems
    assert "絶対パス" in problems
    assert _english_in(dialog, own) == []
    dialog.reject()

    folder = tmp_path / "tethered"
    folder.mkdir()
    controller.watch_folders.add(str(folder), dict(CONFIG))
    settings = window.open_settings()
    assert settings.watch_page is not None and settings.watch_page.table.rowCount() == 1
    assert settings.pages.count() == 4
    assert _english_in(settings) == []
    add = settings.watch_page.open_add_dialog()
    assert _english_in(add) == []
    add.reject()
    settings.reject()
    qtbot.wait_until(lambda: window.settings_dialog is None)


def test_refusals_of_the_rules_read_in_japanese_and_stay_english_for_scripts(
    japanese: None, controller: BatchController, tmp_path: Path
) -> None:
    missing = tmp_path / "card"
    with pytest.raises(BatchError) as caught:
        controller.watch_folders.add(str(missing), dict(CONFIG))
    assert caught.value.message == f"There is no folder at {missing}"  # the API's words
    assert error_text(caught.value) == f"{missing} にフォルダーがありません"
    problem = merge_problem([])
    assert problem == "Choose at least two batches to merge."
    assert sentence_text(problem or "") == "結合するバッチを 2 つ以上選んでください。"


def test_plurals_read_as_english_with_the_english_catalogue(
    make_window: Callable[..., MainWindow], controller: BatchController
) -> None:
    """English needs its catalogue's plural forms: without it "1 batch(es)" would show."""
    window = make_window(controller)
    translate = window.commands.tr
    assert translate("Removed %n batch(es)", "", 1) == "Removed 1 batch"
    assert translate("Removed %n batch(es)", "", 3) == "Removed 3 batches"


def test_every_japanese_message_is_translated_and_keeps_its_fields() -> None:
    messages = list(_live_messages(_catalogue("ja")))
    assert len(messages) > 150
    for context, message, translation in messages:
        source = message.findtext("source", "")
        forms = [f.text or "" for f in translation.iter("numerusform")] or [translation.text or ""]
        where = f"{context}: {source!r}"
        assert translation.get("type") != "unfinished", f"unfinished: {where}"
        for form in forms:
            assert form.strip(), f"empty translation: {where}"
            # a field the code does not fill would raise KeyError; one left out loses a value
            assert _fields(form) == _fields(source), f"fields differ in {form!r} for {where}"
            assert set(COUNT.findall(form)) == set(COUNT.findall(source)), f"%n lost: {where}"


def test_the_english_catalogue_has_both_plural_forms_of_every_counted_message() -> None:
    messages = list(_live_messages(_catalogue("en")))
    assert messages and all(message.get("numerus") == "yes" for _, message, _ in messages)
    for _, message, translation in messages:
        forms = [f.text or "" for f in translation.iter("numerusform")]
        assert len(forms) == 2 and all(COUNT.search(form) for form in forms), message.findtext(
            "source"
        )
        assert translation.get("type") != "unfinished"


def test_the_catalogues_hold_every_string_the_code_marks(tmp_path: Path) -> None:
    """`make translations` was run after the last change of a user-visible string."""
    lupdate = Path(PySide6.__file__).parent / "lupdate"
    if not lupdate.is_file():
        pytest.skip("PySide6's lupdate is not installed here")
    for language in ("ja", "en"):
        copy = tmp_path / f"{i18n.CATALOGUE}_{language}.ts"
        shutil.copyfile(i18n.source_dir() / copy.name, copy)
        plural_only = ["-pluralonly"] if language == "en" else []
        command = [str(lupdate), "-locations", "none", "-extensions", "py", *plural_only]
        subprocess.run(
            [*command, str(REPO / "junmai_gui"), "-ts", str(copy)],
            capture_output=True,
            timeout=120,
            check=True,
        )
        new = [
            message.findtext("source")
            for _, message, translation in _live_messages(ET.parse(copy).getroot())
            if translation.get("type") == "unfinished"
        ]
        assert new == [], f"{copy.name} lacks these strings: run make translations"


def test_a_missing_compiled_catalogue_is_compiled_into_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An installation without the .qm files (no make) compiles them once, at launch."""
    packaged = tmp_path / "packaged"
    packaged.mkdir()
    for source in i18n.source_dir().glob("*.ts"):
        shutil.copyfile(source, packaged / source.name)
    monkeypatch.setattr(i18n, "source_dir", lambda: packaged)
    cache = tmp_path / "cache"
    folder = i18n.catalogue_dir(cache)
    assert folder == cache / "i18n"
    assert sorted(p.name for p in folder.iterdir()) == ["junmai_en.qm", "junmai_ja.qm"]
    compiled_at = (folder / "junmai_ja.qm").stat().st_mtime_ns
    assert i18n.catalogue_dir(cache) == folder  # not compiled again
    assert (folder / "junmai_ja.qm").stat().st_mtime_ns == compiled_at


def test_system_follows_the_locale() -> None:
    assert i18n.ui_locale("system") == QLocale.system()
    japanese = QLocale(QLocale.Language.Japanese, QLocale.Country.Japan)
    assert i18n.ui_locale("system", japanese) == japanese
    assert i18n.ui_locale("ja").language() is QLocale.Language.Japanese
    assert i18n.ui_locale("en").language() is QLocale.Language.English
    assert set(LANGUAGES) == {"system", "en", "ja"}


def test_a_japanese_system_gets_the_japanese_interface(tmp_path: Path) -> None:
    """A real process started under a Japanese locale, with the default Language setting."""
    script = (
        "import sys\n"
        "from pathlib import Path\n"
        "from PySide6.QtCore import QCoreApplication\n"
        "from junmai_gui.i18n import install_translators\n"
        "app = QCoreApplication([])\n"
        "install_translators(app, 'system', Path(sys.argv[1]))\n"
        "print(QCoreApplication.translate('MainWindow', '&File'))\n"
        "print(QCoreApplication.translate('QPlatformTheme', 'Cancel'))\n"
    )
    env = {**os.environ, "LANG": "ja_JP.UTF-8", "LC_ALL": "ja_JP.UTF-8", "LANGUAGE": "ja"}
    done = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path / "cache")],
        env=env,
        capture_output=True,
        timeout=120,
        check=True,
    )
    file_menu, qt_cancel = done.stdout.decode("utf-8").splitlines()
    assert file_menu == "ファイル(&F)"
    assert qt_cancel == "キャンセル"  # Qt's own strings (standard buttons) from qtbase_ja


def test_the_language_choice_is_saved_for_the_next_launch(
    qtbot: Any, window: MainWindow, data_dir: Path
) -> None:
    dialog = window.open_settings()
    combo = dialog.language_combo
    assert [combo.itemData(i) for i in range(combo.count())] == list(LANGUAGES)
    assert [combo.itemText(i) for i in range(combo.count())] == ["System", "English", "日本語"]
    assert combo.currentData() == "system"
    combo.setCurrentIndex(combo.findData("ja"))
    assert dialog.settings().language == "ja"
    with qtbot.wait_signal(window.settings.changed):
        save = dialog.buttons.button(QDialogButtonBox.StandardButton.Save)
        qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
    assert load_settings(data_dir).language == "ja"
    # the window stays in the language it started with until the next launch
    assert QCoreApplication.translate("MainWindow", "&File") == "&File"
    qtbot.wait_until(lambda: window.settings_dialog is None)
