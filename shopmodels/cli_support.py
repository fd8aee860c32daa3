"""What every model command shares: the console, failing with a clear message, torch threads."""

from __future__ import annotations

from typing import NoReturn, Optional

import typer
from rich.console import Console

console = Console()
#: The --threads option of every model command.
THREADS = typer.Option(None, help="CPU threads for torch (default: torch's own choice).")


def fail(message: str) -> NoReturn:
    """Print ``message`` as an error and exit with code 1."""
    console.print(f"[bold red]error:[/] {message}")
    raise typer.Exit(code=1)


def set_threads(threads: Optional[int]) -> None:
    """Limit torch's CPU threads when asked (useful on shared machines)."""
    if threads is not None:
        import torch

        torch.set_num_threads(threads)
