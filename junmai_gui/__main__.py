"""`python -m junmai_gui` is `junmai-gui`."""

from junmai_gui.app import main

raise SystemExit(main())
