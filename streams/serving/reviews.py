"""The review-scoring service of an inference worker: sentiment, aspects, language, hot reload.

For each batch of ``ReviewScoringRequested`` (texts already PII-redacted), on one model thread:

* the language: the shop's, or detected (lingua, English vs Chinese);
* the overall sentiment of each English review, and the polarity of every clause that mentions an
  aspect, in one ``SentimentPredictor`` call (``shopmodels/sentiment``);
* the aspects of each clause (``shopmodels/aspects``: keywords, plus MiniLM similarity in English).

Reviews in a language no loaded model reads (Chinese today: no Chinese sentiment model ships yet),
and every review before a sentiment model is in the registry, are not scored: they are counted
and logged, never given an invented score.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from schemas import AspectMention, ReviewScored, derive_event_id
from schemas.requests import ReviewScoringRequested
from shopmodels.sentiment.predictor import SentimentPrediction, SentimentPredictor
from shopmodels.sentiment.registry import KIND
from streams.serving.model_thread import ModelThreadService
from streams.serving.watcher import RegistryWatcher
from streams.settings import Settings

log = logging.getLogger("shopstream.reviews")

SCORED_LANGUAGES = ("en",)  # languages the sentiment model reads
MAX_ASPECTS = 50  # ReviewScored.aspects holds at most this many
MAX_CLAUSE = 300


class ReviewService(ModelThreadService):
    """Batched review scoring for the inference agent (see the module docstring)."""

    thread_name = "shopstream-reviews"

    def __init__(self, settings: Settings, **kwargs) -> None:
        super().__init__(**kwargs)
        self.settings = settings
        self.watcher = RegistryWatcher(
            settings.model_registry, KIND, lambda path: SentimentPredictor.from_checkpoint(
                path, settings.inference_device),
            poll_s=settings.model_poll_s, missing="reviews are not scored until one is trained "
                                                  "(`shopstream train sentiment`)")
        self.extractor = None  # AspectExtractor once started
        self.detector = None  # lingua LanguageDetector once started
        self.unscored: dict[str, int] = {}  # why -> reviews not scored since start

    async def on_start(self) -> None:
        """Load the newest sentiment model, the aspect extractor and the language detector."""
        await self.watcher.poll(self._run, force=True)
        self.extractor, self.detector = await self._run(_load_extractor_and_detector, self.settings)
        self.ready.set()

    async def maybe_reload(self) -> bool:
        """Switch to a newer sentiment model between batches (see ``RegistryWatcher``)."""
        return await self.watcher.poll(self._run)

    async def score(self, requests: list[ReviewScoringRequested]) -> list[ReviewScored]:
        """Scores for the requests that can be scored, in request order."""
        return await self._run(self._score_batch, requests, self.watcher.model)

    def _score_batch(self, requests: list[ReviewScoringRequested],
                     predictor: SentimentPredictor | None) -> list[ReviewScored]:
        languages = [request.language or self._detect(request.text) for request in requests]
        readable = [i for i, language in enumerate(languages) if language in SCORED_LANGUAGES]
        for i, language in enumerate(languages):
            if i not in readable:
                self._count_unscored(f"no sentiment model for language {language!r}")
        if predictor is None:
            self._count_unscored("no sentiment model in the registry", len(readable))
            return []
        texts = [requests[i].text for i in readable]
        mentions = self.extractor.extract(texts)
        clauses = sorted({mention.clause for found in mentions for mention in found})
        predictions = predictor.predict(texts + clauses)
        overall, by_clause = predictions[:len(texts)], dict(zip(clauses, predictions[len(texts):]))
        now = datetime.now(UTC)
        return [ReviewScored(
            event_id=derive_event_id("score", requests[i].event_id), occurred_at=now,
            caused_by=requests[i].event_id, caused_at=requests[i].occurred_at, review_id=requests[i].review_id, product_id=requests[i].product_id,
            language=languages[i], sentiment=review.label, score=label_probability(review),
            aspects=_aspect_mentions(found, by_clause), model_version=predictor.version,
        ) for i, review, found in zip(readable, overall, mentions)]  # fmt: skip

    def _detect(self, text: str) -> str:
        """ISO 639-1 code of the text's language, English or Chinese ("und" when undecided)."""
        language = self.detector.detect_language_of(text)
        return language.iso_code_639_1.name.lower() if language is not None else "und"

    def _count_unscored(self, why: str, count: int = 1) -> None:
        if count:
            self.unscored[why] = self.unscored.get(why, 0) + count


def label_probability(prediction: SentimentPrediction) -> float:
    """The calibrated probability that the label is right: P(positive) or P(negative).

    A "neutral" label means the model is unsure (P(positive) in its middle band); its score is
    the probability of the likelier of the two trained classes.
    """
    p = prediction.positive_probability
    if prediction.label == "positive":
        return p
    if prediction.label == "negative":
        return 1.0 - p
    return max(p, 1.0 - p)


def _aspect_mentions(found, by_clause: dict[str, SentimentPrediction]) -> list[AspectMention]:
    """One ``AspectMention`` per (aspect, clause), polarity from the clause's own sentiment."""
    mentions = []
    for mention in found[:MAX_ASPECTS]:
        prediction = by_clause[mention.clause]
        mentions.append(AspectMention(aspect=mention.aspect, polarity=prediction.label,
                                      score=label_probability(prediction), clause=mention.clause[:MAX_CLAUSE]))
    return mentions


def _load_extractor_and_detector(settings: Settings):
    """The aspect extractor (MiniLM for English clauses) and an English/Chinese language detector."""
    from lingua import Language, LanguageDetectorBuilder

    from shopmodels.aspects.extractor import AspectExtractor
    from shopmodels.search.embedder import TextEmbedder

    extractor = AspectExtractor(TextEmbedder.shared(settings.inference_device))
    detector = LanguageDetectorBuilder.from_languages(Language.ENGLISH, Language.CHINESE).build()
    return extractor, detector
