"""`junmai-batch`: drive the running Junmai Batch app from a terminal or a script.

It talks to the app's local HTTP API with the token from the data folder (`--data-dir`,
`JUNMAI_DATA_DIR`, else the platform's user data folder) on the port from the app's settings
(or `--port`). Exit codes: 0 done, 1 the app refused the request (its message is printed),
2 wrong usage, 3 the app is not running (or never ran with this data folder); `watch` also
exits 1 when the batch ends failed or cancelled.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import sys
from pathlib import Path
from typing import Any

import aiohttp

from junmai_gui import __version__, paths
from junmai_gui.api.cli_output import ProgressLine, describe_batch, describe_list
from junmai_gui.domain.config import OUTPUT_KEYS
from junmai_gui.store.api_token import read_token
from junmai_gui.store.settings import load_settings

EXIT_OK = 0
EXIT_REFUSED = 1
EXIT_NOT_RUNNING = 3
FINISHED = ("completed", "failed", "cancelled")


class CliError(Exception):
    """Ends the command with `code` after printing `message` (and `body` with --json)."""

    def __init__(self, message: str, code: int, body: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.body = body


_INT_KEYS = ("quality", "bit_depth", "long_edge")
_SPEC_KEY = re.compile(r",(?=\s*(?:" + "|".join(OUTPUT_KEYS) + r")\s*=)")


def output_spec(text: str) -> dict[str, Any]:
    """`--output jpeg,long_edge=2048,subfolder=web` as an output of a config. Commas split
    the keys only before a known key, so a naming template may hold commas."""
    head, *pairs = _SPEC_KEY.split(text)
    if not head.strip() or "=" in head:
        raise argparse.ArgumentTypeError(f"an output starts with its format, not {head!r}")
    spec: dict[str, Any] = {"format": head.strip().lower()}
    for pair in pairs:
        key, _, value = pair.partition("=")
        key, value = key.strip(), value.strip()
        if key in _INT_KEYS:
            try:
                spec[key] = int(value)
            except ValueError:
                raise argparse.ArgumentTypeError(f"{key} must be a whole number") from None
        elif key == "xmp_sidecar":
            spec[key] = value.lower() in ("1", "true", "yes", "on")
        else:
            spec[key] = value
    return spec


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--data-dir", default=argparse.SUPPRESS, help="the app's data folder")
    common.add_argument("--port", type=int, default=argparse.SUPPRESS, help="the API's port")
    common.add_argument("--json", action="store_true", default=argparse.SUPPRESS, help="print JSON")
    parser = argparse.ArgumentParser(
        prog="junmai-batch",
        description="Control the batches of a running Junmai Batch app.",
        parents=[common],
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    start = commands.add_parser("start", parents=[common], help="develop photos with a preset")
    start.add_argument("paths", nargs="+", metavar="PATH", help="photos or folders")
    start.add_argument("--preset", help="preset name, e.g. WhiteLayer_v4 (or from --template)")
    start.add_argument("--template", help="start from a template saved in the app")
    start.add_argument("--blend", type=float, help="blend from 0 to 100")
    start.add_argument("--out", help="output folder")
    start.add_argument(
        "--naming", help="file names, e.g. '{date:%%Y}/{camera}/{stem}' (folders with /)"
    )
    start.add_argument(
        "--output",
        action="append",
        type=output_spec,
        metavar="FORMAT[,KEY=VALUE...]",
        help="one output per photo, repeatable: jpeg,quality=92 or jpeg,long_edge=2048,"
        "subfolder=web or tiff,bit_depth=16 (keys: " + ", ".join(OUTPUT_KEYS[1:]) + ")",
    )
    start.add_argument("--name", help="batch name")
    start.add_argument("--priority", type=int, help="higher runs first")
    start.add_argument("--watch", action="store_true", help="then show progress until done")

    for name, text in (
        ("pause", "pause a running batch"),
        ("resume", "resume a paused batch"),
        ("cancel", "cancel a batch"),
        ("retry-failed", "develop a finished batch's failed photos again"),
        ("status", "show a batch's progress"),
        ("watch", "show live progress until the batch finishes"),
    ):
        sub = commands.add_parser(name, parents=[common], help=text)
        sub.add_argument("batch_id", metavar="ID")
    commands.add_parser("list", parents=[common], help="list every batch")
    commands.add_parser("recover", parents=[common], help="pause interrupted batches for review")
    cleanup = commands.add_parser(
        "cleanup", parents=[common], help="forget finished batches (files stay)"
    )
    cleanup.add_argument("--days", type=int, default=7, help="older than this many days")
    return parser


class ApiClient:
    """A session with the app's API: bearer token, loopback, JSON in and out."""

    def __init__(self, port: int, token: str) -> None:
        self.port = port
        self.base = f"http://127.0.0.1:{port}"
        self._headers = {"Authorization": f"Bearer {token}"}
        self._session: aiohttp.ClientSession | None = None

    async def __aenter__(self) -> ApiClient:
        self._session = aiohttp.ClientSession(
            headers=self._headers, timeout=aiohttp.ClientTimeout(total=None, connect=5)
        )
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._session is not None:
            await self._session.close()

    @property
    def session(self) -> aiohttp.ClientSession:
        assert self._session is not None
        return self._session

    def not_running(self) -> CliError:
        return CliError(
            f"Junmai Batch is not running: nothing answers on 127.0.0.1:{self.port}. "
            "Start it with 'junmai-gui' or 'junmai-gui --headless' (or pass --port).",
            EXIT_NOT_RUNNING,
        )

    async def call(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        try:
            async with self.session.request(method, self.base + path, json=body) as response:
                text = await response.text()
                status = response.status
        except aiohttp.ClientConnectionError as exc:
            raise self.not_running() from exc
        try:
            data = json.loads(text)
        except ValueError:
            data = {"error": text.strip() or f"HTTP {status}"}
        if status >= 400:
            message = str(data.get("error", f"HTTP {status}"))
            if data.get("detail"):
                message = f"{message}: {data['detail']}"
            raise CliError(message, EXIT_REFUSED, data)
        return data


async def _watch(client: ApiClient, batch_id: str, as_json: bool) -> int:
    """Follow the event stream until the batch finishes; 0 when it completed."""
    try:
        ws = await client.session.ws_connect(f"{client.base}/batch/events", heartbeat=30)
    except aiohttp.WSServerHandshakeError as exc:
        raise CliError(
            f"The app refused the event stream (HTTP {exc.status})", EXIT_REFUSED
        ) from exc
    except aiohttp.ClientConnectionError as exc:
        raise client.not_running() from exc
    progress = ProgressLine(sys.stdout)
    async with ws:
        status = await client.call("GET", f"/batch/{batch_id}/status")
        _emit(as_json, {"type": "batch_status", "batch_id": batch_id, "batch": status}, progress)
        if status["status"] in FINISHED:
            if not as_json:
                progress.finish(status)
            return EXIT_OK if status["status"] == "completed" else EXIT_REFUSED
        async for message in ws:
            if message.type != aiohttp.WSMsgType.TEXT:
                break
            event = json.loads(message.data)
            if event.get("batch_id") != batch_id:
                continue
            _emit(as_json, event, progress)
            if event["type"] == "batch_removed":
                raise CliError(f"Batch {batch_id} was removed", EXIT_REFUSED)
            if event["type"] == "batch_finished":
                final = event.get("batch") or {"batch_id": batch_id, "status": event["status"]}
                if not as_json:
                    progress.finish(final)
                return EXIT_OK if event["status"] == "completed" else EXIT_REFUSED
    raise CliError("Junmai Batch stopped before the batch finished", EXIT_NOT_RUNNING)


def _emit(as_json: bool, event: dict[str, Any], progress: ProgressLine) -> None:
    if as_json:
        print(json.dumps(event), flush=True)
    elif event.get("batch"):
        progress.update(event["batch"])


async def run(args: argparse.Namespace, port: int, token: str) -> int:
    as_json = bool(getattr(args, "json", False))
    async with ApiClient(port, token) as client:
        command = args.command
        if command == "start":
            config: dict[str, Any] = {"preset": args.preset} if args.preset else {}
            if args.blend is not None:
                config["blend"] = args.blend
            if args.out:
                config["output_dir"] = str(Path(args.out).expanduser().resolve())
            if args.naming:
                config["naming"] = args.naming
            if args.output:  # --naming names the outputs that do not name themselves
                naming = {"naming": args.naming} if args.naming else {}
                config["outputs"] = [{**naming, **spec} for spec in args.output]
            body: dict[str, Any] = {
                "photo_paths": [str(Path(p).expanduser().resolve()) for p in args.paths],
            }
            if config:
                body["config"] = config
            if args.template:
                body["template"] = args.template
            if args.name:
                body["name"] = args.name
            if args.priority is not None:
                body["priority"] = args.priority
            data = await client.call("POST", "/batch/start", body)
            _print(as_json, data, _started_text(data))
            if args.watch:
                return await _watch(client, data["batch_id"], as_json)
            return EXIT_OK
        if command in ("pause", "resume", "cancel", "retry-failed"):
            data = await client.call("POST", f"/batch/{args.batch_id}/{command}")
            _print(as_json, data, data["message"])
        elif command == "status":
            data = await client.call("GET", f"/batch/{args.batch_id}/status")
            _print(as_json, data, describe_batch(data))
        elif command == "watch":
            return await _watch(client, args.batch_id, as_json)
        elif command == "list":
            data = await client.call("GET", "/batch/list")
            _print(as_json, data, describe_list(data["batches"]))
        elif command == "recover":
            data = await client.call("POST", "/batch/recover")
            text = f"{data['message']}: {data['recovered_count']} recovered, "
            _print(as_json, data, text + f"{data['failed_count']} failed")
        elif command == "cleanup":
            data = await client.call("POST", "/batch/cleanup", {"days_old": args.days})
            _print(as_json, data, f"{data['message']}: {data['cleaned_count']} batch(es) removed")
    return EXIT_OK


def _started_text(data: dict[str, Any]) -> str:
    lines = [f"Started {data['batch_id']} with {data['photo_count']} photo(s)"]
    lines += [f"  skipped {r['path']}: {r['reason']}" for r in data.get("rejected", [])]
    return "\n".join(lines)


def _print(as_json: bool, data: Any, text: str) -> None:
    print(json.dumps(data, indent=2) if as_json else text)


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if getattr(args, "port", None) is not None and not 1 <= args.port <= 65535:
        parser.error("--port must be from 1 to 65535")
    if args.command == "start" and not (args.preset or args.template):
        parser.error("start needs --preset or --template")
    as_json = bool(getattr(args, "json", False))
    data_dir = paths.resolve_data_dir(getattr(args, "data_dir", None))
    try:
        token = read_token(data_dir)
        if token is None:
            raise CliError(
                f"No API token in {data_dir}: Junmai Batch has not run with this data folder. "
                "Start it first (or pass --data-dir).",
                EXIT_NOT_RUNNING,
            )
        port = getattr(args, "port", None) or load_settings(data_dir).api_port
        return asyncio.run(run(args, port, token))
    except CliError as exc:
        if as_json and exc.body is not None:
            print(json.dumps(exc.body, indent=2))
        print(f"junmai-batch: {exc.message}", file=sys.stderr)
        return exc.code
    except OSError as exc:
        print(f"junmai-batch: cannot read the data folder {data_dir}: {exc}", file=sys.stderr)
        return EXIT_NOT_RUNNING
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
