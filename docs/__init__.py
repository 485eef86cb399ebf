"""The user guide and its pictures, installed with the app for Help → User guide."""
