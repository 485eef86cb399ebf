"""The API's endpoints for watched folders and templates (beyond the AutoDev contract).

`POST /watch` takes a folder and a config (or a template), `GET /watch` lists the watches,
`DELETE /watch/{id}` forgets one, `POST /watch/{id}/pause|resume` stop and restart taking
photos. `GET /templates` lists the saved templates; they are saved in the window only. No
config sent here may carry a command to run after a batch (`domain.after_batch`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from aiohttp import web

from junmai_gui.api import body
from junmai_gui.api.errors import ApiError, bad_request, refused_as
from junmai_gui.controller.templates import template_dict
from junmai_gui.controller.watch_folders import watch_dict
from junmai_gui.domain.after_batch import COMMAND_REFUSED, carries_command

if TYPE_CHECKING:
    from junmai_gui.controller.batch_controller import BatchController

MAX_FOLDER = 4096


def _watch_id(request: web.Request, action: str) -> int:
    text = request.match_info["watch_id"]
    if not text.isdigit() or len(text) > 18 or int(text) < 1:
        raise ApiError(404, action, detail=f"No watched folder with id {text[:40]}")
    return int(text)


class WorkflowHandlers:
    """One method per endpoint; controller refusals become `ApiError`s."""

    def __init__(self, controller: BatchController) -> None:
        self._controller = controller

    def routes(self) -> list[web.RouteDef]:
        return [
            web.post("/watch", self.add_watch),
            web.get("/watch", self.list_watches),
            web.delete("/watch/{watch_id}", self.remove_watch),
            web.post("/watch/{watch_id}/pause", self.pause_watch),
            web.post("/watch/{watch_id}/resume", self.resume_watch),
            web.get("/templates", self.list_templates),
        ]

    async def add_watch(self, request: web.Request) -> web.Response:
        action = "Failed to watch folder"
        data = await body.json_object(request, action, required=True)
        body.require_only(data, {"folder", "config", "name", "template"}, action)
        folder = body.optional_str(data, "folder", action, max_len=MAX_FOLDER)
        if not folder:
            raise bad_request(action, 'Give the folder to watch, for example {"folder": "/in"}')
        body.photo_path_list({"folder": [folder]}, "folder", action)  # absolute, not a disk
        config = body.optional_object(data, "config", action)
        if carries_command(config):
            raise bad_request(action, COMMAND_REFUSED)
        name = body.optional_str(data, "name", action)
        template = body.optional_str(data, "template", action)
        with refused_as(action):
            watch = self._controller.watch_folders.add(folder, config, name=name, template=template)
        return web.json_response({"message": "Watching the folder", "watch": watch_dict(watch)})

    async def list_watches(self, request: web.Request) -> web.Response:
        watches = [watch_dict(w) for w in self._controller.watch_folders.watches()]
        return web.json_response({"watches": watches, "count": len(watches)})

    async def remove_watch(self, request: web.Request) -> web.Response:
        action = "Failed to remove watch"
        watch_id = _watch_id(request, action)
        await body.json_object(request, action)
        with refused_as(action):
            self._controller.watch_folders.remove(watch_id)
        return web.json_response(
            {"message": "The folder is no longer watched", "watch_id": watch_id}
        )

    async def pause_watch(self, request: web.Request) -> web.Response:
        action = "Failed to pause watch"
        watch_id = _watch_id(request, action)
        await body.json_object(request, action)
        with refused_as(action):
            watch = self._controller.watch_folders.pause(watch_id)
        return web.json_response({"message": "Watch paused", "watch": watch_dict(watch)})

    async def resume_watch(self, request: web.Request) -> web.Response:
        action = "Failed to resume watch"
        watch_id = _watch_id(request, action)
        await body.json_object(request, action)
        with refused_as(action):
            watch = self._controller.watch_folders.resume(watch_id)
        return web.json_response({"message": "Watch resumed", "watch": watch_dict(watch)})

    async def list_templates(self, request: web.Request) -> web.Response:
        templates = [template_dict(t) for t in self._controller.templates.all()]
        return web.json_response({"templates": templates, "count": len(templates)})
