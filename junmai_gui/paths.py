"""Where the app keeps its data and logs, and the log line format of the AutoDev contract.

The data dir is `platformdirs.user_data_dir("junmai-gui")`, overridden by the
`JUNMAI_DATA_DIR` environment variable and, above that, by `--data-dir`. It holds
`batches.sqlite3`, `settings.json`, `api-token`, `presets/`, `logs/`, `cache/` and the
instance lock. Only its owner may read it: folders are 0700 and files 0600 (see
`private_files`), and looser ones left by older versions are tightened at every launch.
"""

from __future__ import annotations

import io
import logging
import logging.handlers
import os
from pathlib import Path

import platformdirs

from junmai_gui.private_files import create_private_file, make_private_dirs, tighten_folder

APP_NAME = "junmai-gui"
DATA_DIR_ENV = "JUNMAI_DATA_DIR"
LOG_FORMAT = "%(asctime)s %(levelname)s: %(message)s"


def default_data_dir() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def resolve_data_dir(cli_value: str | os.PathLike[str] | None = None) -> Path:
    """`--data-dir` if given, else `JUNMAI_DATA_DIR`, else the platform's user data dir."""
    if cli_value:
        return Path(cli_value).expanduser().resolve()
    env = os.environ.get(DATA_DIR_ENV)
    if env:
        return Path(env).expanduser().resolve()
    return default_data_dir()


def ensure_data_dir(data_dir: Path) -> Path:
    """Create the data folder and its logs/ and presets/ (0700); tighten what is there."""
    for folder in (data_dir, log_dir(data_dir), user_presets_dir(data_dir)):
        make_private_dirs(folder)
    for folder in (data_dir, log_dir(data_dir), cache_dir(data_dir), lut_cache_dir(data_dir)):
        tighten_folder(folder)
    return data_dir


def log_dir(data_dir: Path) -> Path:
    return data_dir / "logs"


def user_presets_dir(data_dir: Path) -> Path:
    return data_dir / "presets"


def cache_dir(data_dir: Path) -> Path:
    """What can be rebuilt: presets published to the develop processes, baked tables, the
    compiled pixel loops. Safe to delete while the app is closed."""
    return data_dir / "cache"


def lut_cache_dir(data_dir: Path) -> Path:
    """Where parsed LUTs are kept between launches (see `develop.lut_cache`)."""
    return cache_dir(data_dir) / "luts"


def setup_logging(data_dir: Path, *, level: int = logging.INFO, console: bool = True) -> Path:
    """Log to a rotating file in the data dir (and stderr), in the AutoDev contract's line format:
    `INFO: Paused batch processing | batch_id=batch_abc123` after a timestamp."""
    ensure_data_dir(data_dir)
    log_file = log_dir(data_dir) / "junmai-gui.log"
    root = logging.getLogger()
    root.setLevel(level)
    for handler in list(root.handlers):
        if getattr(handler, "_junmai", False):
            root.removeHandler(handler)
            handler.close()
    formatter = logging.Formatter(LOG_FORMAT)
    file_handler = PrivateRotatingFileHandler(
        log_file, maxBytes=5 * 1024 * 1024, backupCount=5, encoding="utf-8"
    )
    file_handler.setFormatter(formatter)
    file_handler._junmai = True  # type: ignore[attr-defined]
    root.addHandler(file_handler)
    # pyvips logs every operation it builds at INFO; a batch would bury our own lines.
    logging.getLogger("pyvips").setLevel(logging.WARNING)
    if console:
        stream = logging.StreamHandler()
        stream.setFormatter(formatter)
        stream._junmai = True  # type: ignore[attr-defined]
        root.addHandler(stream)
    return log_file


class PrivateRotatingFileHandler(logging.handlers.RotatingFileHandler):
    """A rotating log whose files, the new one after each rollover too, are 0600."""

    def _open(self) -> io.TextIOWrapper:
        create_private_file(Path(self.baseFilename))
        return super()._open()


def log_fields(message: str, **fields: object) -> str:
    """`Started batch processing | batch_id=batch_abc123 | photo_count=5`."""
    parts = [message, *(f"{key}={value}" for key, value in fields.items())]
    return " | ".join(parts)
