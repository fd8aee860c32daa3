"""Test-wide setup: tests never touch a developer's state, and use the in-memory store by default."""

import os

os.environ.setdefault("SHOPSTREAM_STORE", "memory://")
os.environ.setdefault("SHOPSTREAM_DATA_DIR", "/tmp/shopstream-tests/worker")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
