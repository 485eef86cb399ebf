"""`junmai-farm`: the render farm's command line.

    junmai-farm worker --broker URL [--concurrency N] [--name NAME]
                       [--path-map APP_PREFIX=WORKER_PREFIX ...] [--allow-output-root DIR ...]
    junmai-farm hub [--bind ADDR] [--port N] [--data-dir DIR] [--no-password]
    junmai-farm status --broker URL [--json]

Exit status: 0 ok, 1 the broker refused or could not be reached, 2 bad arguments.
See docs/farm.md for setting up a studio farm.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path

import redis

from junmai_gui.farm import hub, protocol
from junmai_gui.farm.placement import PathMap, Placement

EXIT_OK, EXIT_BROKER, EXIT_USAGE = 0, 1, 2
DEFAULT_PORT = 6380


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="junmai-farm", description="Develop Junmai Batch photos on several computers."
    )
    commands = parser.add_subparsers(dest="command", required=True)

    worker = commands.add_parser("worker", help="develop photos on this computer")
    worker.add_argument("--broker", required=True, metavar="URL", help="the farm URL")
    worker.add_argument(
        "--concurrency", type=int, default=os.cpu_count() or 1, help="photos at once"
    )
    worker.add_argument("--name", help="this worker's name (default: the host name)")
    worker.add_argument(
        "--path-map",
        action="append",
        default=[],
        metavar="APP_PREFIX=WORKER_PREFIX",
        help="where this computer mounts a folder the app names (repeatable)",
    )
    worker.add_argument(
        "--allow-output-root",
        action="append",
        default=[],
        type=Path,
        metavar="DIR",
        help="a folder outputs may be written under (repeatable; default: the path maps' "
        "worker folders)",
    )
    worker.add_argument("--cache", type=Path, help="presets and tables (default: user cache)")
    worker.add_argument(
        "--visibility-timeout",
        type=float,
        default=None,
        metavar="S",
        help="seconds before a photo a vanished worker held is given to another (default 3 h)",
    )
    worker.add_argument("--develop", help=argparse.SUPPRESS)  # module:function, for tests
    worker.add_argument("--loglevel", default="INFO")

    hub_parser = commands.add_parser("hub", help="run a broker for the farm on this computer")
    hub_parser.add_argument("--bind", default="127.0.0.1", metavar="ADDR")
    hub_parser.add_argument("--port", type=int, default=DEFAULT_PORT)
    hub_parser.add_argument("--data-dir", type=Path, help="its data, password and log")
    hub_parser.add_argument(
        "--no-password", action="store_true", help="no password (loopback addresses only)"
    )

    status = commands.add_parser("status", help="workers, concurrency, photos queued")
    status.add_argument("--broker", required=True, metavar="URL")
    status.add_argument("--json", action="store_true", help="one JSON object")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s: %(message)s")
    if args.command == "hub":
        return _hub(parser, args)
    problem = protocol.check_connection(args.broker)
    if problem:
        print(f"junmai-farm: {problem}", file=sys.stderr)
        return EXIT_BROKER
    if args.command == "worker":
        return _worker(parser, args)
    return _status(args)


def _worker(parser: argparse.ArgumentParser, args: argparse.Namespace) -> int:
    from junmai_gui.farm import worker
    from junmai_gui.farm.celery_app import VISIBILITY_TIMEOUT_S
    from junmai_gui.farm.tasks import WorkerSetup

    if args.concurrency < 1:
        parser.error("--concurrency must be at least 1")
    try:
        maps = [PathMap.parse(text) for text in args.path_map]
    except ValueError as exc:
        parser.error(str(exc))
    roots = args.allow_output_root or [Path(m.worker_prefix) for m in maps]
    if not roots:
        parser.error(
            "say where this worker may write developed photos: --allow-output-root DIR "
            "(or --path-map APP_PREFIX=WORKER_PREFIX)"
        )
    missing = [root for root in roots if not Path(root).is_dir()]
    if missing:
        parser.error(f"the output folder {missing[0]} does not exist on this computer")
    setup = WorkerSetup(
        url=args.broker,
        name=args.name or worker.default_name(),
        cache_dir=args.cache or worker.default_cache(),
        placement=Placement(maps, roots),
    )
    if args.develop:
        setup.develop = args.develop
    worker.run_worker(
        setup,
        concurrency=args.concurrency,
        visibility_timeout_s=args.visibility_timeout or VISIBILITY_TIMEOUT_S,
        loglevel=args.loglevel,
    )
    return EXIT_OK


def _hub(parser: argparse.ArgumentParser, args: argparse.Namespace) -> int:
    import platformdirs

    if not 1 <= args.port <= 65535:
        parser.error("--port must be from 1 to 65535")
    default = Path(platformdirs.user_data_dir("junmai-farm", appauthor=False)) / "hub"
    folder = Path(args.data_dir or default).expanduser().resolve()
    try:
        if args.no_password:
            password = None
            hub.check(hub.HubConfig(args.bind, args.port, folder, None))
        else:
            folder.mkdir(parents=True, exist_ok=True)
            password = hub.hub_password(folder)
        return hub.run_hub(hub.HubConfig(args.bind, args.port, folder, password))
    except hub.HubError as exc:
        print(f"junmai-farm: {exc}", file=sys.stderr)
        return EXIT_USAGE if args.no_password else EXIT_BROKER


def _status(args: argparse.Namespace) -> int:
    client = protocol.connect(args.broker)
    try:
        snapshot = protocol.read_snapshot(client)
    except redis.RedisError as exc:
        print(f"junmai-farm: {protocol.explain(exc, args.broker)}", file=sys.stderr)
        return EXIT_BROKER
    finally:
        client.close()
    busy = sum(w.busy for w in snapshot.workers)
    if args.json:
        body = {
            "workers": [w.to_dict() for w in snapshot.workers],
            "computers": snapshot.computers,
            "concurrency": snapshot.concurrency,
            "busy": busy,
            "queued": snapshot.queued,
        }
        print(json.dumps(body))
        return EXIT_OK
    print(f"{'worker':<20} {'host':<20} {'concurrency':>11} {'busy':>5}  last seen")
    for w in snapshot.workers:
        print(f"{w.name:<20} {w.host:<20} {w.concurrency:>11} {w.busy:>5}  {w.last_seen}")
    print(
        f"{snapshot.computers} computer(s), {len(snapshot.workers)} worker(s), "
        f"concurrency {snapshot.concurrency}, busy {busy}, "
        f"queued {snapshot.queued}"
    )
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
