"""The demo gives a language with no sentiment model the TF-IDF baseline before its worker starts."""

from rich.console import Console

from shopmodels.checkpoints import latest_version, registry_path, save_checkpoint
from shopmodels.sentiment.serving import load_sentiment_predictor
from streams.settings import get_settings
from streams.tools.demo import register_sentiment_if_needed


def _placeholder(registry, kind, version):
    """A registry entry of ``kind`` (its content is never loaded here)."""
    save_checkpoint(registry_path(registry, kind, version), kind=kind, config={}, state_dict={}, version=version,
                    extra={})


def test_registered_languages_are_left_alone(tmp_path):
    for kind, version in (("sentiment", "minilm-sentiment-20260101T000000Z"),
                          ("sentiment-zh", "zh-sentiment-20260101T000000Z")):
        _placeholder(tmp_path, kind, version)
    settings = get_settings().model_copy(update={"model_registry": tmp_path})
    console = Console(record=True)
    assert register_sentiment_if_needed(settings, console, tmp_path / "log") is None
    assert "serving en sentiment minilm-sentiment-20260101T000000Z" in console.export_text()
    assert latest_version(tmp_path, "sentiment") == "minilm-sentiment-20260101T000000Z"


def test_a_missing_english_model_is_trained_before_the_worker_starts(tmp_path):
    _placeholder(tmp_path, "sentiment-zh", "zh-sentiment-20260101T000000Z")
    settings = get_settings().model_copy(update={"model_registry": tmp_path})
    assert register_sentiment_if_needed(settings, Console(), tmp_path / "log") is None  # zh is there: nothing left
    version = latest_version(tmp_path, "sentiment")
    assert version is not None and version.startswith("tfidf-sentiment-"), (tmp_path / "log").read_text()
    predictor = load_sentiment_predictor(registry_path(tmp_path, "sentiment", version))
    [bad, good] = predictor.predict(["Awful. The fabric ripped on the first wash and it runs two sizes small.",
                                     "Love this dress! Fits perfectly and the colour is gorgeous."])
    assert (bad.label, good.label) == ("negative", "positive")


def test_without_a_gpu_the_demo_turns_off_the_minilm_extras_and_says_so(monkeypatch):
    import torch

    from streams.tools.demo import cpu_settings

    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    console = Console(record=True)
    env = cpu_settings({"PATH": "/bin"}, console)
    assert (env["SHOPSTREAM_ASPECT_EMBEDDINGS"], env["SHOPSTREAM_SEARCH_INTENT"]) == ("false", "false")
    assert "no GPU: SHOPSTREAM_ASPECT_EMBEDDINGS=false (aspects by keywords alone" in console.export_text()
    chosen = {"SHOPSTREAM_ASPECT_EMBEDDINGS": "true", "SHOPSTREAM_SEARCH_INTENT": "true"}
    assert cpu_settings(chosen, Console()) == chosen  # what the user set stays
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    assert cpu_settings({"PATH": "/bin"}, Console()) == {"PATH": "/bin"}


def test_background_trainings_run_at_the_lowest_cpu_priority(tmp_path):
    import os
    import sys

    from streams.tools.demo import TRAINING_NICENESS, start_background

    probe = start_background([sys.executable, "-c", "import os; print(os.nice(0))"], (tmp_path / "log").open("w"))
    assert probe.wait(timeout=60) == 0
    assert int((tmp_path / "log").read_text()) == min(19, os.nice(0) + TRAINING_NICENESS)


def test_sigterm_stops_the_demo_even_when_it_was_started_with_sigint_ignored():
    """A script's background job inherits SIGINT ignored; SIGTERM must still reach the demo's cleanup."""
    import signal
    import subprocess
    import sys

    program = ("import signal, time\n"
               "signal.signal(signal.SIGINT, signal.SIG_IGN)\n"
               "from streams.tools.demo import stop_on_sigterm\n"
               "stop_on_sigterm()\n"
               "print('ready', flush=True)\n"
               "try:\n"
               "    time.sleep(120)\n"
               "except KeyboardInterrupt:\n"
               "    print('cleaned up', flush=True)\n")
    demo = subprocess.Popen([sys.executable, "-c", program], stdout=subprocess.PIPE, text=True)
    try:
        assert demo.stdout.readline().strip() == "ready"
        demo.send_signal(signal.SIGTERM)
        assert demo.wait(timeout=60) == 0
        assert demo.stdout.read().strip() == "cleaned up"
    finally:
        demo.kill()
