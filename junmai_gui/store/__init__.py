"""The SQLite store, its records, the AutoDev contract's JSON format, settings and the API token."""

from junmai_gui.store.api_token import read_or_create_token, read_token, regenerate_token
from junmai_gui.store.autodev_json import state_from_dict, state_to_dict, write_state_file
from junmai_gui.store.database import DB_FILE_NAME, Store
from junmai_gui.store.errors import StoreError
from junmai_gui.store.records import (
    ImportReport,
    NewBatch,
    NewBatchPhoto,
    PhotoRecord,
    PhotoTask,
    RecoveryCounts,
    TemplateRecord,
    WatchRecord,
)
from junmai_gui.store.settings import AppSettings, load_settings, save_settings

__all__ = [
    "DB_FILE_NAME",
    "AppSettings",
    "ImportReport",
    "NewBatch",
    "NewBatchPhoto",
    "PhotoRecord",
    "PhotoTask",
    "RecoveryCounts",
    "Store",
    "StoreError",
    "TemplateRecord",
    "WatchRecord",
    "load_settings",
    "read_or_create_token",
    "read_token",
    "regenerate_token",
    "save_settings",
    "state_from_dict",
    "state_to_dict",
    "write_state_file",
]
