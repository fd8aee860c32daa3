"""Serving side of the inference role: read-only views and model services."""
