"""New Batch: choose photos, a preset and its blend (with a live before/after), the outputs
(with the name the first photo gets), what to do after the batch, or a template for all that.

Folder scans, previews, preset imports and the creation of the batch are operations the
controller runs off the GUI thread (`controller.workbench`, `start_batch`); the dialog waits
for each in an `OperationSlot`, handing the photos its scan found to the batch. While the
batch is created the dialog shows "Creating batch… 42,000 of 100,000" and its Cancel stops
the creation (nothing is stored). Every reason the batch cannot start yet is listed under
the form, and Start stays disabled until there is none. The preset and blend of the last
batch made here are remembered for the next one.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QImage, QPixmap
from PySide6.QtWidgets import QDialog, QFileDialog, QVBoxLayout, QWidget

from junmai_gui.controller.operations import OperationCancelled
from junmai_gui.controller.workbench import PhotoScan, PresetChoice
from junmai_gui.domain.config import DEFAULT_PRESET, BatchConfig
from junmai_gui.domain.errors import BatchError, InvalidBatchError
from junmai_gui.views.formatting import error_text, sentence_text
from junmai_gui.views.new_batch_form import NewBatchForm
from junmai_gui.views.new_batch_view import NewBatchView, show_scan
from junmai_gui.views.operation_slot import OperationSlot
from junmai_gui.views.preview import PreviewRenderer, PreviewResult
from junmai_gui.views.template_bar import TemplateBar

if TYPE_CHECKING:
    from junmai_gui.controller.batch_controller import BatchController
    from junmai_gui.controller.planning import StartResult
    from junmai_gui.controller.settings_service import SettingsService


class NewBatchDialog(QDialog):
    batch_created = Signal(str)  # batch_id
    scan_finished = Signal()
    preview_shown = Signal(object)  # PreviewResult, once its images are on screen
    preset_imported = Signal(object)  # PresetChoice, or None when the file was refused

    def __init__(
        self,
        controller: BatchController,
        settings: SettingsService,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("New batch"))
        self.setAcceptDrops(True)
        self.resize(1080, 760)
        self._controller = controller
        self._workbench = controller.workbench
        self._settings = settings
        self._sources: list[str] = []
        self._scan = PhotoScan()
        self._error: str | None = None
        self._last_preview: PreviewResult | None = None
        self._images: tuple[QImage, QImage] | None = None

        self.view = NewBatchView(self)
        self.form = NewBatchForm(self.view, controller, self)
        self.templates = TemplateBar(controller.templates, self.config_dict, self)
        self.view.template_row.addWidget(self.templates)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view)
        self._scanner = OperationSlot(self._on_scanned, self._on_scan_failed, self)
        self._importer = OperationSlot(self._on_imported, self._on_import_failed, self)
        self._creation = OperationSlot(self._on_created, self._on_creation_failed, self)
        self._preview = PreviewRenderer(self._workbench, self)
        self._preview.rendered.connect(self._on_preview_rendered)
        self._preview.failed.connect(self._on_preview_failed)
        self._fill_form()
        self._connect_form()
        self._on_preset_changed()

    def _fill_form(self) -> None:
        current = self._settings.current
        self.form.set_defaults(current, self._controller.default_output_dir)
        self._fill_presets(current.last_preset or DEFAULT_PRESET)

    def _connect_form(self) -> None:
        v = self.view
        v.add_files_button.clicked.connect(self._choose_files)
        v.add_folder_button.clicked.connect(self._choose_folder)
        v.clear_button.clicked.connect(self.clear_paths)
        v.import_preset_button.clicked.connect(self._choose_preset_file)
        v.output_browse_button.clicked.connect(self._choose_output_dir)
        v.preset_combo.currentIndexChanged.connect(self._on_preset_changed)
        v.blend_slider.valueChanged.connect(self._on_blend_slider)
        v.blend_spin.valueChanged.connect(v.blend_slider.setValue)
        for edit in (v.output_dir_edit, v.name_edit):
            edit.textChanged.connect(self._validate)
        v.conflict_combo.currentIndexChanged.connect(self._validate)
        v.outputs_editor.changed.connect(self._validate)
        v.after_editor.changed.connect(self._validate)
        self.templates.template_chosen.connect(self.apply_config)
        v.start_button.clicked.connect(self.start_now)
        v.add_paused_button.clicked.connect(self.add_paused)
        v.cancel_button.clicked.connect(self._on_cancel_clicked)
        v.skipped_button.toggled.connect(self._on_show_skipped)

    # -- public -------------------------------------------------------------------------

    @property
    def files(self) -> list[Path]:
        return list(self._scan.files)

    @property
    def rejected_files(self) -> list[tuple[str, str]]:
        return list(self._scan.rejected)

    @property
    def scanning(self) -> bool:
        return self._scanner.busy

    @property
    def busy(self) -> bool:
        """Whether the dialog waits for any background work."""
        return self._scanner.busy or self._importer.busy or self._creation.busy or self.preview_busy

    @property
    def last_preview(self) -> PreviewResult | None:
        return self._last_preview

    @property
    def preview_busy(self) -> bool:
        return self._preview.busy

    def add_paths(self, paths: Iterable[str | Path]) -> None:
        """Add files and folders (folders are searched recursively, off the GUI thread)."""
        new = [str(p) for p in paths if str(p) not in self._sources]
        if not new:
            return
        self._sources.extend(new)
        if not self.view.name_edit.text():
            self.view.name_edit.setPlaceholderText(self._suggested_name())
        self.view.files_label.setText(self.tr("Looking for photos…"))
        self._scanner.start(self._workbench.scan(self._sources))
        self._validate()

    def clear_paths(self) -> None:
        self._sources = []
        self._scanner.forget()
        self._on_scanned(PhotoScan())

    def select_preset(self, name: str) -> None:
        index = self.view.preset_combo.findData(name)
        if index >= 0:
            self.view.preset_combo.setCurrentIndex(index)

    def set_blend(self, value: int) -> None:
        self.view.blend_slider.setValue(value)

    def import_preset_file(self, path: str | Path) -> None:
        """Import a .xmp, .cube or Hald file into the user's presets and select it
        (`preset_imported` says how it went)."""
        self._importer.start(self._workbench.import_preset(path))

    def _on_imported(self, choice: PresetChoice) -> None:
        self._error = None
        self._fill_presets(choice.name)
        self._on_preset_changed()
        self.preset_imported.emit(choice)

    def _on_import_failed(self, error: BatchError) -> None:
        self._error = error_text(error)
        self._validate()
        self.preset_imported.emit(None)

    @property
    def creating(self) -> bool:
        """Whether the batch is being created (the dialog waits for it)."""
        return self._creation.busy

    def config_dict(self) -> dict[str, Any]:
        """The batch's config as the form stands (`NewBatchForm.config`)."""
        return self.form.config()

    def apply_config(self, config: dict[str, Any]) -> None:
        """Fill the form from a config (a template's)."""
        self.form.apply(config)
        self._validate()

    def problems(self) -> list[str]:
        """Why the batch cannot start yet, as sentences (empty when it can)."""
        out: list[str] = []
        if self.scanning:
            out.append(self.tr("Looking for photos…"))
        elif not self._scan.files:
            out.append(self.tr("Add photos: drop files or folders here, or use Add files…"))
        try:
            BatchConfig.from_dict(self.config_dict())
        except InvalidBatchError as exc:
            out.extend(sentence_text(problem) for problem in exc.problems)
        out.extend(self.form.problems())
        out.extend(self.view.after_editor.problems())
        output = self.view.output_dir_edit.text().strip()
        if output and Path(output).expanduser().exists() and not Path(output).expanduser().is_dir():
            out.append(
                self.tr("The output folder {folder} is a file, not a folder").format(folder=output)
            )
        if self._error:
            out.append(self._error)
        return out

    def start_now(self) -> None:
        self._start(start=True)

    def add_paused(self) -> None:
        self._start(start=False)

    # -- starting -----------------------------------------------------------------------

    def _start(self, *, start: bool) -> None:
        """Hand the photos the dialog found to the controller (they are not scanned again);
        the batch is created off the GUI thread, with progress shown here."""
        self._error = None
        if self.problems() or self._creation.busy:
            self._validate()
            return
        files = self._scan.files
        creation = self._controller.start_batch(
            files=[str(p) for p in files],
            config=self.config_dict(),
            name=self.view.name_edit.text().strip() or self._suggested_name(),
            priority=self.view.priority_spin.value(),
            start=start,
        )
        creation.progressed.connect(self._on_creation_progressed)
        self._creation.start(creation)
        self._show_creating(True)
        self._on_creation_progressed(0, len(files))

    def _on_creation_progressed(self, done: int, total: int) -> None:
        bar = self.view.creation_bar
        bar.setRange(0, max(1, total))
        bar.setValue(done)
        bar.setFormat(
            self.tr("Creating batch… {done:,} of {total:,}").format(done=done, total=total)
        )

    def _on_created(self, result: StartResult) -> None:
        self._show_creating(False)
        config = self.config_dict()
        self._settings.remember(last_preset=config["preset"], last_blend=config["blend"])
        self.batch_created.emit(result.batch_id)
        self.accept()

    def _on_creation_failed(self, error: BatchError) -> None:
        self._show_creating(False)
        self._error = error_text(error)
        self._validate()

    def _show_creating(self, creating: bool) -> None:
        v = self.view
        v.creation_bar.setVisible(creating)
        v.problems_label.setVisible(not creating)
        for widget in (v.start_button, v.add_paused_button, v.add_files_button,
                       v.add_folder_button, v.clear_button):  # fmt: skip
            widget.setEnabled(not creating)
        self.setAcceptDrops(not creating)
        if not creating:
            self._validate()

    def _on_cancel_clicked(self) -> None:
        """Cancel the creation under way (nothing is stored), else close the dialog."""
        if self._creation.busy:
            self._creation.cancel()
        else:
            self.reject()

    def reject(self) -> None:
        if self._creation.busy:  # Escape or the close box while creating
            self._creation.cancel()
            return
        self._stop_background_work()
        super().reject()

    def accept(self) -> None:
        self._stop_background_work()
        super().accept()

    def _stop_background_work(self) -> None:
        self._scanner.forget()
        self._importer.forget()
        self._preview.clear()
        self.form.stop()

    def _suggested_name(self) -> str:
        if self._sources:
            first = Path(self._sources[0])
            name = first.name if first.is_dir() else first.parent.name
            if name:
                return name
        return self.tr("Batch {when}").format(when=datetime.now().strftime("%Y-%m-%d %H:%M"))

    # -- presets and preview --------------------------------------------------------------

    def _fill_presets(self, select: str | None) -> None:
        self.form.fill_presets(self._workbench.presets(), select)

    def _current_preset(self) -> PresetChoice | None:
        name = self.view.preset_combo.currentData()
        return self._workbench.preset(name) if name else None

    def _on_preset_changed(self) -> None:
        self.form.missing_preset = None  # chosen here now
        preset = self._current_preset()
        if preset is not None:
            remembered = self._settings.current
            blend = preset.default_blend
            if preset.name == remembered.last_preset and remembered.last_blend is not None:
                blend = remembered.last_blend
            self.view.blend_slider.setValue(round(blend))
        self.form.show_preset(preset)
        self._validate()
        self._request_preview()

    def _on_blend_slider(self, value: int) -> None:
        self.view.blend_spin.blockSignals(True)
        self.view.blend_spin.setValue(value)
        self.view.blend_spin.blockSignals(False)
        self._validate()
        self._request_preview()

    def _request_preview(self) -> None:
        preset = self.view.preset_combo.currentData()
        if not preset or not self._scan.files:
            self._preview.clear()
            self.view.preview_status.setText(
                self.tr("Add photos to see a before/after preview of the first one.")
                if preset
                else ""
            )
            return
        self.view.preview_status.setText(self.tr("Rendering the preview…"))
        self._preview.request(self._scan.files[0], preset, float(self.view.blend_slider.value()))

    def _on_preview_rendered(self, result: PreviewResult) -> None:
        self._last_preview = result
        self._images = (result.before, result.after)
        self._show_images()
        name = self._scan.files[0].name if self._scan.files else ""
        self.view.preview_status.setText(
            self.tr("{name} at {blend:g} % blend").format(name=name, blend=result.blend)
        )
        self.preview_shown.emit(result)

    def _on_preview_failed(self, message: str) -> None:
        self.view.preview_status.setText(message)

    def _show_images(self) -> None:
        if self._images is None:
            self.view.before_label.clear()
            self.view.after_label.clear()
            return
        for label, image in zip(
            (self.view.before_label, self.view.after_label), self._images, strict=True
        ):
            pixmap = QPixmap.fromImage(image)
            label.setPixmap(
                pixmap.scaled(
                    label.size(),
                    Qt.AspectRatioMode.KeepAspectRatio,
                    Qt.TransformationMode.SmoothTransformation,
                )
            )

    def resizeEvent(self, event: Any) -> None:
        super().resizeEvent(event)
        self._show_images()

    # -- photos -------------------------------------------------------------------------

    def _on_scanned(self, scan: PhotoScan) -> None:
        self._scan = scan
        show_scan(self.view, scan, self._shown_path)
        if not scan.files:
            self._images = None
            self._show_images()
        self._validate()
        self._request_preview()
        self.scan_finished.emit()

    def _on_scan_failed(self, error: BatchError) -> None:
        if isinstance(error, OperationCancelled):
            return
        self._on_scanned(PhotoScan(rejected=[("", error_text(error))]))

    def _on_show_skipped(self, shown: bool) -> None:
        self.view.skipped_button.setText(self.tr("Hide") if shown else self.tr("Show"))
        self.view.skipped_list.setVisible(shown and bool(self._scan.skipped))

    def _shown_path(self, photo: Path) -> str:
        """A photo as listed: relative to the dropped folder it was found in, else in full."""
        for source in self._sources:
            folder = Path(source)
            if photo.is_relative_to(folder):
                return str(Path(folder.name) / photo.relative_to(folder))
        return str(photo)

    def _validate(self) -> None:
        problems = self.problems()
        self.view.problems_label.setText("\n".join(problems))
        self.view.start_button.setEnabled(not problems)
        self.view.add_paused_button.setEnabled(not problems)
        self.form.show_examples(self._scan.files[0] if self._scan.files else None)

    # -- file choosers (modal; the tests call add_paths / import_preset_file instead) ----

    def _choose_files(self) -> None:
        patterns = " ".join(f"*{ext}" for ext in self._workbench.photo_extensions)
        files, _ = QFileDialog.getOpenFileNames(
            self,
            self.tr("Add photos"),
            "",
            self.tr("Photos ({patterns});;All files (*)").format(patterns=patterns),
        )
        self.add_paths(files)

    def _choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Add a folder of photos"))
        if folder:
            self.add_paths([folder])

    def _choose_output_dir(self) -> None:
        folder = QFileDialog.getExistingDirectory(
            self, self.tr("Output folder"), self.view.output_dir_edit.text()
        )
        if folder:
            self.view.output_dir_edit.setText(folder)

    def _choose_preset_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("Import a preset"),
            "",
            self.tr("Presets and LUTs (*.xmp *.cube *.png *.tif *.tiff *.json);;All files (*)"),
        )
        if path:
            self.import_preset_file(path)

    # -- drops onto the dialog ----------------------------------------------------------

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if any(url.isLocalFile() for url in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [url.toLocalFile() for url in event.mimeData().urls() if url.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.add_paths(paths)
