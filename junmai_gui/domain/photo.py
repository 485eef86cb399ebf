"""One photo of a batch as the controller reports it to the views and the API."""

from __future__ import annotations

from dataclasses import dataclass

from junmai_gui.domain.status import PhotoState


@dataclass(frozen=True)
class PhotoRecord:
    """One photo row of a batch, as the views list it."""

    photo_id: int
    position: int
    source_path: str
    state: PhotoState
    attempts: int
    error: str | None
    output_path: str
    finished_at: str | None
    developed_by: str | None = None  # "local", or the render-farm worker's name
    extra_outputs: tuple[str, ...] = ()  # its other outputs, when the batch writes several

    @property
    def output_paths(self) -> tuple[str, ...]:
        """Every output of the photo ("" when not planned yet), first one first."""
        return (self.output_path, *self.extra_outputs)

    @property
    def developed(self) -> bool:
        """Whether its output file exists (a done photo): a planned path is not a file yet."""
        return PhotoState(self.state) is PhotoState.DONE and bool(self.output_path)
