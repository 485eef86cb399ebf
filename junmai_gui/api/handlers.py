"""The API's endpoints: the AutoDev contract's batch control, then the extensions.

Handlers run on the loop's thread, which is the Qt main thread, and call the controller
directly. What can take seconds (scanning a folder of 100,000 photos on a network share,
storing its rows) leaves the loop: creating a batch runs on the controller's creating
thread and is awaited; an import runs in a worker thread.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

from aiohttp import web

from junmai_gui import __version__
from junmai_gui.api import body
from junmai_gui.api.errors import ApiError, bad_request, from_batch_error, refused_as
from junmai_gui.domain.after_batch import COMMAND_REFUSED, carries_command
from junmai_gui.domain.errors import BatchError
from junmai_gui.domain.status import PhotoState

if TYPE_CHECKING:
    from junmai_gui.controller.batch_controller import BatchController
    from junmai_gui.controller.creation import BatchCreation
    from junmai_gui.controller.planning import StartResult


def _batch_id(request: web.Request, action: str) -> str:
    batch_id = request.match_info["batch_id"]
    if not batch_id or len(batch_id) > body.MAX_BATCH_ID:
        raise ApiError(404, action, batch_id=batch_id[: body.MAX_BATCH_ID], detail="No such batch")
    return batch_id


def _rejected(pairs: list[tuple[str, str]]) -> list[dict[str, str]]:
    return [{"path": path, "reason": reason} for path, reason in pairs]


class BatchHandlers:
    """One method per endpoint; errors become `ApiError`s with the AutoDev contract's wording."""

    def __init__(self, controller: BatchController) -> None:
        self._controller = controller

    def routes(self) -> list[web.RouteDef]:
        return [
            web.post("/batch/start", self.start),
            web.post("/batch/{batch_id}/pause", self.pause),
            web.post("/batch/{batch_id}/resume", self.resume),
            web.post("/batch/{batch_id}/cancel", self.cancel),
            web.get("/batch/{batch_id}/status", self.status),
            web.get("/batch/list", self.list_batches),
            web.post("/batch/recover", self.recover),
            web.post("/batch/cleanup", self.cleanup),
            web.post("/batch/merge", self.merge),
            web.post("/batch/{batch_id}/retry-failed", self.retry_failed),
            web.post("/batch/{batch_id}/priority", self.priority),
            web.get("/batch/{batch_id}/photos", self.photos),
            web.post("/photos/import", self.import_photos),
            web.get("/presets", self.presets),
            web.get("/metrics", self.metrics),
            web.get("/farm", self.farm),
            web.get("/health", self.health),
        ]

    # --- the AutoDev contract's endpoints -------------------------------------------------------

    async def start(self, request: web.Request) -> web.Response:
        action = "Failed to start batch"
        data = await body.json_object(request, action, required=True)
        photo_ids = body.id_list(data, "photo_ids", action)
        photo_paths = body.photo_path_list(data, "photo_paths", action)
        session_id = body.int_field(data, "session_id", action, nullable=True)
        config = body.optional_object(data, "config", action)
        if carries_command(config):
            raise bad_request(action, COMMAND_REFUSED)
        name = body.optional_str(data, "name", action)
        template = body.optional_str(data, "template", action)
        priority = body.int_field(
            data, "priority", action, default=0, low=-body.MAX_PRIORITY, high=body.MAX_PRIORITY
        )
        start = body.optional_bool(data, "start", action, default=True)
        if not photo_ids and not photo_paths:
            raise bad_request(action, "The batch has no photos: give photo_ids or photo_paths")
        # Scanning, planning and storing run on the controller's creating thread; the loop
        # keeps serving other requests meanwhile.
        creation = self._controller.start_batch(
            photo_ids or None,
            session_id,
            config,
            photo_paths=photo_paths or None,
            name=name,
            priority=priority or 0,
            start=start,
            template=template,
        )
        try:
            result = await finished(creation)
        except BatchError as exc:
            raise from_batch_error(exc, action) from exc
        answer: dict[str, Any] = {
            "message": "Batch processing started" if start else "Batch created",
            "batch_id": result.batch_id,
            "photo_count": result.photo_count,
        }
        if photo_paths:
            answer["rejected"] = _rejected(list(result.rejected))
        return web.json_response(answer)

    async def pause(self, request: web.Request) -> web.Response:
        return await self._act(request, "pause", "Batch paused successfully")

    async def resume(self, request: web.Request) -> web.Response:
        return await self._act(request, "resume", "Batch resumed successfully")

    async def cancel(self, request: web.Request) -> web.Response:
        return await self._act(request, "cancel", "Batch cancelled successfully")

    async def _act(self, request: web.Request, verb: str, message: str) -> web.Response:
        action = f"Failed to {verb} batch"
        batch_id = _batch_id(request, action)
        await body.json_object(request, action, batch_id=batch_id)
        method = {
            "pause": self._controller.pause_batch,
            "resume": self._controller.resume_batch,
            "cancel": self._controller.cancel_batch,
        }[verb]
        with refused_as(action, batch_id):
            method(batch_id)
        return web.json_response({"message": message, "batch_id": batch_id})

    async def status(self, request: web.Request) -> web.Response:
        action = "Failed to get batch status"
        batch_id = _batch_id(request, action)
        with refused_as(action, batch_id):
            return web.json_response(self._controller.get_batch_status(batch_id))

    async def list_batches(self, request: web.Request) -> web.Response:
        batches = self._controller.get_all_batches()
        return web.json_response({"batches": batches, "count": len(batches)})

    async def recover(self, request: web.Request) -> web.Response:
        await body.json_object(request, "Failed to recover batches")
        return web.json_response(self._controller.recover_interrupted_batches())

    async def cleanup(self, request: web.Request) -> web.Response:
        action = "Failed to clean up batches"
        data = await body.json_object(request, action)
        body.require_only(data, {"days_old"}, action)
        days = body.int_field(data, "days_old", action, default=7, low=0, high=body.MAX_DAYS)
        return web.json_response(self._controller.cleanup_completed_batches(days_old=days or 0))

    # --- extensions ----------------------------------------------------------------------

    async def retry_failed(self, request: web.Request) -> web.Response:
        action = "Failed to retry failed photos"
        batch_id = _batch_id(request, action)
        await body.json_object(request, action, batch_id=batch_id)
        with refused_as(action, batch_id):
            count = self._controller.retry_failed(batch_id)
        return web.json_response(
            {"message": "Retrying failed photos", "batch_id": batch_id, "retried_count": count}
        )

    async def priority(self, request: web.Request) -> web.Response:
        action = "Failed to set batch priority"
        batch_id = _batch_id(request, action)
        data = await body.json_object(request, action, batch_id=batch_id, required=True)
        if "priority" not in data:
            raise bad_request(
                action, 'Give the new priority, for example {"priority": 8}', batch_id
            )
        priority = body.int_field(
            data,
            "priority",
            action,
            low=-body.MAX_PRIORITY,
            high=body.MAX_PRIORITY,
            batch_id=batch_id,
        )
        with refused_as(action, batch_id):
            self._controller.set_priority(batch_id, priority or 0)
        return web.json_response(
            {"message": "Batch priority updated", "batch_id": batch_id, "priority": priority}
        )

    async def merge(self, request: web.Request) -> web.Response:
        action = "Failed to merge batches"
        data = await body.json_object(request, action, required=True)
        batch_ids = body.str_list(data, "batch_ids", action)
        if len(batch_ids) < 2 or any(len(b) > body.MAX_BATCH_ID for b in batch_ids):
            raise bad_request(action, "batch_ids must list at least two batch ids")
        with refused_as(action):
            new_id = self._controller.merge_batches(batch_ids)
        return web.json_response(
            {
                "message": "Batches merged successfully",
                "batch_id": new_id,
                "merged_batch_ids": batch_ids,
            }
        )

    async def photos(self, request: web.Request) -> web.Response:
        action = "Failed to list batch photos"
        batch_id = _batch_id(request, action)
        offset = body.query_int(request, "offset", action, 0, 0, body.MAX_INT, batch_id)
        limit = body.query_int(request, "limit", action, 100, 1, body.MAX_PAGE, batch_id)
        state_text = request.query.get("state") or None
        state: PhotoState | None = None
        if state_text is not None:
            try:
                state = PhotoState(state_text)
            except ValueError as exc:
                choices = ", ".join(s.value for s in PhotoState)
                raise bad_request(action, f"state must be one of {choices}", batch_id) from exc
        with refused_as(action, batch_id):
            summary = self._controller.batch(batch_id)
            records = self._controller.batch_photos(batch_id, state, offset, limit)
        total = {
            None: summary.total_photos,
            PhotoState.DONE: summary.processed_count,
            PhotoState.FAILED: summary.failed_count,
            PhotoState.RUNNING: summary.running_count,
            PhotoState.PENDING: summary.pending_count,
        }[state]
        return web.json_response(
            {
                "batch_id": batch_id,
                "state": state.value if state else None,
                "offset": offset,
                "limit": limit,
                "total": total,
                "photos": [
                    {
                        "photo_id": r.photo_id,
                        "position": r.position,
                        "source_path": r.source_path,
                        "state": r.state.value,
                        "attempts": r.attempts,
                        "error": r.error,
                        "output_path": r.output_path,
                        "output_paths": list(r.output_paths),
                        "finished_at": r.finished_at,
                        "developed_by": r.developed_by,
                    }
                    for r in records
                ],
            }
        )

    async def import_photos(self, request: web.Request) -> web.Response:
        action = "Failed to import photos"
        data = await body.json_object(request, action, required=True)
        paths = body.photo_path_list(data, "paths", action)
        if not paths:
            raise bad_request(action, 'Give paths, for example {"paths": ["/photos/wedding"]}')
        loop = asyncio.get_running_loop()
        with refused_as(action):
            result = await loop.run_in_executor(None, self._controller.import_photos, paths)
        return web.json_response(
            {"photo_ids": list(result.photo_ids), "rejected": _rejected(list(result.rejected))}
        )

    async def presets(self, request: web.Request) -> web.Response:
        presets = [
            {
                "name": p.name,
                "description": p.description,
                "default_blend": p.default_blend,
                "source": p.source,
                "has_lut": p.lut is not None,
                "unsupported_keys": list(p.unsupported_keys),
                "warnings": list(p.warnings),
            }
            for p in self._controller.presets.presets()
        ]
        return web.json_response({"presets": presets, "count": len(presets)})

    async def metrics(self, request: web.Request) -> web.Response:
        return web.json_response(self._controller.metrics())

    async def farm(self, request: web.Request) -> web.Response:
        """The render farm: connected, its live workers, photos queued (none without a farm)."""
        status = self._controller.farm_status()
        if status is None:
            return web.json_response({"connected": False, "workers": [], "queued": 0})
        return web.json_response(status.to_dict())

    async def health(self, request: web.Request) -> web.Response:
        return web.json_response(
            {
                "status": "ok",
                "version": __version__,
                "workers": self._controller.workers,
                "workers_busy": self._controller.workers_busy(),
            }
        )


async def finished(creation: BatchCreation) -> StartResult:
    """Wait, without blocking the loop, for a batch being created; its result or BatchError."""
    if not creation.done:
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()

        def on_finished() -> None:
            if not future.done():
                future.set_result(None)

        creation.finished.connect(on_finished)
        await future
    return creation.result()
