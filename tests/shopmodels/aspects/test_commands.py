"""`shopstream eval aspects` and the written electronics clauses it scores polarity on."""

import json

import pytest
from typer.testing import CliRunner

from shopmodels.aspects.catalogs import CATALOGS, ELECTRONICS_ASPECTS
from shopmodels.aspects.clauses import is_chinese, split_clauses
from shopmodels.aspects.commands import score_items
from shopmodels.aspects.evaluate import ELECTRONICS_LABELS_PATH, load_labels
from shopmodels.aspects.extractor import AspectExtractor
from shopmodels.commands import eval_cli, train_cli


@pytest.fixture(scope="module")
def registry(tmp_path_factory):
    """Both languages' TF-IDF sentiment models, trained by the real command on 3,000 real reviews each."""
    registry = tmp_path_factory.mktemp("registry")
    result = CliRunner().invoke(train_cli, ["sentiment-tfidf", "--registry", str(registry), "--max-train", "3000"])
    assert result.exit_code == 0, result.output
    return registry


def test_the_electronics_clauses_are_single_clauses_with_a_polarity_per_aspect():
    labelled = load_labels(ELECTRONICS_LABELS_PATH, ELECTRONICS_ASPECTS)
    assert sum(is_chinese(item.clause) for item in labelled) >= 30 <= sum(not is_chinese(i.clause) for i in labelled)
    for item in labelled:
        assert split_clauses(item.clause) == [item.clause]
        assert {name for name, _ in item.polarity} == item.aspects
    lines = ELECTRONICS_LABELS_PATH.read_text(encoding="utf-8").splitlines()
    assert all(json.loads(line)["source"].startswith("written:electronics:") for line in lines)


def test_a_polarity_that_names_no_labelled_aspect_is_refused(tmp_path):
    path = tmp_path / "labels.jsonl"
    path.write_text(json.dumps({"source": "written:electronics:en", "row": 0, "clause_index": 0, "clause": "Dim.",
                                "aspects": ["screen"], "polarity": {"battery": "negative"}, "split": "test"}))
    with pytest.raises(ValueError, match="polarity"):
        load_labels(path, ELECTRONICS_ASPECTS)


def test_polarity_counts_triples_on_the_labelled_clauses(registry):
    from shopmodels.sentiment.serving import load_sentiment_predictor
    from shopmodels.checkpoints import latest_version, registry_path

    predictor = load_sentiment_predictor(registry_path(registry, "sentiment-zh",
                                                       latest_version(registry, "sentiment-zh")))
    items = [i for i in load_labels(ELECTRONICS_LABELS_PATH, ELECTRONICS_ASPECTS) if is_chinese(i.clause)]
    aspects, polarity = score_items(AspectExtractor(None, ELECTRONICS_ASPECTS), predictor, items)
    assert polarity.support == aspects.support == sum(len(item.aspects) for item in items)
    assert polarity.predicted == aspects.predicted and polarity.true_positives <= aspects.true_positives
    general, _ = score_items(AspectExtractor(None, CATALOGS["general"]), predictor, items)
    assert general.support == aspects.support and general.recall < aspects.recall  # screens etc. are missed


def test_the_command_prints_every_catalog_and_language(registry):
    result = CliRunner().invoke(eval_cli, ["aspects", "--registry", str(registry), "--markdown", "--threads", "1"])
    assert result.exit_code == 0, result.output
    rows = [line for line in result.output.splitlines() if line.startswith("| ") and "Catalog" not in line]
    assert {(cells[1].strip(), cells[3].strip()) for cells in (row.split("|") for row in rows)} == {
        (catalog, language) for catalog in ("general", "clothing", "electronics") for language in ("en", "zh")}
    assert "tfidf-zh-sentiment-" in result.output
