"""The review-scoring service of an inference worker: sentiment, aspects, language, hot reload.

For each batch of ``ReviewScoringRequested`` (texts already PII-redacted), on one model thread:

* the language: the shop's, or detected (lingua, English vs Chinese);
* the overall sentiment of each review, and the polarity of every clause that mentions an
  aspect, in one predictor call per language: the newest model of registry kind ``sentiment`` for
  English (the fine-tuned MiniLM of ``shopmodels/sentiment/english`` or the TF-IDF baseline of
  ``shopmodels/sentiment/tfidf``), of kind ``sentiment-zh`` for Chinese (the ensemble of
  ``shopmodels/sentiment/chinese`` or the TF-IDF baseline), each hot-reloaded on its own;
* the aspects of each clause (``shopmodels/aspects``: keywords, plus MiniLM similarity in English),
  from the catalog ``SHOPSTREAM_ASPECT_CATALOG`` names.

Reviews in a language no model reads, and reviews of a language whose model is not in the
registry yet, are not scored: they are counted and logged, never given an invented score.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from schemas import AspectMention, ReviewScored, derive_event_id
from schemas.requests import ReviewScoringRequested
from shopmodels.sentiment.chinese.registry import KIND as CHINESE_KIND
from shopmodels.sentiment.english.registry import KIND
from shopmodels.sentiment.predictor import SentimentPrediction
from streams.inference.model_thread import ModelThreadService
from streams.inference.watcher import RegistryWatcher
from streams.settings import Settings

log = logging.getLogger("shopstream.reviews")

SCORED_LANGUAGES = ("en", "zh")  # languages a sentiment model family exists for
MAX_ASPECTS = 50  # ReviewScored.aspects holds at most this many
MAX_CLAUSE = 300


#: Logged once the review scorer's models are loaded (benchmarks wait for it before they time anything).
REVIEWS_READY = "Review scoring ready"


class ReviewService(ModelThreadService):
    """Batched review scoring for the inference agent (see the module docstring)."""

    thread_name = "shopstream-reviews"

    def __init__(self, settings: Settings, **kwargs) -> None:
        super().__init__(**kwargs)
        self.settings = settings
        self.watcher = RegistryWatcher(
            settings.model_registry, KIND, lambda path: _predictor(path, settings), poll_s=settings.model_poll_s,
            missing="English reviews are not scored until one is trained (`shopstream train sentiment-tfidf "
                    "--language en` in seconds, `shopstream train sentiment` for the fine-tuned MiniLM)")
        self.chinese_watcher = RegistryWatcher(
            settings.model_registry, CHINESE_KIND, lambda path: _predictor(path, settings),
            poll_s=settings.model_poll_s,
            missing="Chinese reviews are not scored until one is trained (`shopstream train sentiment-tfidf "
                    "--language zh` in seconds, `shopstream train sentiment-zh` for the ensemble)")
        self.extractor = None  # AspectExtractor once started
        self.detector = None  # lingua LanguageDetector once started
        self.unscored: dict[str, int] = {}  # why -> reviews not scored since start

    async def on_start(self) -> None:
        """Load the newest sentiment model, the aspect extractor and the language detector."""
        await self.watcher.poll(self._run, force=True)
        await self.chinese_watcher.poll(self._run, force=True)
        self.extractor, self.detector = await self._run(_load_extractor_and_detector, self.settings)
        log.info("%s: aspects of the %s catalog by keywords%s.", REVIEWS_READY, self.settings.aspect_catalog,
                 " and MiniLM" if self.settings.aspect_embeddings else " alone")
        self.ready.set()

    async def maybe_reload(self) -> bool:
        """Switch to newer sentiment models between batches (see ``RegistryWatcher``)."""
        english = await self.watcher.poll(self._run)
        return await self.chinese_watcher.poll(self._run) or english

    async def score(self, requests: list[ReviewScoringRequested]) -> list[ReviewScored]:
        """Scores for the requests that can be scored, in request order."""
        predictors = {"en": self.watcher.model, "zh": self.chinese_watcher.model}
        return await self._run(self._score_batch, requests, predictors)

    @property
    def versions(self) -> str:
        """The sentiment versions in service, for progress lines: ``en=<version> zh=<version>``."""
        return " ".join(f"{language}={watcher.version or 'none'}" for language, watcher in
                        (("en", self.watcher), ("zh", self.chinese_watcher)))

    def _score_batch(self, requests: list[ReviewScoringRequested], predictors: dict) -> list[ReviewScored]:
        languages = [request.language or self._detect(request.text) for request in requests]
        scored: dict[int, ReviewScored] = {}
        for i, language in enumerate(languages):
            if language not in SCORED_LANGUAGES:
                self._count_unscored(f"no sentiment model for language {language!r}")
        for language in SCORED_LANGUAGES:
            rows = [i for i, found in enumerate(languages) if found == language]
            if rows and predictors[language] is None:
                self._count_unscored(f"no {language} sentiment model in the registry", len(rows))
            elif rows:
                scored.update(zip(rows, self._score_language(requests, rows, language, predictors[language])))
        return [scored[i] for i in sorted(scored)]

    def _score_language(self, requests: list[ReviewScoringRequested], readable: list[int], language: str,
                        predictor) -> list[ReviewScored]:
        """Scores for the ``readable`` rows, all in ``language``, from that language's predictor."""
        texts = [requests[i].text for i in readable]
        mentions = self.extractor.extract(texts)
        clauses = sorted({mention.clause for found in mentions for mention in found})
        predictions = predictor.predict(texts + clauses)
        overall, by_clause = predictions[:len(texts)], dict(zip(clauses, predictions[len(texts):]))
        now = datetime.now(UTC)
        return [ReviewScored(
            event_id=derive_event_id("score", requests[i].event_id), occurred_at=now,
            caused_by=requests[i].event_id, caused_at=requests[i].occurred_at, review_id=requests[i].review_id, product_id=requests[i].product_id,
            language=language, sentiment=review.label, score=label_probability(review),
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


def _predictor(path, settings: Settings):
    """The sentiment predictor of a registry entry, whatever it holds (MiniLM, the Chinese ensemble, TF-IDF)."""
    from shopmodels.datasets.fetch import DatasetPaths
    from shopmodels.sentiment.serving import load_sentiment_predictor

    return load_sentiment_predictor(path, device=settings.inference_device,
                                    e5_path=DatasetPaths.under(settings.cache_dir).e5_weights)


def _load_extractor_and_detector(settings: Settings):
    """The aspect extractor (the configured catalog; MiniLM for English clauses unless
    ``SHOPSTREAM_ASPECT_EMBEDDINGS=false``) and an English/Chinese detector."""
    from lingua import Language, LanguageDetectorBuilder

    from shopmodels.aspects.catalogs import aspect_catalog
    from shopmodels.aspects.extractor import AspectExtractor
    from shopmodels.search.embedder import TextEmbedder

    embedder = TextEmbedder.shared(settings.inference_device) if settings.aspect_embeddings else None
    extractor = AspectExtractor(embedder, aspect_catalog(settings.aspect_catalog))
    detector = LanguageDetectorBuilder.from_languages(Language.ENGLISH, Language.CHINESE).build()
    return extractor, detector
