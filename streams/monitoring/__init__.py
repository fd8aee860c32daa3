"""Watching a worker: Prometheus metrics, /health, the progress lines and the live dashboard."""
