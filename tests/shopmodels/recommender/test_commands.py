"""The train and eval commands, end to end on tiny data and a tiny model."""

import orjson
from typer.testing import CliRunner

from shopmodels.commands import eval_cli, train_cli
from shopmodels.datasets.fetch import fetch_datasets
from shopmodels.datasets.movielens import load_movielens
from shopmodels.recommender.config import SASRecConfig
from shopmodels.recommender.data import movielens_sequences
from shopmodels.recommender.model import SASRec
from shopmodels.recommender.predictor import HistoryQuery, RecommenderPredictor
from shopmodels.recommender.registry import save_sasrec
from shopmodels.recommender.vocabulary import Vocabulary
from streams.settings import get_settings

TINY = ["--max-len", "4", "--hidden", "8", "--blocks", "1", "--epochs", "2", "--batch-size", "8",
        "--threads", "1"]


def _click(user: str, product: str, second: int) -> dict:
    return {"event_id": f"e-{user}-{second}", "user_id": user, "product_id": product, "kind": "view",
            "occurred_at": f"2024-05-01T12:00:{second:02d}Z"}


def test_train_from_a_click_export_writes_a_servable_checkpoint(tmp_path):
    events = [_click(f"u{user}", f"p{(user + step) % 7}", step) for user in range(6) for step in range(5)]
    export = tmp_path / "clicks.jsonl"
    export.write_bytes(b"\n".join(orjson.dumps(event) for event in events) + b"\n")

    result = CliRunner().invoke(train_cli, ["recommender", "--from-file", str(export),
                                            "--registry", str(tmp_path / "models"), *TINY])
    assert result.exit_code == 0, result.output
    [checkpoint] = (tmp_path / "models" / "recommender").glob("sasrec-*/model.pt")
    assert str(checkpoint.parent.name) in result.output.replace("\n", "")

    predictor = RecommenderPredictor.from_checkpoint(checkpoint, device="cpu")
    [recommendations] = predictor.recommend([HistoryQuery(history=["p1", "p2"])], k=3)
    assert len(recommendations) == 3 and not {"p1", "p2"} & {p for p, _ in recommendations}


def test_both_sources_at_once_are_refused(tmp_path):
    export = tmp_path / "clicks.jsonl"
    export.write_text("")
    result = CliRunner().invoke(train_cli, ["recommender", "--from-file", str(export), "--movielens"])
    assert result.exit_code == 1 and "choose one source" in result.output
    assert "got --from-file and --movielens" in result.output


def test_a_topic_and_a_file_at_once_are_refused_before_reaching_a_broker(tmp_path):
    export = tmp_path / "clicks.jsonl"
    export.write_text("")
    result = CliRunner().invoke(train_cli, ["recommender", "--from-file", str(export),
                                            "--from-topic", "shop.clicks", "--broker", "127.0.0.1:1"])
    assert result.exit_code == 1, result.output
    assert "choose one source" in result.output and "got --from-file and --from-topic" in result.output
    assert "Saved checkpoint" not in result.output


def test_eval_of_a_checkpoint_prints_model_and_baselines_as_markdown(tmp_path):
    paths = fetch_datasets(get_settings().cache_dir, progress=False)  # downloads once when not cached
    vocabulary = Vocabulary.build(movielens_sequences(load_movielens(paths)).values())
    model = SASRec(SASRecConfig(num_items=len(vocabulary), max_len=4, hidden=8, blocks=1))
    checkpoint = save_sasrec(tmp_path, model, vocabulary)

    result = CliRunner().invoke(eval_cli, ["recommender", "--checkpoint", str(checkpoint), "--markdown"])
    assert result.exit_code == 0, result.output
    expected = ("| SASRec sasrec-", "| Popularity |", "| Item-kNN (cosine) |", "NDCG@10 (full)", "943 users")
    for text in expected:
        assert text in result.output
