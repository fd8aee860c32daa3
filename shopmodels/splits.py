"""Stratified splits and samples of a labelled frame, shared by the English and Chinese sentiment data.

Both draw with ``np.random.default_rng(seed)``, one permutation per class in sorted class order, so
the same frame and seed always give the same rows (a checkpoint's recorded split seed finds its
held-out part again).
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def stratified_parts(frame: pd.DataFrame, by: str, valid_fraction: float, test_fraction: float,
                     seed: int) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Split ``frame`` into (train, valid, test), each class of column ``by`` in the same proportions.

    Each part keeps ``frame``'s row order.
    """
    rng = np.random.default_rng(seed)
    parts: dict[str, list[np.ndarray]] = {"train": [], "valid": [], "test": []}
    for _, group in frame.groupby(by, sort=True):
        order = group.index.to_numpy()[rng.permutation(len(group))]
        n_valid, n_test = round(len(group) * valid_fraction), round(len(group) * test_fraction)
        parts["valid"].append(order[:n_valid])
        parts["test"].append(order[n_valid:n_valid + n_test])
        parts["train"].append(order[n_valid + n_test:])
    train, valid, test = (frame.loc[np.sort(np.concatenate(parts[name]))] for name in ("train", "valid", "test"))
    return train, valid, test


def stratified_sample(frame: pd.DataFrame, max_rows: int, seed: int, by: str = "label") -> pd.DataFrame:
    """About ``max_rows`` rows of ``frame``, each class of ``by`` in its share (at least one row each)."""
    share = max_rows / len(frame)
    rng = np.random.default_rng(seed)
    kept = [group.index.to_numpy()[rng.permutation(len(group))[:max(1, round(len(group) * share))]]
            for _, group in frame.groupby(by, sort=True)]
    return frame.loc[np.sort(np.concatenate(kept))]
