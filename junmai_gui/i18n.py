"""The interface's language: which catalogues to load, where they are, and installing them.

The source catalogues are Qt Linguist files, `resources/i18n/junmai_<lang>.ts`; the app loads
their compiled `.qm` form. `make` compiles them next to the sources (the packaged data);
an installation without them (a wheel built without make, a checkout run without make) gets
them compiled once into the data folder's cache with PySide6's `lrelease`. Without either,
the app speaks English. Qt's own strings (standard buttons, context menus of text fields)
come from the `qtbase_<lang>.qm` that PySide6 ships.

English has a catalogue too: `junmai_en.ts` holds only the plural forms ("%n batch(es)"
reads "1 batch", "2 batches"), so English is always loaded under another language's
missing strings.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
from importlib import resources
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from junmai_gui.domain.app_settings import LANGUAGE_SYSTEM
from junmai_gui.domain.wording import QT_TRANSLATE_NOOP as QT_TRANSLATE_NOOP  # views mark with it

log = logging.getLogger(__name__)

CATALOGUE = "junmai"  # junmai_ja.ts, junmai_ja.qm
SOURCE_LANGUAGE = "en"
LRELEASE_TIMEOUT_S = 60
TRANSLATOR_NAME = "junmai_translator"  # how this module finds the translators it installed


def source_dir() -> Path:
    """Where the `.ts` sources are, and `make` puts the compiled `.qm` files."""
    return Path(str(resources.files("junmai_gui.resources"))) / "i18n"


def ui_locale(language: str, system: QLocale | None = None) -> QLocale:
    """The locale whose catalogue the interface uses for the Language setting `language`
    ("system": `system`, by default the system's locale)."""
    if language == LANGUAGE_SYSTEM:
        return system if system is not None else QLocale.system()
    return QLocale(language)


def catalogue_dir(cache: Path) -> Path | None:
    """The folder with compiled catalogues: the packaged one when each `.qm` there is as new
    as its `.ts`; else `cache`/i18n, compiled there now if needed; else a stale packaged
    one. None (with a logged reason) when there are none and they cannot be compiled."""
    packaged = source_dir()
    sources = sorted(packaged.glob(f"{CATALOGUE}_*.ts"))
    if not sources:
        log.warning("No interface translations in %s: the interface is in English", packaged)
        return None
    if all(_up_to_date(ts, ts.with_suffix(".qm")) for ts in sources):
        return packaged
    built = cache / "i18n"
    if all(_up_to_date(ts, built / f"{ts.stem}.qm") or _compile(ts, built) for ts in sources):
        return built
    if all(ts.with_suffix(".qm").is_file() for ts in sources):
        return packaged
    return None


def lrelease_command() -> list[str] | None:
    """PySide6's lrelease: the binary inside the PySide6 package, else the one on PATH."""
    import PySide6

    name = "lrelease.exe" if sys.platform == "win32" else "lrelease"
    bundled = Path(PySide6.__file__).parent / name
    if bundled.is_file():
        return [str(bundled)]
    found = shutil.which("pyside6-lrelease") or shutil.which("lrelease")
    return [found] if found else None


def install_translators(app: QCoreApplication, language: str, cache: Path) -> QLocale:
    """Load the app's catalogues and Qt's own for `language` (a Language setting value) into
    `app`, replacing those this function installed before; returns the locale asked for.

    English is always loaded (its plural forms); a language the app has no catalogue for
    leaves the whole interface in English, Qt's buttons included."""
    for old in app.findChildren(QTranslator, TRANSLATOR_NAME):
        app.removeTranslator(old)
        old.setParent(None)
    locale = ui_locale(language)
    folder = catalogue_dir(cache)
    if folder is None:
        return locale
    # The translator installed last is asked first: the chosen language over English.
    _install(app, CATALOGUE, folder, QLocale(SOURCE_LANGUAGE))
    if locale.language() != QLocale(SOURCE_LANGUAGE).language():
        if _install(app, CATALOGUE, folder, locale):
            qt_folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
            _install(app, "qtbase", Path(qt_folder), locale)
        else:
            log.info("No translation for %s: the interface is in English", locale.name())
    return locale


def _install(app: QCoreApplication, prefix: str, folder: Path, locale: QLocale) -> bool:
    """Install `folder`/`prefix`_<language>.qm for `locale`'s UI languages, if there is one."""
    translator = QTranslator(app)
    translator.setObjectName(TRANSLATOR_NAME)
    if not translator.load(locale, prefix, "_", str(folder), ".qm"):
        translator.setParent(None)
        return False
    app.installTranslator(translator)
    return True


def _up_to_date(source: Path, compiled: Path) -> bool:
    try:
        return compiled.stat().st_mtime_ns >= source.stat().st_mtime_ns
    except OSError:
        return False


def _compile(source: Path, folder: Path) -> bool:
    """Compile `source` into `folder` with lrelease (atomically); False, logged, on failure."""
    tool = lrelease_command()
    if tool is None:
        log.warning("Could not compile %s: PySide6's lrelease was not found", source.name)
        return False
    target = folder / f"{source.stem}.qm"
    # Two launches at once may both compile: each writes its own file, the last rename wins.
    partial = folder / f"{source.stem}.qm.{os.getpid()}.partial"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [*tool, "-silent", str(source), "-qm", str(partial)],
            check=True,
            capture_output=True,
            timeout=LRELEASE_TIMEOUT_S,
        )
        partial.replace(target)
    except (OSError, subprocess.SubprocessError) as exc:
        log.warning("Could not compile the interface translation %s: %s", source.name, exc)
        partial.unlink(missing_ok=True)
        return False
    log.info("Compiled the interface translation %s into %s", source.name, folder)
    return True
