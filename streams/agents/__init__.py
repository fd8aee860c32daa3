"""Faust agents, one module per family; found by the app's autodiscovery."""
