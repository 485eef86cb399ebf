"""Composition root: reads the arguments, builds every part, runs the app, orders shutdown.

`junmai-gui [PATH...]` opens the main window (after the recovery dialog when batches were
interrupted); `junmai-gui --headless` runs the controller and the HTTP API without a
window until SIGINT/SIGTERM. Either way: one instance per data dir (a second launch hands
its paths to the first), recovery at launch, and quitting pauses running batches with
reason `app_quit` so the next launch can resume them.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import logging
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QCoreApplication

from junmai_gui import __version__, paths
from junmai_gui.api.server import ApiServer
from junmai_gui.controller.batch_controller import BatchController
from junmai_gui.controller.executors import Executor
from junmai_gui.controller.instance import SingleInstance
from junmai_gui.controller.process_executor import LocalProcessExecutor
from junmai_gui.controller.settings import ControllerSettings
from junmai_gui.controller.settings_service import (
    LaunchOverrides,
    SettingsError,
    SettingsService,
)
from junmai_gui.develop.library import PresetLibrary
from junmai_gui.domain.app_settings import API_PORTS, MAX_WORKERS, AppSettings
from junmai_gui.domain.errors import BatchError
from junmai_gui.event_loop import SignalWatcher, run_on_qt_loop
from junmai_gui.farm.protocol import redacted, url_problem
from junmai_gui.i18n import QT_TRANSLATE_NOOP, install_translators
from junmai_gui.store import Store, StoreError, load_settings
from junmai_gui.store.autodev_json import set_aside

log = logging.getLogger("junmai_gui.app")

SHUTDOWN_TIMEOUT_S = 9.0  # quitting always finishes within 10 s, whatever a photo's read does


@dataclass(frozen=True)
class LaunchOptions:
    data_dir: Path
    headless: bool
    api_port: int | None
    no_api: bool
    workers: int | None
    farm: str | None
    recovery_prompt: bool
    photo_paths: list[str]


def parse_args(argv: list[str] | None) -> LaunchOptions:
    parser = argparse.ArgumentParser(
        prog="junmai-gui",
        description="Develop hundreds to thousands of photos with a preset.",
    )
    parser.add_argument("paths", nargs="*", help="photos or folders to open in a new batch")
    parser.add_argument(
        "--data-dir",
        help=f"data folder (default: ${paths.DATA_DIR_ENV} or the platform's user data folder)",
    )
    parser.add_argument(
        "--headless",
        action="store_true",
        help="run the batch controller and the HTTP API without a window",
    )
    parser.add_argument("--api-port", type=int, help="port of the local HTTP API")
    parser.add_argument("--no-api", action="store_true", help="do not start the HTTP API")
    parser.add_argument(
        "--workers",
        type=int,
        help="develop processes on this computer for this run (default: the settings); "
        "0 with a farm: the farm develops everything",
    )
    parser.add_argument(
        "--farm",
        metavar="URL",
        help="develop on a render farm too: the broker's URL, redis://:PASSWORD@HOST:PORT/0 "
        "(default: the settings)",
    )
    parser.add_argument(
        "--no-recovery-prompt",
        action="store_true",
        help="keep interrupted batches paused without asking",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    args = parser.parse_args(argv)
    if args.api_port is not None and not API_PORTS[0] <= args.api_port <= API_PORTS[1]:
        parser.error(f"--api-port must be from {API_PORTS[0]} to {API_PORTS[1]}")
    if args.workers is not None and not 0 <= args.workers <= MAX_WORKERS:
        parser.error(f"--workers must be from 0 (a render farm only) to {MAX_WORKERS}")
    if args.farm is not None and (problem := url_problem(args.farm)):
        parser.error(problem)
    return LaunchOptions(
        data_dir=paths.resolve_data_dir(args.data_dir),
        headless=args.headless,
        api_port=args.api_port,
        no_api=args.no_api,
        workers=args.workers,
        farm=args.farm,
        recovery_prompt=not args.no_recovery_prompt,
        photo_paths=[str(Path(p).expanduser().resolve()) for p in args.paths],
    )


def main(argv: list[str] | None = None) -> int:
    options = parse_args(sys.argv[1:] if argv is None else argv)
    data_dir = paths.ensure_data_dir(options.data_dir)
    paths.setup_logging(data_dir)
    app = _make_qt_app(options.headless)
    saved = load_settings(data_dir)
    if not options.headless:
        install_translators(app, saved.language, paths.cache_dir(data_dir))

    instance = SingleInstance(data_dir)
    if not instance.acquire():
        if instance.send_to_primary(options.photo_paths):
            log.info(
                "Junmai Batch already runs for %s; handed over %d path(s)",
                data_dir,
                len(options.photo_paths),
            )
            return 0
        return _fail(
            options,
            QT_TRANSLATE_NOOP(
                "App",
                "Junmai Batch already runs for the data folder {folder}, but it did not answer.",
            ),
            folder=data_dir,
        )
    try:
        try:
            store = _open_store(data_dir, options)
        except StoreError as exc:
            return _fail(options, str(exc))
        settings = SettingsService(
            data_dir,
            saved,
            LaunchOverrides(  # --workers 0 is "a render farm only", no number of processes
                workers=options.workers or None, api_port=options.api_port, api_off=options.no_api
            ),
        )
        current = settings.current
        presets = PresetLibrary(paths.user_presets_dir(data_dir), paths.lut_cache_dir(data_dir))
        farm_url = options.farm or current.farm_url
        if options.workers == 0 and not farm_url:
            return _fail(
                options,
                QT_TRANSLATE_NOOP(
                    "App", "--workers 0 develops on a render farm only: give --farm URL."
                ),
            )
        controller_settings = ControllerSettings(
            workers=current.workers,
            default_output_dir=(
                Path(current.default_output_dir).expanduser()
                if current.default_output_dir
                else None
            ),
        )
        # Started now, the develop processes warm up while the window opens.
        executor = _make_executor(options, current, controller_settings, farm_url, data_dir)
        controller = BatchController(store, presets, controller_settings, executor)
        _save_templates_of(current, controller)
        controller.recover_interrupted_batches()
        try:
            return run_on_qt_loop(app, lambda: _run(app, controller, instance, settings, options))
        finally:
            store.close()
    finally:
        instance.release()


async def _run(
    app: QCoreApplication,
    controller: BatchController,
    instance: SingleInstance,
    settings: SettingsService,
    options: LaunchOptions,
) -> int:
    loop = asyncio.get_running_loop()
    quit_requested: asyncio.Future[None] = loop.create_future()

    def request_quit(*_args: object) -> None:
        if not quit_requested.done():
            quit_requested.set_result(None)

    watcher = SignalWatcher(lambda signum: request_quit())
    api = ApiSupervisor(controller, settings)
    await api.apply(settings.current)
    # Save in the settings dialog applies at once: the API starts, moves or stops.
    settings.changed.connect(lambda new: asyncio.ensure_future(api.apply(new)))
    settings.token_changed.connect(api.set_token)

    window = None
    if options.headless:
        instance.arguments_received.connect(_ignore_paths)
        if options.photo_paths:
            _ignore_paths(options.photo_paths)
        log.info("Running headless; send SIGINT or SIGTERM to stop")
    else:
        from PySide6.QtWidgets import QApplication

        from junmai_gui.views.launch import open_desktop

        assert isinstance(app, QApplication)
        window = open_desktop(app, controller, settings, recovery_prompt=options.recovery_prompt)
        window.set_api_status(api.status)
        api.status_changed = window.set_api_status
        window.quit_requested.connect(request_quit)
        instance.arguments_received.connect(window.open_new_batch)
        if options.photo_paths:
            window.open_new_batch(options.photo_paths)

    # What arrived in the watched folders while the app was closed is taken now, and a
    # watch's batch paused by the last quit resumes — unless the recovery dialog asks about
    # it: then the watches start once it is answered, and the answer stands.
    if window is not None and window.recovery_dialog is not None:
        window.recovery_dialog.finished.connect(
            lambda _result: controller.start_watching(resume_batches=False)
        )
    else:
        controller.start_watching()

    # Everything built so far lives as long as the app: out of the garbage collector's way,
    # a full collection (set off by any thread, e.g. one creating a batch of 100,000 photos)
    # costs milliseconds instead of stalling the window and the API for a tenth of a second.
    gc.freeze()
    await quit_requested
    log.info("Shutting down")
    controller.shutdown(SHUTDOWN_TIMEOUT_S)
    await api.stop()
    if window is not None:
        window.allow_close()
        window.close()
    watcher.close()
    controller.close()
    return 0


def _make_executor(
    options: LaunchOptions,
    settings: AppSettings,
    controller_settings: ControllerSettings,
    farm_url: str,
    data_dir: Path,
) -> Executor:
    """Develop processes here, a render farm, or both ("this computer develops too")."""
    cache = paths.cache_dir(data_dir)
    if not farm_url:
        return LocalProcessExecutor(controller_settings.workers, cache)
    from junmai_gui.controller.farm_executor import FarmExecutor, farm_app_id
    from junmai_gui.controller.split_executor import SplitExecutor  # Celery: with a farm only

    farm = FarmExecutor(farm_url, farm_app_id(data_dir))
    log.info(paths.log_fields("Render farm", url=redacted(farm_url)))
    farm_only = options.workers == 0 or (
        options.workers is None and not settings.farm_develops_here
    )
    if farm_only:
        return farm
    return SplitExecutor(LocalProcessExecutor(controller_settings.workers, cache), farm)


def _save_templates_of(settings: AppSettings, controller: BatchController) -> None:
    """The templates written in settings.json, saved (again) at each launch."""
    for name, config in settings.templates.items():
        try:
            controller.templates.save(name, config)
        except BatchError as exc:
            log.warning("Template %r in settings.json was not loaded: %s", name, exc.message)


def _ignore_paths(photo_paths: list[str]) -> None:
    log.info("Ignored paths handed over in headless mode (use the API): %s", photo_paths)


class ApiSupervisor:
    """Keeps the HTTP API as the running settings say (`SettingsService.current`, launch
    options included): on or off, on which port, with which token. A port that is taken
    leaves the app running without the API, and says so in the log and the status bar.
    """

    def __init__(self, controller: BatchController, settings: SettingsService) -> None:
        self._controller = controller
        self._settings = settings
        self._server: ApiServer | None = None
        self.status = _api_text(QT_TRANSLATE_NOOP("ApiSupervisor", "API off"))
        self.status_changed: Callable[[str], None] | None = None

    async def apply(self, settings: AppSettings) -> None:
        enabled, port = settings.api_enabled, settings.api_port
        if self._server is not None and enabled and self._server.port == port:
            return
        await self.stop()
        if enabled:
            await self._start(port)
        self._announce()

    async def _start(self, port: int) -> None:
        try:
            server = ApiServer(self._controller, self._settings.token(), port)
        except SettingsError as exc:
            log.warning("The HTTP API did not start: %s", exc.message)
            self.status = _api_text(
                QT_TRANSLATE_NOOP("ApiSupervisor", "API not running: its token could not be read")
            )
            return
        try:
            await server.start()
        except OSError as exc:
            reason = exc.strerror or str(exc)
            log.warning("The HTTP API could not listen on 127.0.0.1:%d: %s", port, reason)
            self.status = _api_text(
                QT_TRANSLATE_NOOP("ApiSupervisor", "API not running: port {port} is taken"),
                port=port,
            )
            return
        self._server = server
        self.status = _api_text(QT_TRANSLATE_NOOP("ApiSupervisor", "API: {url}"), url=server.url)
        log.info(paths.log_fields("HTTP API listening", url=server.url))

    def set_token(self, token: str) -> None:
        if self._server is not None:
            self._server.set_token(token)

    async def stop(self) -> None:
        server, self._server = self._server, None
        if server is not None:
            await server.stop()
        self.status = _api_text(QT_TRANSLATE_NOOP("ApiSupervisor", "API off"))

    def _announce(self) -> None:
        if self.status_changed is not None:
            self.status_changed(self.status)


def _api_text(text: str, **fields: object) -> str:
    """A status of the API for the status bar, in the interface's language."""
    return QCoreApplication.translate("ApiSupervisor", text).format(**fields)


def _open_store(data_dir: Path, options: LaunchOptions) -> Store:
    """Open the batch database; a damaged one is set aside (never deleted) with a message,
    and the app starts with an empty one. A newer or foreign database is refused."""
    try:
        return Store.open(data_dir)
    except StoreError as exc:
        if not exc.damaged or exc.path is None:
            raise
        kept = set_aside(exc.path, exc.message, companions=("-wal", "-shm"))
        message = QT_TRANSLATE_NOOP(
            "App",
            "The batch database {database} is damaged and could not be read. It was set aside "
            "as {kept} in {folder} (nothing was deleted), and Junmai Batch starts with an "
            "empty list of batches.",
        )
        fields = {"database": exc.path.name, "kept": kept.name, "folder": kept.parent}
        log.error(message.format(**fields))
        _tell(options, _translated(message, fields))
        return Store.open(data_dir)


def _make_qt_app(headless: bool) -> QCoreApplication:
    existing = QCoreApplication.instance()
    if existing is not None:
        return existing
    argv = [sys.argv[0] if sys.argv else "junmai-gui"]
    if headless:
        app = QCoreApplication(argv)
    else:
        from PySide6.QtWidgets import QApplication

        app = QApplication(argv)
        app.setQuitOnLastWindowClosed(False)
    app.setApplicationName("Junmai Batch")
    app.setOrganizationName("Junmai")
    app.setApplicationVersion(__version__)
    return app


def _fail(options: LaunchOptions, message: str, **fields: object) -> int:
    """Log `message` (with its `{fields}`) in English and show it translated; exit status 1."""
    log.error(message.format(**fields) if fields else message)
    _tell(options, _translated(message, fields), critical=True)
    return 1


def _translated(message: str, fields: dict[str, object]) -> str:
    """`message` (marked with QT_TRANSLATE_NOOP in context "App") in the interface's language,
    its `{fields}` filled in."""
    text = QCoreApplication.translate("App", message)
    return text.format(**fields) if fields else text


def _tell(options: LaunchOptions, message: str, *, critical: bool = False) -> None:
    """Show a message box in the desktop app; headless, the log line is enough."""
    if options.headless:
        return
    from PySide6.QtWidgets import QApplication, QMessageBox

    if isinstance(QCoreApplication.instance(), QApplication):
        show = QMessageBox.critical if critical else QMessageBox.warning
        show(None, QCoreApplication.translate("App", "Junmai Batch"), message)
