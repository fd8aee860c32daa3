"""The products flow: product stats from clicks and reviews, and catalog entries (see agents.py for the path)."""
