"""Named batch templates: the settings of New Batch (preset, blend, outputs, naming,
after-batch actions), saved to start batches and watches from (mixed into `Store`)."""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from junmai_gui.domain.clock import utc_now_iso
from junmai_gui.store.connection import StoreConnection
from junmai_gui.store.records import TemplateRecord

_COLUMNS = "name, config, created_at, updated_at"


def _record(row: sqlite3.Row) -> TemplateRecord:
    return TemplateRecord(
        name=str(row[0]),
        config=dict(json.loads(row[1])),
        created_at=str(row[2]),
        updated_at=str(row[3]),
    )


class TemplateRows(StoreConnection):
    """Templates by name; names compare without case ("Web" and "web" are one template)."""

    def save_template(self, name: str, config: dict[str, Any]) -> TemplateRecord:
        """Store `config` under `name`, replacing a template of that name (its creation time
        is kept). The caller checks the config (`BatchConfig`)."""
        now = utc_now_iso()
        with self._write() as conn:
            conn.execute(
                "INSERT INTO templates (name, config, created_at, updated_at) VALUES (?, ?, ?, ?)"
                " ON CONFLICT (name) DO UPDATE SET name = excluded.name,"
                " config = excluded.config, updated_at = excluded.updated_at",
                (name, json.dumps(config), now, now),
            )
            row = conn.execute(
                f"SELECT {_COLUMNS} FROM templates WHERE name = ?", (name,)
            ).fetchone()
            self._log(conn, None, "template_saved", {"name": name})
        return _record(row)

    def template(self, name: str) -> TemplateRecord | None:
        row = (
            self._conn()
            .execute(f"SELECT {_COLUMNS} FROM templates WHERE name = ?", (name,))
            .fetchone()
        )
        return _record(row) if row is not None else None

    def templates(self) -> list[TemplateRecord]:
        """Every template, by name."""
        rows = self._conn().execute(
            f"SELECT {_COLUMNS} FROM templates ORDER BY name COLLATE NOCASE"
        )
        return [_record(row) for row in rows]

    def delete_template(self, name: str) -> bool:
        """Forget a template (batches started from it keep their settings)."""
        with self._write() as conn:
            deleted = conn.execute("DELETE FROM templates WHERE name = ?", (name,)).rowcount
            if deleted:
                self._log(conn, None, "template_deleted", {"name": name})
        return bool(deleted)
