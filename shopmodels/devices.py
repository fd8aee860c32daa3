"""Where and in what precision a predictor runs: one rule for every ShopStream model."""

from __future__ import annotations

from contextlib import AbstractContextManager, nullcontext

import torch


def choose_device(device: str) -> torch.device:
    """Resolve "auto" to CUDA when available, else the CPU; other names ("cpu", "cuda:1"...) pass through."""
    if device == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    return torch.device(device)


def inference_autocast(device: torch.device) -> AbstractContextManager:
    """bf16 autocast on CUDA (predictors, and fine-tuning's steps); nothing (fp32) on the CPU."""
    return torch.autocast("cuda", dtype=torch.bfloat16) if device.type == "cuda" else nullcontext()
