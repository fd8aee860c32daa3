"""Several fine-tuned e5 classifiers averaged (``averaging.py``), and `shopstream train sentiment-zh-average`.

Two real fine-tuned models of the same split (other seeds) are averaged by the command's own
function on a small validation part, saved, reloaded, served and scored as `eval` scores them.
"""

from dataclasses import replace

import pytest
import torch
from typer.testing import CliRunner

from shopmodels.checkpoints import latest_version, load_checkpoint
from shopmodels.commands import train_cli
from shopmodels.sentiment.averaging import ClassifierAverage, average_logits
from shopmodels.sentiment.chinese.average_command import average_checkpoints
from shopmodels.sentiment.chinese.config import ChineseSentimentConfig
from shopmodels.sentiment.chinese.evaluation import checkpoint_reports
from shopmodels.sentiment.chinese.model import WORD_EMBEDDINGS, chinese_classifier
from shopmodels.sentiment.chinese.predictor import ChineseSentimentPredictor
from shopmodels.sentiment.chinese.registry import KIND, load_chinese_sentiment, save_chinese_sentiment
from shopmodels.sentiment.classifier import encode, pad_batch
from shopmodels.sentiment.fine_tuning import train_sentiment
from shopmodels.sentiment.split import sample_training

from .conftest import Unreadable



@pytest.fixture(scope="module")
def tiny_split(small_split):
    """60 validation reviews of each class; a test part that fails any test reading it."""
    return replace(small_split, valid=small_split.valid.groupby("label").head(60), test=Unreadable())


@pytest.fixture(scope="module")
def members(chinese_sentiment_registry, weights, tokenizer, tiny_split, tmp_path_factory):
    """Two real fine-tuned models of the same split: the session's (seed 0, with its TF-IDF + LR) and one more,
    seed 1, fine-tuned here on 64 training reviews. Their checkpoint paths."""
    first = chinese_sentiment_registry / KIND / latest_version(chinese_sentiment_registry, KIND) / "model.pt"
    config = ChineseSentimentConfig(max_tokens=48, batch_size=16, epochs=1, eval_every=0, lr=1e-4, seed=1)
    threads = torch.get_num_threads()
    torch.set_num_threads(2)
    try:
        result = train_sentiment(chinese_classifier(config, weights), tokenizer,
                                 sample_training(tiny_split, 64, seed=1), progress=False)
    finally:
        torch.set_num_threads(threads)
    second = save_chinese_sentiment(tmp_path_factory.mktemp("seed1"), result.model, weights,
                                    temperature=result.temperature, split_seed=tiny_split.seed)
    return [first, second]


@pytest.fixture(scope="module")
def averaged(members, weights, tokenizer, tiny_split, tmp_path_factory):
    """The two members averaged by the command's own function on the tiny validation part: the checkpoint's path."""
    return average_checkpoints(members, tmp_path_factory.mktemp("average"), weights, tokenizer, tiny_split)


def test_the_average_is_the_mean_of_each_members_calibrated_logits(fresh_model, weights, tokenizer):
    torch.manual_seed(1)
    other = chinese_classifier(fresh_model.config, weights).eval()
    average = ClassifierAverage([fresh_model, other], [1.5, 0.8]).eval()
    texts = ["电池很耐用", "屏幕碎了，客服不理人", "还行"]
    ids, mask = pad_batch(encode(tokenizer, texts, 48), tokenizer.pad_token_id)
    with torch.inference_mode():
        expected = (fresh_model(ids, mask) / 1.5 + other(ids, mask) / 0.8) / 2
        assert torch.allclose(average(ids, mask), expected, atol=1e-6)
    assert average.config is fresh_model.config


def test_an_average_that_could_not_serve_as_one_model_is_refused(fresh_model):
    with pytest.raises(ValueError, match="at least two models"):
        ClassifierAverage([fresh_model], [1.0])
    with pytest.raises(ValueError, match="temperature > 0"):
        ClassifierAverage([fresh_model, fresh_model], [1.0, 0.0])
    longer = torch.nn.Module()
    longer.config = replace(fresh_model.config, max_tokens=96)
    with pytest.raises(ValueError, match="different lengths"):
        ClassifierAverage([fresh_model, longer], [1.0, 1.0])
    with pytest.raises(ValueError, match="one temperature per member"):
        average_logits([torch.zeros(2, 2)], [1.0, 1.0])


def test_the_checkpoint_holds_each_member_once_and_what_they_were(averaged, members):
    checkpoint = load_checkpoint(averaged)
    singles = [load_checkpoint(member) for member in members]
    assert [(m["version"], m["seed"]) for m in checkpoint.extra["members"]] == [(m.version, s) for m, s in
                                                                                zip(singles, (0, 1))]
    assert [m["temperature"] for m in checkpoint.extra["members"]] == [m.extra["temperature"] for m in singles]
    assert not any(name.endswith(WORD_EMBEDDINGS) for name in checkpoint.state_dict)  # read from the e5 file
    for i, single in enumerate(singles):  # each member's fine-tuned weights, unchanged
        assert all(torch.equal(checkpoint.state_dict[f"members.{i}.{name}"], tensor)
                   for name, tensor in single.state_dict.items())
    first_linear = load_checkpoint(members[0]).extra["ensemble"]["linear"]
    assert torch.equal(checkpoint.extra["ensemble"]["linear"]["coef"], first_linear["coef"])  # reused, not refitted


def test_the_reloaded_average_serves_the_mean_of_its_members_mixed(averaged, members, weights, tokenizer):
    model, checkpoint = load_chinese_sentiment(averaged, weights)
    assert isinstance(model, ClassifierAverage) and len(model.members) == 2
    embeddings = [member.encoder.embeddings.word_embeddings for member in model.members]
    assert embeddings[0] is embeddings[1]  # one frozen table, not two copies of 96 M parameters
    singles = [load_chinese_sentiment(path, weights)[0] for path in members]
    texts = ["电池很耐用，屏幕清晰", "质量太差了，一天就坏了"]
    served = ChineseSentimentPredictor.from_loaded(model, checkpoint, tokenizer, device="cpu")
    ids, mask = pad_batch(encode(tokenizer, texts, model.config.max_tokens), tokenizer.pad_token_id)
    with torch.inference_mode():
        mean = average_logits([single(ids, mask) for single in singles], model.temperatures)
    expected = torch.softmax(served.ensemble.logits(mean, served.model_temperature, texts) / served.temperature, 1)
    assert served.positive_probability(texts) == pytest.approx(expected[:, 1].double().numpy(), abs=1e-5)


def test_eval_names_the_average_in_its_rows(averaged, weights, tokenizer, tiny_split):
    model, checkpoint = load_chinese_sentiment(averaged, weights)
    predictor = ChineseSentimentPredictor.from_loaded(model, checkpoint, tokenizer, device="cpu")
    reports = checkpoint_reports(predictor, replace(tiny_split, test=tiny_split.valid.head(8)))
    names = [report.name for report in reports]
    assert names[0].startswith(f"Ensemble {checkpoint.version} (deployed: w=") and \
        "average of 2 multilingual-e5-small, " in names[0]
    assert names[1:] == ["- its average of 2 fine-tuned multilingual-e5-small alone",
                         "- its TF-IDF + logistic regression alone"]


def test_the_command_refuses_an_average_or_one_model_before_reading_a_review(averaged, members, tmp_path):
    for given, message in (([averaged, members[0]], "already an average"), ([members[0]], "at least two models")):
        arguments = [argument for path in given for argument in ("--checkpoint", str(path))]
        result = CliRunner().invoke(train_cli, ["sentiment-zh-average", *arguments, "--registry", str(tmp_path)])
        assert result.exit_code == 1 and message in " ".join(result.output.split()), result.output
    assert not any(tmp_path.iterdir())


def test_models_of_another_split_are_refused(members, weights, tokenizer, tiny_split, tmp_path):
    with pytest.raises(ValueError, match="different splits"):
        average_checkpoints(members, tmp_path, weights, tokenizer, replace(tiny_split, seed=tiny_split.seed + 1))
