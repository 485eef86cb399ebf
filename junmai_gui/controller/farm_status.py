"""The render farm as the views and the API see it (through the controller)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from junmai_gui.farm.protocol import WorkerInfo


@dataclass(frozen=True)
class FarmStatus:
    """`connected`: the broker answers; `problem`: why not, in a sentence; `workers`: the live
    ones (their heartbeats); `queued`: photos sent and not yet taken by a worker; `url`: the
    broker without its password; `develops_here`: this computer develops too."""

    connected: bool
    url: str
    workers: tuple[WorkerInfo, ...] = ()
    queued: int = 0
    problem: str | None = None
    develops_here: bool = False

    @property
    def computers(self) -> int:
        return len({worker.host for worker in self.workers})

    @property
    def concurrency(self) -> int:
        return sum(worker.concurrency for worker in self.workers)

    def to_dict(self) -> dict[str, Any]:
        """The body of `GET /farm`."""
        return {
            "connected": self.connected,
            "workers": [worker.to_dict() for worker in self.workers],
            "queued": self.queued,
        }
