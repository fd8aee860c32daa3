"""ShopStream's flows: each folder keeps one flow's agents, pure logic and HTTP views together.

    intake/           how every agent reads its input: validation, dead letters, home partitions, table writes
    profiles/         shop.clicks, shop.searches, shop.erasures -> user-profiles
    products/         clicks (re-keyed by product), shop.catalog -> product-stats, products
    recommendations/  profile after each click or search -> model + ranking -> shop.recommendations
    reviews/          shop.reviews -> scoring -> shop.review-scores -> summaries, shop.sentiment-alerts
    copy/             new catalog products -> SmolLM2 -> shop.product-copy

``agents.py`` in a flow holds its state-role agents and ``views.py`` its HTTP views; the
inference role's agents, which batch the model work of the recommendations flow and of the reviews
flow (one agent each), are in ``streams/inference/agent.py``; the copy agent is ``copy/writer.py``.
"""
