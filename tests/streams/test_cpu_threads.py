import os
import subprocess
import sys

import pytest

ASK_TORCH = "import torch; torch.ones(4).sum(); print(torch.get_num_threads())"


def threads_in_fresh_process(code: str, setting: str | None) -> int:
    """torch's intra-op threads printed by ``code`` in a fresh process, with SHOPSTREAM_TORCH_THREADS=``setting``."""
    env = {name: value for name, value in os.environ.items()
           if name not in ("SHOPSTREAM_TORCH_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")}
    if setting is not None:
        env["SHOPSTREAM_TORCH_THREADS"] = setting
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, env=env)
    assert done.returncode == 0, done.stderr[-2000:]
    return int(done.stdout.strip().splitlines()[-1])


@pytest.mark.slow
def test_the_setting_bounds_torchs_threads_and_zero_keeps_its_default(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # the worker's data directory is made relative to the working directory
    torchs_own = threads_in_fresh_process(ASK_TORCH, None)  # not this process's: a test may have changed it
    assert threads_in_fresh_process("import streams.app; " + ASK_TORCH, "1") == 1
    assert threads_in_fresh_process("import streams.app; " + ASK_TORCH, "0") == torchs_own
