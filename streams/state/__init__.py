"""Pure state-update functions: plain dicts in, plain dicts out, no Faust.

Table values are small JSON-ready dicts. Each update function returns the new value and
whether the event changed anything, so agents stay thin and these rules are tested alone.
"""
