"""What a batch does when it ends: the vocabulary of its after-batch actions.

A config's `after` lists actions run when the batch ends completed or failed (never when it
is cancelled): `{"action": "open_folder"}` (the window opens the output folder),
`{"action": "copy", "folder": "/abs/folder"}` (the finished outputs are copied there, their
subfolders kept), `{"action": "command", "command": ["program", "arg", …]}` (the program
runs with the batch's result as JSON on its standard input; no shell). The notification
when a batch ends is the tray's, for every batch.

A command is a program to run, so it is only ever set in the window or the settings file:
the HTTP API refuses any config that carries one (`carries_command`), so that its token
never becomes a way to run programs. A failing action is reported on the batch; it never
fails the batch.
"""

from __future__ import annotations

import os
import shlex
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from junmai_gui.domain.wording import QT_TRANSLATE_NOOP, Sentence

OPEN_FOLDER, COPY, COMMAND = "open_folder", "copy", "command"
AFTER_ACTIONS = (OPEN_FOLDER, COPY, COMMAND)
MAX_AFTER_ACTIONS = 8
MAX_COMMAND_ARGS = 64
MAX_ARG_LENGTH = 4096
COMMAND_REFUSED = (
    "Commands to run after a batch can only be set in the window or the settings file, "
    "never through the API; remove the after-batch command from the config"
)


@dataclass(frozen=True)
class AfterAction:
    """One action to run when a batch ends; `folder` for copy, `command` (argv) for command."""

    action: str
    folder: str | None = None
    command: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"action": self.action}
        if self.action == "copy":
            data["folder"] = self.folder
        if self.action == "command":
            data["command"] = list(self.command)
        return data


def split_command_line(line: str, *, windows: bool = os.name == "nt") -> list[str]:
    """A typed command line as its arguments, split as the system's shell would (without
    running one): quotes group, and on Windows a backslash is a path separator, not an
    escape. ValueError when a quote is left open."""
    lexer = shlex.shlex(line, posix=True)
    lexer.whitespace_split = True
    lexer.commenters = ""
    if windows:
        lexer.escape = ""
    return list(lexer)


def join_command_line(argv: Sequence[str], *, windows: bool = os.name == "nt") -> str:
    """Arguments as one command line that `split_command_line` gives back."""
    return " ".join(_quote_windows(arg) for arg in argv) if windows else shlex.join(argv)


def _quote_windows(arg: str) -> str:
    if arg and not any(c in arg for c in " \t'\""):
        return arg
    return f"'{arg}'" if '"' in arg else f'"{arg}"'


def carries_command(config: object) -> bool:
    """Whether a raw config (as a client sent it) asks to run a command after the batch.

    Looser than the parser on purpose: any item of `after` that names the action
    "command" or has a "command" key counts, whatever else is wrong with it."""
    if not isinstance(config, dict):
        return False
    after = config.get("after")
    items = after if isinstance(after, list) else [after]
    return any(
        isinstance(item, dict) and (item.get("action") == "command" or "command" in item)
        for item in items
    )


def parse_after(value: object) -> tuple[tuple[AfterAction, ...], list[str]]:
    """The actions of a config's `after` value, and every problem with it as sentences."""
    if value is None:
        return (), []
    if not isinstance(value, list):
        return (), ['after must be a list of actions, for example [{"action": "open_folder"}]']
    if len(value) > MAX_AFTER_ACTIONS:
        return (), [f"At most {MAX_AFTER_ACTIONS} after-batch actions are accepted"]
    actions: list[AfterAction] = []
    problems: list[str] = []
    for number, item in enumerate(value, start=1):
        action, problem = _parse_one(item)
        if problem:
            problems.append(
                Sentence(
                    QT_TRANSLATE_NOOP("Problem", "After-batch action {number}: {problem}"),
                    number=number,
                    problem=problem,
                )
            )
        elif action is not None:
            actions.append(action)
    return tuple(actions), problems


def _parse_one(item: object) -> tuple[AfterAction | None, str | None]:
    if not isinstance(item, dict):
        return None, 'each action must be an object with an "action"'
    kind = item.get("action")
    if kind not in AFTER_ACTIONS:
        return None, f"unknown action {str(kind)[:40]!r}; use one of {', '.join(AFTER_ACTIONS)}"
    allowed = {"action", "folder"} if kind == "copy" else {"action", "command"}
    if kind == "open_folder":
        allowed = {"action"}
    extra = sorted(str(k)[:40] for k in set(item) - allowed)
    if extra:
        return None, f"{kind} does not take {', '.join(extra)}"
    if kind == "copy":
        folder = item.get("folder")
        if not isinstance(folder, str) or "\x00" in folder or not PurePath(folder).is_absolute():
            return None, Sentence(
                QT_TRANSLATE_NOOP(
                    "Problem", "copy needs the absolute path of the folder to copy the outputs to"
                )
            )
        return AfterAction("copy", folder=folder), None
    if kind == "command":
        argv, problem = _argv(item.get("command"))
        if problem:
            return None, problem
        return AfterAction("command", command=argv), None
    return AfterAction(str(kind)), None


def _argv(value: object) -> tuple[tuple[str, ...], str | None]:
    """A command as its arguments: a list of strings, or one line split as a shell would
    (without running a shell)."""
    if isinstance(value, str):
        try:
            value = split_command_line(value)
        except ValueError as exc:
            return (), Sentence(
                QT_TRANSLATE_NOOP("Problem", "the command cannot be read ({reason})"), reason=exc
            )
    if (
        not isinstance(value, list)
        or not value
        or not all(isinstance(arg, str) and "\x00" not in arg for arg in value)
        or not value[0].strip()
    ):
        return (), Sentence(
            QT_TRANSLATE_NOOP(
                "Problem", "command needs the program to run and its arguments, as a list of text"
            )
        )
    if len(value) > MAX_COMMAND_ARGS or any(len(arg) > MAX_ARG_LENGTH for arg in value):
        return (), Sentence(
            QT_TRANSLATE_NOOP(
                "Problem",
                "the command is too long (at most {count} arguments of {length} characters)",
            ),
            count=MAX_COMMAND_ARGS,
            length=MAX_ARG_LENGTH,
        )
    return tuple(value), None
