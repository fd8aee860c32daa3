"""Checkpoints: plain-typed round trip with weights_only=True, and the registry layout."""

from datetime import UTC, datetime

import pytest
import torch

from shopmodels.checkpoints import (
    latest_version,
    load_checkpoint,
    new_version,
    registry_path,
    save_checkpoint,
)
from shopmodels.recommender.model import SASRec
from shopmodels.recommender.registry import KIND, load_sasrec, save_sasrec
from shopmodels.recommender.vocabulary import Vocabulary


def test_sasrec_round_trip_keeps_weights_config_version_and_vocabulary(tiny_config, tmp_path):
    model = SASRec(tiny_config)
    vocabulary = Vocabulary([f"ml-{i}" for i in range(1, tiny_config.num_items + 1)])
    when = datetime(2026, 11, 28, 17, 0, tzinfo=UTC)
    path = save_sasrec(tmp_path, model, vocabulary, extra={"valid_ndcg10": 0.1}, now=when)

    assert path == tmp_path / KIND / "sasrec-20261128T170000Z" / "model.pt"
    raw = torch.load(path, weights_only=True)  # plain types only
    assert raw["extra"]["vocabulary"] == vocabulary.to_list()

    loaded, loaded_vocabulary, checkpoint = load_sasrec(path)
    assert checkpoint.version == "sasrec-20261128T170000Z"
    assert checkpoint.extra["valid_ndcg10"] == 0.1
    assert loaded.config == tiny_config
    assert loaded_vocabulary.to_list() == vocabulary.to_list()
    for name, tensor in model.state_dict().items():
        torch.testing.assert_close(loaded.state_dict()[name], tensor)


def test_latest_version_picks_the_newest_saved_checkpoint(tmp_path):
    assert latest_version(tmp_path, "recommender") is None
    for stamp in ("20261128T170000Z", "20261201T090000Z", "20261130T000000Z"):
        version = f"sasrec-{stamp}"
        save_checkpoint(registry_path(tmp_path, "recommender", version), kind="recommender",
                        config={}, state_dict={}, version=version, extra={})
    (tmp_path / "recommender" / "sasrec-20270101T000000Z").mkdir()  # no model.pt: ignored
    assert latest_version(tmp_path, "recommender") == "sasrec-20261201T090000Z"


def test_non_plain_values_are_refused_before_writing(tmp_path):
    with pytest.raises(TypeError, match="Path"):
        save_checkpoint(tmp_path / "m.pt", kind="x", config={"where": tmp_path}, state_dict={},
                        version="x-20260101T000000Z", extra={})
    assert not (tmp_path / "m.pt").exists()


def test_a_missing_checkpoint_says_how_to_get_one(tmp_path):
    with pytest.raises(FileNotFoundError, match="train"):
        load_checkpoint(tmp_path / "nothing.pt")


def test_versions_carry_no_hyperparameters():
    assert new_version("sasrec", datetime(2026, 11, 28, 17, 0, 0, tzinfo=UTC)) == "sasrec-20261128T170000Z"
