"""The shared training loop with a stand-in run: when it validates, steps and stops (no model, no data)."""

from dataclasses import dataclass, field

from rich.progress import Progress

from shopmodels.sentiment.training import EPOCH_LIMIT, run_epochs


@dataclass
class Recorder:
    """A training run that records what the loop asks of it; it stops once ``stop_after`` passes are done."""

    batches: int = 3
    stop_after: int = 0  # validation passes before asking to stop (0: never)
    steps_per_epoch: int = 3
    calls: list[tuple] = field(default_factory=list)

    def epoch_batches(self, epoch):
        return [[epoch, b] for b in range(self.batches)]

    def step(self, rows):
        self.calls.append(("step", *rows))
        return float(sum(call[0] == "step" for call in self.calls))  # loss n at the n-th step

    def status(self, loss):
        return f"loss {loss}"

    def validate(self, epoch, steps, loss, seconds):
        self.calls.append(("validate", epoch, steps, loss))

    def stop_reason(self, epoch, budget_spent):
        passes = sum(call[0] == "validate" for call in self.calls)
        return budget_spent or ("enough" if passes == self.stop_after else "")


def _run(run, **limits):
    with Progress(disable=True) as bar:
        return run_epochs(run, bar, "test", started=0.0, **limits)


def test_validation_after_every_eval_every_steps_and_each_epoch_end_with_the_mean_loss_since_the_last():
    run = Recorder()
    assert _run(run, epochs=2, eval_every=2) == (6, EPOCH_LIMIT)
    passes = [call[1:] for call in run.calls if call[0] == "validate"]
    assert passes == [(1, 2, 1.5), (1, 3, 3.0), (2, 4, 4.0), (2, 6, 5.5)]  # (epoch, steps, mean loss)


def test_the_run_stops_the_loop_right_after_the_pass_that_says_so():
    run = Recorder(stop_after=2)
    assert _run(run, epochs=5) == (6, "enough")
    assert run.calls[-1][0] == "validate" and [c[0] for c in run.calls].count("step") == 6


def test_a_spent_budget_validates_after_the_step_and_tells_the_run():
    run = Recorder()
    assert _run(run, epochs=3, budget_s=0) == (1, "time budget of 0 s spent")
    assert [call[0] for call in run.calls] == ["step", "validate"]
