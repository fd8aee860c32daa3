"""The profiles flow: clicks, searches and erasures into per-user profiles (see agents.py for the path)."""
