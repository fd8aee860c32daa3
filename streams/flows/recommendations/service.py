"""The recommendation service of an inference worker: models, catalog view, hot reload.

It owns everything the inference agent needs and runs every model call on one worker thread,
off the event loop, so heartbeats and commits never stall:

* the newest recommender in the model registry (``RecommenderPredictor``), swapped for a newer
  version between batches, never during one;
* the sentence embedder and the title index for search intent (titles embedded in the
  background, a chunk at a time, as catalog events arrive);
* a ``CatalogView`` of titles and trending products, and a ``ComplaintView`` of active sentiment
  alerts (for quality-aware demotion), both followed read-only from the broker.

``recommend(requests)`` turns one batch of ``RecommendationRequested`` into
``RecommendationsIssued``; the ranking policy itself is ``ranking.rank``.
"""

from __future__ import annotations

import itertools
import logging
from datetime import UTC, datetime

from mode import Service

from schemas import RecommendationsIssued, derive_event_id
from schemas.requests import RecommendationRequested
from shopmodels.recommender.predictor import HistoryQuery, RecommenderPredictor
from shopmodels.recommender.registry import KIND
from shopmodels.search.intent import TitleIndex
from shopmodels.search.query_cache import QueryVectors
from streams.flows.recommendations.catalog_view import CatalogView
from streams.flows.reviews.complaints import ComplaintView
from streams.flows.recommendations.follower import CatalogFollower
from streams.inference.model_thread import ModelThreadService
from streams.flows.recommendations.ranking import Candidates, excluded_products, rank
from streams.inference.watcher import RegistryWatcher
from streams.settings import Settings

log = logging.getLogger("shopstream.recommender")

NO_MODEL_VERSION = "trending-only"  # model_version of lists made before any recommender is in the registry


#: Logged once every catalog title is embedded for search intent (the demo and benchmarks wait for it).
TITLES_INDEXED = "Search index holds"


class RecommenderService(ModelThreadService):
    """Batched recommendations for the inference agent (see the module docstring)."""

    def __init__(self, settings: Settings, catalog: CatalogView, follower: CatalogFollower | None = None,
                 complaints: ComplaintView | None = None, **kwargs) -> None:
        super().__init__(**kwargs)
        self.settings = settings
        self.catalog = catalog
        self.complaints = complaints if complaints is not None else ComplaintView()
        self.follower = follower
        self.watcher = RegistryWatcher(
            settings.model_registry, KIND,
            lambda path: RecommenderPredictor.from_checkpoint(path, settings.inference_device),
            poll_s=settings.model_poll_s, missing="serving trending products until one is trained "
                                                  "(`shopstream train recommender`)")
        self.embedder = None  # TextEmbedder once loaded (search intent)
        self._queries: QueryVectors | None = None  # recent query embeddings, by the current embedder
        self.titles = TitleIndex()
        self._pending_titles: dict[str, str] = {}  # product_id -> title, not embedded yet

    @property
    def model_version(self) -> str:
        """The version lists are issued with right now."""
        return self.predictor.version if self.predictor else NO_MODEL_VERSION

    async def on_start(self) -> None:
        """Follow the catalog, load the newest recommender and, if enabled, the sentence embedder.

        Serving starts at once; catalog titles are embedded in the background (``index_titles``),
        so search matches cover more of the catalog as it warms up.
        """
        if self.follower is not None:
            await self.add_runtime_dependency(self.follower)
        await self.maybe_reload(force=True)
        if self.settings.search_intent:
            from shopmodels.search.embedder import TextEmbedder

            self.embedder = await self._run(TextEmbedder.shared, self.settings.inference_device)
            log.info("Search intent on: %s on %s.", self.embedder.model_version, self.embedder.device)
        self.ready.set()

    async def caught_up(self) -> bool:
        """Wait up to ``SHOPSTREAM_CATALOG_WAIT_S`` for what this worker follows (catalog, stats, alerts, erasure
        guards) to catch up; returns whether it did (True when nothing is followed)."""
        return self.follower is None or await self.follower.wait_ready(self.settings.catalog_wait_s)

    @Service.task
    async def _keep_titles_indexed(self) -> None:
        """Embed new and changed catalog titles, a chunk at a time, between the agent's batches."""
        await self.ready.wait()
        if not await self.caught_up():
            log.warning("The catalog is not caught up after %s s; titles are indexed as they arrive.",
                        self.settings.catalog_wait_s)
        while not self.should_stop and self.embedder is not None:
            if not await self.index_titles(limit=self.settings.title_chunk):
                await self.sleep(1.0)

    async def index_titles(self, limit: int | None = None) -> int:
        """Embed up to ``limit`` (None: all) titles that are new or changed; returns how many."""
        self._pending_titles.update(self.catalog.take_changed_titles())
        if self.embedder is None or not self._pending_titles:
            return 0
        chunk = dict(itertools.islice(self._pending_titles.items(), limit))
        for product_id in chunk:
            del self._pending_titles[product_id]
        await self._run(self._embed_titles, chunk)
        if not self._pending_titles:
            log.info("%s %d product titles.", TITLES_INDEXED, len(self.titles))
        return len(chunk)

    async def maybe_reload(self, force: bool = False) -> bool:
        """Switch to a newer recommender version if the registry has one; returns True on a switch.

        Checks at most every ``model_poll_s`` seconds. Called between batches, so a batch always
        runs on one version and no request is dropped. A checkpoint that fails to load is logged
        and skipped (the current model keeps serving) until its file changes.
        """
        return await self.watcher.poll(self._run, force)

    @property
    def predictor(self) -> RecommenderPredictor | None:
        """The recommender being served (None until one is in the registry)."""
        return self.watcher.model

    async def recommend(self, requests: list[RecommendationRequested]) -> list[RecommendationsIssued]:
        """One list per request, in order.

        The models run as one batch on the model thread; the catalog and complaint views are only
        read here, on the event loop, where the follower writes them. Slots that demotion takes
        from products with active alerts are counted in ``complaints``.
        """
        predictor = self.predictor
        candidates = await self._run(self._candidates, requests, predictor)
        k, now = self.settings.recommendations_k, datetime.now(UTC)
        version = predictor.version if predictor else NO_MODEL_VERSION
        issued = []
        for request, found in zip(requests, candidates):
            ranking = rank(request, found, self.catalog, k=k, search_weight=self.settings.search_weight,
                           complaints=self.complaints, demotion=self.settings.alert_demotion)
            self.complaints.lost(ranking.displaced)
            issued.append(RecommendationsIssued(
                event_id=derive_event_id("rec", request.event_id), occurred_at=now, caused_by=request.event_id,
                caused_at=request.occurred_at, user_id=request.user_id, model_version=version, items=ranking.items))
        return issued

    def _candidates(self, requests: list[RecommendationRequested],
                    predictor: RecommenderPredictor | None) -> list[Candidates]:
        """Model and search candidates for a batch (on the model thread)."""
        n = self.settings.recommendations_k * self.settings.candidate_factor
        candidates = [Candidates() for _ in requests]
        if predictor is not None:
            self._model_candidates(predictor, requests, candidates, n)
        if self.embedder is not None:
            self._query_candidates(requests, candidates, n)
        return candidates

    def _embed_titles(self, titles: dict[str, str]) -> None:
        """Add new or changed product titles to the search index (on the model thread)."""
        if titles:
            for product_id, vector in zip(titles, self.embedder.embed(list(titles.values()))):
                self.titles.upsert(product_id, vector)

    def _model_candidates(self, predictor: RecommenderPredictor, requests: list[RecommendationRequested],
                          candidates: list[Candidates], n: int) -> None:
        """The recommender's top ``n`` per request, with the history product each one follows."""
        asked = [HistoryQuery(history=r.history, exclude=excluded_products(r)) for r in requests]
        found = predictor.recommend(asked, k=n)
        anchors = predictor.anchors([(r.history, [pid for pid, _ in top]) for r, top in zip(requests, found)])
        for i, (top, anchored) in enumerate(zip(found, anchors)):
            candidates[i] = Candidates(model=top, anchors=anchored)

    def _query_candidates(self, requests: list[RecommendationRequested], candidates: list[Candidates],
                          n: int) -> None:
        """Embed the batch's search queries in one call and match each to product titles."""
        searching = [i for i, request in enumerate(requests) if request.query]
        if not searching or not len(self.titles):
            return
        if self._queries is None or self._queries.embed != self.embedder.embed:
            self._queries = QueryVectors(self.embedder.embed)
        vectors = self._queries([requests[i].query for i in searching])
        for i, vector in zip(searching, vectors):
            matches = self.titles.top_matches(vector, n, exclude=excluded_products(requests[i]))
            candidates[i] = Candidates(model=candidates[i].model, anchors=candidates[i].anchors,
                                       query_matches=matches)
