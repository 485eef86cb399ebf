"""Pixels: presets, decoding, the develop pipeline and crash-safe output files. No Qt."""
