"""New Batch's settings as a batch config and back: what the form makes (`config`), how a
template fills it (`apply`), its first values, the presets it lists with their notes, and
the example names of the first photo.

Kept apart from `NewBatchDialog`, which runs the dialog's background work (scans, previews,
the batch's creation) and decides when the form is valid.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject

from junmai_gui.domain.config import DEFAULT_NAMING, DEFAULT_PRESET, OUTPUT_KEYS
from junmai_gui.domain.errors import BatchError
from junmai_gui.domain.naming import template_problem
from junmai_gui.views.formatting import path_text, sentence_text
from junmai_gui.views.operation_slot import OperationSlot
from junmai_gui.views.outputs_editor import default_output

if TYPE_CHECKING:
    from junmai_gui.controller.batch_controller import BatchController
    from junmai_gui.controller.workbench import PresetChoice
    from junmai_gui.domain.app_settings import AppSettings
    from junmai_gui.views.new_batch_view import NewBatchView


class NewBatchForm(QObject):
    """Reads and fills a `NewBatchView`'s settings."""

    def __init__(
        self, view: NewBatchView, controller: BatchController, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.view = view
        self._controller = controller
        self._example_key: tuple[str, str] | None = None
        self.missing_preset: str | None = None  # a template's preset that is not installed
        self._examples = OperationSlot(
            view.outputs_editor.show_examples, self._on_examples_failed, self
        )

    def config(self) -> dict[str, Any]:
        """The batch's config as the form stands: one output as the single keys (as a
        batch always had), several as `outputs`; `after` when an action is ticked."""
        v = self.view
        output = v.output_dir_edit.text().strip()
        config: dict[str, Any] = {
            "preset": v.preset_combo.currentData() or "",
            "blend": float(v.blend_slider.value()),
            "output_dir": str(Path(output).expanduser()) if output else None,
            "on_conflict": v.conflict_combo.currentData(),
        }
        outputs = v.outputs_editor.outputs()
        if len(outputs) == 1 and not outputs[0]["subfolder"]:
            config.update({k: v for k, v in outputs[0].items() if k != "subfolder"})
        else:
            config["outputs"] = outputs
        after = v.after_editor.chosen_actions()
        if after:
            config["after"] = after
        return config

    def apply(self, config: dict[str, Any]) -> None:
        """Fill the form from a config (a template's): preset, blend, output folder,
        outputs, conflict policy and after-batch actions."""
        v = self.view
        missing = None
        if "preset" in config:
            index = v.preset_combo.findData(str(config["preset"]))
            if index >= 0:
                v.preset_combo.setCurrentIndex(index)
            else:
                missing = str(config["preset"])
        if "blend" in config:
            v.blend_slider.setValue(round(float(config["blend"])))
        if "output_dir" in config:  # a template keeps none: the folder typed here stays
            v.output_dir_edit.setText(str(config["output_dir"] or ""))
        v.conflict_combo.setCurrentIndex(
            max(0, v.conflict_combo.findData(config.get("on_conflict", "unique")))
        )
        outputs = config.get("outputs") or [
            {k: config[k] for k in OUTPUT_KEYS if k in config and k != "subfolder"}
        ]
        v.outputs_editor.set_outputs(list(outputs))
        v.after_editor.set_actions(list(config.get("after") or []))
        self.missing_preset = missing

    def problems(self) -> list[str]:
        """What the form holds that no batch can be made of, beyond the config's checks."""
        if self.missing_preset is None:
            return []
        return [
            self.tr(
                "The template's preset {name} is not installed: import it, or choose another"
            ).format(name=self.missing_preset)
        ]

    def stop(self) -> None:
        """Forget the example names being found (the dialog closes)."""
        self._examples.forget()

    def set_defaults(self, settings: AppSettings, output_root: Path) -> None:
        """One output in the default format and quality, named as always; an empty output
        folder says where the batch's folder goes."""
        hint = self.tr("Default: a new folder for each batch in {folder}").format(
            folder=path_text(str(output_root))
        )
        self.view.output_dir_edit.setPlaceholderText(hint)
        self.view.output_dir_edit.setToolTip(hint)
        self.view.outputs_editor.set_outputs(
            [
                default_output(
                    format=settings.default_format,
                    quality=int(settings.default_quality),
                    naming=DEFAULT_NAMING,
                )
            ]
        )

    def fill_presets(self, presets: list[PresetChoice], select: str | None) -> None:
        combo = self.view.preset_combo
        current = select or combo.currentData()
        combo.blockSignals(True)
        combo.clear()
        for preset in presets:
            label = (
                self.tr("{name} (yours)").format(name=preset.name) if preset.yours else preset.name
            )
            combo.addItem(label, preset.name)
        index = combo.findData(current)
        combo.setCurrentIndex(index if index >= 0 else max(0, combo.findData(DEFAULT_PRESET)))
        combo.blockSignals(False)

    def show_preset(self, preset: PresetChoice | None) -> None:
        """The preset's description, and what it asks that is not rendered."""
        notes = []
        description = ""
        if preset is not None:
            description = preset.description
            if preset.unsupported_keys:
                keys = ", ".join(preset.unsupported_keys)
                notes.append(
                    self.tr("Not rendered by Junmai Batch (left as they are): {keys}").format(
                        keys=keys
                    )
                )
            notes.extend(preset.warnings)
        self.view.preset_description.setText(description)
        self.view.preset_description.setVisible(bool(description))
        self.view.preset_notes.setText("\n".join(notes))
        self.view.preset_notes.setVisible(bool(notes))

    def show_examples(self, first: Path | None) -> None:
        """The names `first` gets in each output, or why a naming template cannot be used
        (the photo's header is read, off the GUI thread, when a template uses its date or
        camera: once per change of the photo or the settings)."""
        config = self.config()
        named = {k: v for k, v in config.items() if k not in ("blend", "after")}  # not in names
        key = (str(first or ""), repr(sorted(named.items())))
        if key == self._example_key:
            return
        self._example_key = key
        self._examples.forget()  # names for older settings must not arrive after these
        editor = self.view.outputs_editor
        outputs = editor.outputs()
        problems = [
            (n, sentence_text(problem) if (problem := template_problem(o["naming"])) else None)
            for n, o in enumerate(outputs, start=1)
        ]
        if any(problem for _, problem in problems):
            editor.show_examples(None, "\n".join(
                problem if len(outputs) == 1 else self.tr("Output {number}: {problem}").format(
                    number=n, problem=problem)
                for n, problem in problems if problem
            ))  # fmt: skip
            return
        if first is None:
            editor.show_examples(None, self.tr("Add photos to see the first one's name."))
            return
        self._examples.start(self._controller.find_example_output_names(config, first))

    @property
    def finding_examples(self) -> bool:
        return self._examples.busy

    def _on_examples_failed(self, _error: BatchError) -> None:
        self.view.outputs_editor.show_examples(None)  # the problems under the form say why
