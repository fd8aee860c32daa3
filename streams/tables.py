"""Every Faust table, declared once. Values are small plain JSON dicts (see ``streams/state/``)."""

from __future__ import annotations

from streams.app import app, settings


def _table(name: str, help: str):
    return app.Table(name, key_type=str, partitions=settings.partitions, help=help)


#: user_id -> profile dict (recent items, queries, purchases, affinities); fed by shop.clicks/searches.
profiles = _table("user-profiles", "Per-user profile, keyed by user_id.")
#: product_id -> stats dict (views, carts, purchases, reviews); fed by product interactions and reviews.
product_stats = _table("product-stats", "Per-product counters, keyed by product_id.")
#: product_id -> latest catalog entry; fed by shop.catalog.
products = _table("products", "Latest catalog entry per product, keyed by product_id.")

#: user_id -> the newest RecommendationsIssued (as a dict); fed by shop.recommendations.
latest_recommendations = _table("latest-recommendations", "Newest recommendation list per user, keyed by user_id.")

#: product_id -> review sentiment summary (labels, aspect mentions); fed by shop.review-scores.
review_sentiment = _table("review-sentiment", "Review sentiment summary per product, keyed by product_id.")
#: "<product_id>|<aspect>" -> alert state (see streams/flows/reviews/alerts.py); fed by shop.review-scores,
#: written from the product's partition, so it is co-partitioned with the product.
aspect_alerts = _table("aspect-alerts", "Sentiment-alert state per product and aspect.")

#: product_id -> the newest ProductCopyGenerated (as a dict); fed by shop.product-copy.
latest_copy = _table("latest-copy", "Newest generated marketing copy per product, keyed by product_id.")

#: sha256(user_id) -> erasure guard (see streams/flows/profiles/erasure.py); written by shop.erasures, so
#: co-partitioned with the users' clicks, searches and recommendation lists. Holds no user id.
erasure_guards = _table("erasure-guards", "Recently erased users (by digest): what happened before is dropped.")

ALL = {"user-profiles": profiles, "product-stats": product_stats, "products": products,
       "latest-recommendations": latest_recommendations, "review-sentiment": review_sentiment,
       "aspect-alerts": aspect_alerts, "latest-copy": latest_copy, "erasure-guards": erasure_guards}
