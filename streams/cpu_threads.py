"""How many CPU threads the worker's model libraries use (``SHOPSTREAM_TORCH_THREADS``).

Torch sizes its intra-op pool (OpenMP, and MKL where it is used) when it first runs an operator,
from ``OMP_NUM_THREADS`` and ``MKL_NUM_THREADS``, one thread per core by default. On a machine whose
cores also run Kafka and other workers, those threads spin while they wait for work and take CPU
from everything else, so ``streams/app.py`` can bound them before any model is loaded.
"""

from __future__ import annotations

import os
import sys

THREAD_VARIABLES = ("OMP_NUM_THREADS", "MKL_NUM_THREADS")


def limit_cpu_threads(threads: int) -> None:
    """Make torch and the pools under it use ``threads`` CPU threads in this process; 0 leaves their defaults.

    Call it before torch is imported (the pools read the variables when they start); if torch is already
    imported, its pool is resized too."""
    if threads <= 0:
        return
    for name in THREAD_VARIABLES:
        os.environ[name] = str(threads)
    if "torch" in sys.modules:
        sys.modules["torch"].set_num_threads(threads)
