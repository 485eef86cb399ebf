"""The render farm as the views and the API see it (through the controller)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from junmai_gui.farm.protocol import FarmSnapshot


@dataclass(frozen=True, kw_only=True)
class FarmStatus(FarmSnapshot):
    """The farm's snapshot (`workers`: the live ones, by their heartbeats; `queued`: photos
    sent and not yet taken by a worker) as this app sees it: `connected`: the broker answers;
    `problem`: why not, in a sentence; `url`: the broker without its password;
    `develops_here`: this computer develops too."""

    connected: bool
    url: str
    problem: str | None = None
    develops_here: bool = False

    def to_dict(self) -> dict[str, Any]:
        """The body of `GET /farm`."""
        return {
            "connected": self.connected,
            "workers": [worker.to_dict() for worker in self.workers],
            "queued": self.queued,
        }
