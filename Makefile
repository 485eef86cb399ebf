# Two commands: `make run` and `make test`. Both set up .venv from this project's own files.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# The stamp is named after pyproject.toml's content: a changed file reinstalls, a touched one not.
STAMP := $(VENV)/.installed-$(shell sha1sum pyproject.toml | cut -c1-12)

# The interface's translations: Qt Linguist sources in resources/i18n, compiled to .qm beside
# them (git-ignored, packaged with the resources). `make translations` refreshes the sources
# from the code (new strings come in unfinished, translations are kept); ADD=fr starts one.
I18N := resources/i18n
TS := $(wildcard $(I18N)/junmai_*.ts)
QM := $(TS:.ts=.qm)
LUPDATE := $(BIN)/pyside6-lupdate -silent -no-obsolete -locations none -extensions py junmai_gui

.PHONY: run test lint typecheck contracts pytest screenshots translations clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[test,dev]"
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

$(I18N)/%.qm: $(I18N)/%.ts | $(STAMP)
	$(BIN)/pyside6-lrelease -silent $< -qm $@

translations: | $(STAMP)
	for ts in $(filter-out %_en.ts,$(TS)) $(if $(ADD),$(I18N)/junmai_$(ADD).ts); do \
		$(LUPDATE) -ts $$ts || exit 1; done
	$(LUPDATE) -pluralonly -ts $(I18N)/junmai_en.ts
	$(MAKE) --no-print-directory $(QM) $(if $(ADD),$(I18N)/junmai_$(ADD).qm)

run: $(STAMP) $(QM)
	$(BIN)/junmai-gui $(ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy junmai_gui

contracts: $(STAMP)
	$(BIN)/lint-imports

pytest: $(STAMP) $(QM)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q $(PYTEST_ARGS)

test: lint typecheck contracts pytest

screenshots: $(STAMP) $(QM)
	$(BIN)/python scripts/screenshots.py

clean:
	rm -rf $(VENV) build *.egg-info .mypy_cache .pytest_cache .ruff_cache
