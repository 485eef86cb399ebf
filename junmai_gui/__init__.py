"""Junmai Batch: develop thousands of photos with a preset, and stay in control."""

__version__ = "0.1.0"
