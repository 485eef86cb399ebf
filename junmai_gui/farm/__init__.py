"""The render farm: photos developed by Celery workers on other computers (`junmai-farm`).

Imports `develop/`, `domain/` and Celery only — no Qt, no batch database, no controller —
so a render computer needs neither a display nor the app's data. `protocol` is what the app
and the workers agree on; the app's side is `controller.farm_executor`.
"""
