"""Test-wide setup: tests never touch a developer's state, and use the in-memory store by default."""

import os

os.environ.setdefault("SHOPSTREAM_STORE", "memory://")
os.environ.setdefault("SHOPSTREAM_DATA_DIR", "/tmp/shopstream-tests/worker")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
# Workers serve no model and skip MiniLM unless a test asks for them (tests/integration/test_recommend.py).
os.environ.setdefault("SHOPSTREAM_MODEL_REGISTRY", "/tmp/shopstream-tests/empty-registry")
os.environ.setdefault("SHOPSTREAM_SEARCH_INTENT", "false")


import pytest  # noqa: E402


@pytest.fixture(scope="session")
def movielens_registry(tmp_path_factory):
    """A model registry holding one real SASRec, trained here on MovieLens-100k (2 epochs, ~15 s).

    Small and quick, but trained by the real training code on the real data, so its rankings
    mean something (validation NDCG@10 about 0.05, twice the popularity baseline).
    """
    import torch

    from shopmodels.datasets.fetch import fetch_datasets
    from shopmodels.datasets.movielens import load_movielens
    from shopmodels.recommender.config import SASRecConfig
    from shopmodels.recommender.data import leave_one_out, movielens_sequences
    from shopmodels.recommender.registry import save_sasrec
    from shopmodels.recommender.training import train_sasrec
    from shopmodels.recommender.vocabulary import Vocabulary
    from streams.settings import get_settings

    sequences = movielens_sequences(load_movielens(fetch_datasets(get_settings().cache_dir, progress=False)))
    vocabulary = Vocabulary.build(sequences.values())
    split = leave_one_out({user: vocabulary.encode(items) for user, items in sequences.items()})
    threads = torch.get_num_threads()
    torch.set_num_threads(2)
    try:
        config = SASRecConfig(num_items=len(vocabulary), hidden=32, epochs=2, seed=0)
        result = train_sasrec(config, split, progress=False)
    finally:
        torch.set_num_threads(threads)
    registry = tmp_path_factory.mktemp("registry")
    save_sasrec(registry, result.model, vocabulary, extra={"source": "movielens-100k (test fixture)"})
    return registry
