"""Files shipped with the app (built-in presets, icons), read through importlib.resources."""
