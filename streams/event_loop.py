"""The event loop a worker runs on (``SHOPSTREAM_EVENT_LOOP``): asyncio's own by default, or uvloop.

Faust makes its loop after the command line has imported the app module, so ``streams/app.py``
selects the loop policy at import; a loop made earlier in the process keeps its kind.
"""

from __future__ import annotations

import asyncio


def use_event_loop(name: str) -> None:
    """Make the event loops this process creates from now on ``name`` loops: ``uvloop`` or ``asyncio``."""
    if name == "uvloop":
        import uvloop

        asyncio.set_event_loop_policy(uvloop.EventLoopPolicy())
    elif name == "asyncio":
        asyncio.set_event_loop_policy(asyncio.DefaultEventLoopPolicy())
    else:
        raise ValueError(f"unknown event loop {name!r}: SHOPSTREAM_EVENT_LOOP takes uvloop or asyncio")
