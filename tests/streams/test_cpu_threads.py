import subprocess
import sys

import pytest


def threads_after(setting: str) -> int:
    """torch's intra-op threads in a fresh worker-like process that imported streams.app with SHOPSTREAM_TORCH_THREADS."""
    code = "import streams.app, torch; torch.ones(4).sum(); print(torch.get_num_threads())"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                          env={**__import__("os").environ, "SHOPSTREAM_TORCH_THREADS": setting})
    assert done.returncode == 0, done.stderr[-2000:]
    return int(done.stdout.strip().splitlines()[-1])


@pytest.mark.slow
def test_the_setting_bounds_torchs_threads_and_zero_keeps_its_default(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # the worker's data directory is made relative to the working directory
    import torch

    assert threads_after("1") == 1
    assert threads_after("0") == torch.get_num_threads()
