"""Several fine-tuned classifiers served as one: the mean of their calibrated log-odds.

Fine-tuning the same recipe with other seeds gives models that are about as good and wrong on
different reviews; averaging them is the oldest cheap gain in deep learning (a seed ensemble).
Each member's logits are first divided by its own validation temperature, so a member that is
over-confident does not outvote the others; the mean is then a model like any other: it gets
its own temperature, its mix with the TF-IDF + LR (``mixing.py``) and its neutral band, all
chosen on validation. Serving costs one forward pass per member.

``ClassifierAverage`` is an ``nn.Module`` with the classifier's interface (``config``,
``forward(input_ids, attention_mask) -> [B, 2]``), so predictors and evaluation serve it
unchanged. ``average_logits`` is the same arithmetic on logits already computed (the command
that builds an average reads each member's validation logits once).
"""

from __future__ import annotations

from collections.abc import Sequence

import torch
from torch import nn

from shopmodels.sentiment.classifier import SentimentClassifier


class ClassifierAverage(nn.Module):
    """Fine-tuned classifiers of one recipe (same tokenizer and ``max_tokens``) averaged in calibrated log-odds.

    ``config`` is the first member's: it says how inputs are cut and, once chosen, the served
    neutral band of the average.
    """

    def __init__(self, members: Sequence[SentimentClassifier], temperatures: Sequence[float]) -> None:
        super().__init__()
        check_members(members, temperatures)
        self.members = nn.ModuleList(members)
        self.temperatures = tuple(float(t) for t in temperatures)
        self.config = members[0].config

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        """The members' logits ``[B, 2]``, each divided by its temperature, averaged: ``[B, 2]``."""
        return average_logits([member(input_ids, attention_mask) for member in self.members], self.temperatures)


def average_logits(member_logits: Sequence[torch.Tensor], temperatures: Sequence[float]) -> torch.Tensor:
    """``mean_i(logits_i / T_i)`` of per-member logits ``[N, 2]`` each: ``[N, 2]``."""
    if len(member_logits) != len(temperatures) or not member_logits:
        raise ValueError(f"Need one temperature per member and at least one member: {len(member_logits)} "
                         f"members, {len(temperatures)} temperatures.")
    return torch.stack([logits / t for logits, t in zip(member_logits, temperatures)]).mean(dim=0)


def check_members(members: Sequence[SentimentClassifier], temperatures: Sequence[float]) -> None:
    """Refuse (``ValueError``) an average that could not be served as one model."""
    if len(members) < 2:
        raise ValueError(f"An average needs at least two models, got {len(members)}.")
    if len(temperatures) != len(members) or not all(t > 0 for t in temperatures):
        raise ValueError(f"Need one temperature > 0 per member, got {list(temperatures)} for {len(members)}.")
    cuts = {member.config.max_tokens for member in members}
    if len(cuts) > 1:
        raise ValueError(f"The members cut reviews at different lengths ({sorted(cuts)} tokens); average models "
                         "trained with the same --max-tokens.")
