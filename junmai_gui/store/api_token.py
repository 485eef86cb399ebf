"""The local API's bearer token: `api-token` in the data dir, readable by the user only.

Created on first use from `secrets.token_urlsafe(32)`; scripts on the same machine read the
file to talk to the API.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import tempfile
from pathlib import Path

TOKEN_FILE = "api-token"
TOKEN_MODE = 0o600


def token_path(data_dir: Path) -> Path:
    return Path(data_dir) / TOKEN_FILE


def read_token(data_dir: Path) -> str | None:
    """The stored token, or None when there is none yet."""
    try:
        token = token_path(data_dir).read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None
    return token or None


def _write_private_temp(folder: Path, token: str) -> Path:
    fd, name = tempfile.mkstemp(prefix=f".{TOKEN_FILE}.", dir=folder)
    try:
        os.chmod(name, TOKEN_MODE)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(token + "\n")
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise
    return Path(name)


def read_or_create_token(data_dir: Path) -> str:
    """The stored token; on first call a new one is written (mode 0600)."""
    path = token_path(data_dir)
    existing = read_token(data_dir)
    if existing is not None:
        if os.name == "posix" and path.stat().st_mode & 0o777 != TOKEN_MODE:
            os.chmod(path, TOKEN_MODE)
        return existing
    path.parent.mkdir(parents=True, exist_ok=True)
    token = secrets.token_urlsafe(32)
    temp = _write_private_temp(path.parent, token)
    try:
        if path.exists():  # empty file left by an interrupted write: replace it
            os.replace(temp, path)
            return token
        try:
            os.link(temp, path)  # fails if another process created it meanwhile
        except FileExistsError:
            return read_token(data_dir) or regenerate_token(data_dir)
        return token
    finally:
        with contextlib.suppress(FileNotFoundError):
            temp.unlink()


def regenerate_token(data_dir: Path) -> str:
    """Replace the token with a new one (old clients stop working); returns it."""
    path = token_path(data_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    token = secrets.token_urlsafe(32)
    os.replace(_write_private_temp(path.parent, token), path)
    return token
