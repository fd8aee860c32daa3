"""The sentiment classes every language's model predicts, and the one label only inference gives."""

from __future__ import annotations

LABEL_NAMES: tuple[str, ...] = ("negative", "positive")  # index = class id, for every language
NEGATIVE, POSITIVE = 0, 1
NEUTRAL_NAME = "neutral"  # inference-only label (the predictor's neutral band), never a training class
NEUTRAL = -1  # class id of "neutral" where ground truth has it (English 3-star reviews) and in served labels
# served label -> class id
CLASS_IDS = {LABEL_NAMES[NEGATIVE]: NEGATIVE, LABEL_NAMES[POSITIVE]: POSITIVE, NEUTRAL_NAME: NEUTRAL}
