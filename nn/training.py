"""Training: the `fit` loop, its `History`, callbacks such as `EarlyStopping`, and random
restarts.

Epochs are numbered from 1, as the progress bar counts them ("epoch 3/20" is the third):
`history.best_epoch`, the `epoch` a callback is given and the epoch numbers in messages all
count that way. The History's lists hold one entry per epoch, so epoch `n`'s measurements are
at index `n - 1`, which `history.at(n)` reads.

`fit` runs the loop every PyTorch program writes by hand: for each epoch, shuffle, and for each
mini-batch zero the gradients, compute the loss, backpropagate and step the optimizer; then
measure the validation set, step the learning-rate scheduler and ask the callbacks whether to
stop.

>>> import nn
>>> X, y = nn.make_blobs(100, seed=0)
>>> model = nn.Linear(2, 2, seed=0)
>>> history = nn.fit(model, nn.cross_entropy, nn.SGD(model.parameters(), lr=0.1), X, y,
...                  epochs=5, task="multiclass", progress=False, seed=0)
>>> history.epochs, history.train_accuracy[-1]
(5, 1.0)
"""

from __future__ import annotations

import math
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, cast

import numpy as np

from autograd import Value, no_grad
from nn.checks import Seed, choice, is_whole_number, number, whole_number
from nn.data import batches
from nn.module import Module
from nn.optim import Optimizer, ReduceLROnPlateau

TASKS = ("regression", "multiclass", "binary_logits", "binary_probs")
LossFunction = Callable[[Value, np.ndarray], Value]


# ---------------------------------------------------------------------------------------------
# Accuracy.


def accuracy(outputs: Any, targets: Any, task: str) -> float:
    """The fraction of samples whose predicted class is the target class.

    How outputs become predicted classes depends on the task:

    - "multiclass": outputs of shape (N, C), one score per class (logits or probabilities);
      the prediction is the class with the largest score. Targets are class indices of shape
      (N,) or one-hot rows of shape (N, C).
    - "binary_logits": one output per sample, shape (N,) or (N, 1), a logit (or any score
      whose sign decides, such as a hinge-loss margin); the prediction is class 1 where the
      output is > 0.
    - "binary_probs": one probability per sample (after a sigmoid); class 1 where it is > 0.5.

    For the binary tasks a target counts as class 1 when it is > 0.5, so 0/1 labels and
    -1/+1 labels both work. Accuracy is not defined for "regression".

    >>> accuracy(np.array([[2.0, 1.0], [0.0, 3.0]]), np.array([0, 0]), "multiclass")
    0.5
    >>> accuracy(np.array([-1.5, 0.3, 2.0]), np.array([0, 1, 0]), "binary_logits")
    0.6666666666666666
    """
    outputs, targets = np.asarray(outputs), np.asarray(targets)
    if task == "multiclass":
        if outputs.ndim != 2 or outputs.shape[1] < 2:
            raise ValueError(f"accuracy: task 'multiclass' needs outputs of shape (N, classes) "
                             f"with at least 2 classes, got shape {outputs.shape}; for one "
                             "output per sample use 'binary_logits' or 'binary_probs'")
        predicted = outputs.argmax(axis=-1)
        if targets.shape == outputs.shape:
            targets = targets.argmax(axis=-1)
        elif targets.shape != predicted.shape:
            raise ValueError(f"accuracy: for outputs of shape {outputs.shape} the targets must "
                             f"be class indices of shape {predicted.shape} or one-hot rows of "
                             f"shape {outputs.shape}, got shape {targets.shape}")
        return float(np.mean(predicted == targets))
    if task in ("binary_logits", "binary_probs"):
        n = len(targets) if targets.ndim else 1
        if outputs.size != n or targets.size != n:
            raise ValueError(f"accuracy: task {task!r} needs one output and one target per "
                             f"sample, shapes (N,) or (N, 1), got outputs of shape "
                             f"{outputs.shape} and targets of shape {targets.shape}")
        threshold = 0.0 if task == "binary_logits" else 0.5
        return float(np.mean((outputs.ravel() > threshold) == (targets.ravel() > 0.5)))
    raise ValueError(f"accuracy: task must be one of 'multiclass', 'binary_logits' or "
                     f"'binary_probs' (accuracy is not defined for {task!r})")


# ---------------------------------------------------------------------------------------------
# History and callbacks.


@dataclass
class History:
    """What `fit` measured, one entry per epoch.

    `train_loss` and `train_accuracy` are averages over the epoch's mini-batches (weighted by
    their sizes; the model changes during the epoch), `val_loss` and `val_accuracy` are measured
    on the validation set at the end of the epoch, and `lr` is the learning rate the epoch
    used. The accuracy lists stay empty for task "regression" and the validation lists when
    there is no validation set. `best_epoch`, set by `EarlyStopping`, is the number of the best
    epoch, counted from 1 as the progress bar counts: `at(best_epoch)` gives its measurements.

    `gradient_norm`, `update_ratio` (by layer), `dead_fraction` (by ReLU module) and
    `saturated_fraction` (by sigmoid and tanh module) hold a list per name, one entry per
    epoch, when `nn.GradientFlow` watched the training (see `nn.diagnostics`); otherwise they
    stay empty. `plot()` draws everything recorded.

    >>> history = History(train_loss=[0.9, 0.5, 0.7], lr=[0.1, 0.1, 0.05], best_epoch=2)
    >>> history.epochs, history.at(history.best_epoch)
    (3, {'train_loss': 0.5, 'lr': 0.1})
    """

    train_loss: list[float] = field(default_factory=list)
    train_accuracy: list[float] = field(default_factory=list)
    val_loss: list[float] = field(default_factory=list)
    val_accuracy: list[float] = field(default_factory=list)
    lr: list[float] = field(default_factory=list)
    best_epoch: int | None = None
    gradient_norm: dict[str, list[float]] = field(default_factory=dict)
    update_ratio: dict[str, list[float]] = field(default_factory=dict)
    dead_fraction: dict[str, list[float]] = field(default_factory=dict)
    saturated_fraction: dict[str, list[float]] = field(default_factory=dict)

    @property
    def epochs(self) -> int:
        """How many epochs were run."""
        return len(self.train_loss)

    def at(self, epoch: int) -> dict[str, float]:
        """The measurements of epoch number `epoch` (counted from 1) by name, leaving out what
        was not measured."""
        if not is_whole_number(epoch) or not 1 <= epoch <= self.epochs:
            raise ValueError(f"History.at: epoch must be the number of an epoch run, from 1 to "
                             f"{self.epochs}, got {epoch!r}")
        names = ("train_loss", "train_accuracy", "val_loss", "val_accuracy", "lr")
        return {name: getattr(self, name)[epoch - 1] for name in names if getattr(self, name)}

    def latest(self) -> dict[str, float]:
        """The last epoch's measurements by name (empty before the first epoch)."""
        return self.at(self.epochs) if self.epochs else {}

    def plot(self) -> Any:
        """Draw what was recorded in one matplotlib figure, and return the figure: the loss
        and the accuracy (training and validation), and, when `nn.GradientFlow` watched, the
        gradient norm and update ratio of each layer (log scales, with the 1e-3 rule of thumb)
        and the fractions of dead ReLU units and saturated sigmoid and tanh outputs, against
        the epoch. Needs matplotlib (`pip install 'learngrad[plot]'`), imported only here.
        """
        from nn.diagnostics import plot_history

        return plot_history(self)


class Callback:
    """Hooks `fit` calls during training; subclass and override the ones you need.

    Any object with some of these methods works as a callback too: `fit` calls only the
    methods an object has. One more is optional and not defined here, so that fit calls
    nothing per batch for callbacks without it: `on_batch_end(history, model)`, called after
    each optimizer step (as `nn.GradientFlow` does).
    """

    def on_train_begin(self, history: History, model: Module) -> None:
        """Called once before the first epoch."""

    def on_epoch_end(self, epoch: int, history: History, model: Module) -> bool | None:
        """Called after epoch number `epoch` (counted from 1) is recorded; True stops."""
        return None

    def on_train_end(self, history: History, model: Module) -> None:
        """Called once when training ends: after the last epoch, when a callback stopped it,
        or when an exception (Ctrl-C included) interrupted it, before the exception goes on."""


class EarlyStopping(Callback):
    """Stop when a measurement has not improved for `patience` epochs; restore the best weights.

    `monitor` names a list of the History: "val_loss" (the default), "val_accuracy",
    "train_loss" or "train_accuracy". Losses improve by going down and accuracies by going up,
    each by more than `min_delta`. Training stops after `patience` epochs in a row without
    improvement, that is `patience` epochs after the best one. With `restore_best` the
    model's weights are then set back to those of the best epoch (also when training ran out
    of epochs first). `history.best_epoch` says which epoch that was.

    >>> import nn
    >>> X, y = nn.make_moons(40, noise=0.3, seed=0)      # few noisy points: easy to overfit
    >>> validation = nn.make_moons(100, noise=0.3, seed=1)
    >>> model = nn.Sequential(nn.Linear(2, 16, seed=0), nn.Tanh(), nn.Linear(16, 2, seed=1))
    >>> history = nn.fit(model, nn.cross_entropy, nn.Adam(model.parameters(), lr=0.05), X, y,
    ...                  epochs=500, validation=validation, task="multiclass",
    ...                  callbacks=[nn.EarlyStopping(patience=10)], progress=False, seed=0)
    >>> history.epochs < 500, history.epochs == history.best_epoch + 10  # then 10 without progress
    (True, True)
    """

    MONITORS = ("val_loss", "val_accuracy", "train_loss", "train_accuracy")

    def __init__(self, patience: int, monitor: str = "val_loss", min_delta: float = 0.0,
                 restore_best: bool = True) -> None:
        self.patience = whole_number("EarlyStopping", "patience", patience, unit=" of epochs")
        self.monitor = choice("EarlyStopping", "monitor", monitor, self.MONITORS)
        self.min_delta = number("EarlyStopping", "min_delta", min_delta, low=0)
        self.restore_best = restore_best
        self._reset()

    def on_train_begin(self, history: History, model: Module) -> None:
        """Forget any earlier run, so one EarlyStopping can serve several fits."""
        self._reset()

    def _reset(self) -> None:
        self.best = math.inf if self._minimizes else -math.inf
        self.best_epoch: int | None = None
        self.best_state: dict[str, np.ndarray] | None = None
        self.epochs_without_improvement = 0

    @property
    def _minimizes(self) -> bool:
        return self.monitor.endswith("loss")

    def _improves(self, value: float) -> bool:
        if self._minimizes:
            return value < self.best - self.min_delta
        return value > self.best + self.min_delta

    def on_epoch_end(self, epoch: int, history: History, model: Module) -> bool:
        """Remember the weights of a new best epoch; say stop after `patience` epochs without."""
        values = getattr(history, self.monitor)
        if not values:
            hint = ("pass validation=(X_val, y_val) to fit" if self.monitor.startswith("val")
                    else "pass a classification task to fit")
            raise ValueError(f"EarlyStopping: monitors {self.monitor!r} but fit records none; "
                             f"{hint}, or monitor another of {self.MONITORS}")
        if self._improves(values[-1]):
            self.best = values[-1]
            self.best_epoch = history.best_epoch = epoch
            self.epochs_without_improvement = 0
            if self.restore_best:
                self.best_state = model.state_dict()
        else:
            self.epochs_without_improvement += 1
        return self.epochs_without_improvement >= self.patience

    def on_train_end(self, history: History, model: Module) -> None:
        """Load the best epoch's weights back into the model (with `restore_best`)."""
        if self.restore_best and self.best_state is not None:
            model.load_state_dict(self.best_state)


class _ProgressBar:
    """One line on stderr, redrawn after each epoch: the epochs done and the latest numbers."""

    WIDTH = 20
    LABELS = {"train_loss": "loss", "train_accuracy": "acc", "val_loss": "val_loss",
              "val_accuracy": "val_acc", "lr": "lr"}

    def __init__(self, epochs: int) -> None:
        self.epochs = epochs
        self.length = 0  # of the line drawn last, to blank out what a shorter line leaves

    def update(self, history: History) -> None:
        done = history.epochs
        filled = self.WIDTH * done // self.epochs
        numbers = "  ".join(f"{self.LABELS[name]} {value:.4g}"
                            for name, value in history.latest().items())
        line = (f"epoch {done:>{len(str(self.epochs))}}/{self.epochs} "
                f"[{'#' * filled}{'.' * (self.WIDTH - filled)}]  {numbers}")
        sys.stderr.write("\r" + line.ljust(self.length))
        sys.stderr.flush()
        self.length = len(line)

    def close(self) -> None:
        sys.stderr.write("\n")
        sys.stderr.flush()


# ---------------------------------------------------------------------------------------------
# The training loop.


def _run_epoch(model: Module, loss_fn: LossFunction, X: Any, y: Any, batch_size: int | None,
               task: str, optimizer: Optimizer | None, rng: np.random.Generator | None,
               after_step: Callable[[], None] | None = None) -> tuple[float, float | None]:
    """One pass over the data: training (shuffled, one optimizer step per mini-batch, then
    `after_step()`) when an optimizer is given, measuring only otherwise. Returns the mean loss
    and the accuracy (None for regression), both averaged over the samples."""
    total_loss = total_correct = 0.0
    for xb, yb in batches(X, y, batch_size, shuffle=optimizer is not None, seed=rng):
        outputs = model(Value(xb, requires_grad=False, copy=False))  # xb is a fresh batch
        if task != "multiclass":
            yb = _one_target_per_output(outputs, yb)
        loss = loss_fn(outputs, yb)
        if not isinstance(loss, Value) or loss.size != 1:
            raise TypeError(f"fit: loss_fn must return a single-number Value (the mean loss of "
                            f"the batch), got {type(loss).__name__} with shape "
                            f"{np.asarray(loss).shape}")
        if optimizer is not None:
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            if after_step is not None:
                after_step()
        total_loss += loss.item() * len(yb)
        if task != "regression":
            total_correct += accuracy(outputs, yb, task) * len(yb)
    n = len(X)
    return total_loss / n, None if task == "regression" else total_correct / n


def _one_target_per_output(outputs: Any, targets: np.ndarray) -> np.ndarray:
    """With one output per sample, the targets in the outputs' shape: (N,) targets become
    (N, 1) for outputs of shape (N, 1), and the other way round. A loss then pairs each output
    with its own target, where broadcasting would pair every output with every target."""
    shape = np.asarray(outputs).shape
    if targets.ndim == 1 and shape == (len(targets), 1):
        return targets[:, None]
    if targets.shape == (len(targets), 1) and shape == (len(targets),):
        return targets[:, 0]
    return targets


def evaluate(model: Module, loss_fn: LossFunction, X: Any, y: Any,
             batch_size: int | None = None,
             task: str = "regression") -> tuple[float, float | None]:
    """The model's mean loss on (X, y) and its accuracy (None for task "regression").

    Runs in evaluation mode (Dropout off) without recording gradients, in batches of
    `batch_size` (None: all at once), then puts the model back in the mode it was in. See
    `accuracy` for the tasks, and `fit` for targets of shape (N,) against outputs (N, 1).

    >>> import nn
    >>> model = nn.Linear(2, 1, seed=0)
    >>> loss, acc = evaluate(model, nn.mse_loss, np.zeros((4, 2)), np.zeros((4, 1)))
    >>> round(loss, 6), acc
    (0.0, None)
    """
    choice("evaluate", "task", task, TASKS)
    was_training = model.training
    model.eval()
    try:
        with no_grad():
            return _run_epoch(model, loss_fn, X, y, batch_size, task, None, None)
    finally:
        model.train(was_training)


def _plateau_metric(scheduler: ReduceLROnPlateau, history: History) -> float:
    """What ReduceLROnPlateau watches: the loss in mode "min", the accuracy in mode "max",
    of the validation set when there is one, else of the training set."""
    kind = "loss" if scheduler.mode == "min" else "accuracy"
    values = getattr(history, f"val_{kind}") or getattr(history, f"train_{kind}")
    if not values:
        raise ValueError("fit: ReduceLROnPlateau(mode='max') watches an accuracy, but task "
                         "'regression' records none; use mode='min' (the loss) or a "
                         "classification task")
    return values[-1]


def fit(model: Module, loss_fn: LossFunction, optimizer: Optimizer, X: Any, y: Any,
        epochs: int, batch_size: int | None = None,
        validation: tuple[Any, Any] | None = None, callbacks: Iterable[Any] = (),
        scheduler: Any = None, progress: bool = True, seed: Seed = None,
        task: str = "regression") -> History:
    """Train `model` on (X, y) for `epochs` epochs and return the History of each epoch.

    Each epoch shuffles the samples and, for each mini-batch of `batch_size` samples (None: the
    whole set, 1: stochastic gradient descent), computes `loss_fn(model(Value(X_batch)),
    y_batch)` (the batch a constant Value), a single-number Value, zeroes the gradients,
    backpropagates the loss and steps the optimizer. Then, if `validation=(X_val, y_val)` is
    given, it measures the validation set with `evaluate` (evaluation mode, no gradients,
    batches of the same size).
    `task` ("regression", "multiclass", "binary_logits" or "binary_probs") says how outputs
    become classes for the accuracy; see `accuracy`. Regression records the loss only.
    With one output per sample (every task but "multiclass"), targets of shape (N,) are given
    to `loss_fn` as (N, 1) when the model outputs (N, 1), and (N, 1) targets as (N,) for
    outputs of shape (N,), so that each output meets its own target: `make_circles` labels
    train a model with one output unit as they are.

    After the measurements the `scheduler` steps: a ReduceLROnPlateau with the validation loss
    (the training loss without a validation set; the accuracy in its mode "max"), any other
    with `scheduler.step()`. Then each callback's `on_epoch_end(epoch, history, model)` runs
    (`epoch` counted from 1, as the progress bar counts), and training stops early when one
    returns True. A callback with `on_batch_end(history, model)` also hears of every optimizer
    step; `callbacks=[nn.GradientFlow()]` records the gradient flow of each epoch (gradient
    norms, update ratios, dead and saturated units) into the History, for `history.plot()`.
    `progress` draws a one-line bar on stderr.

    `seed` fixes the order of the mini-batches: the same seed, data and initial weights (e.g.
    `nn.Linear(..., seed=0)`) give the same History and the same trained weights.
    """
    if not isinstance(model, Module):
        raise TypeError(f"fit: model must be an nn.Module, got {type(model).__name__}")
    if not isinstance(optimizer, Optimizer):
        raise TypeError(f"fit: optimizer must be an nn optimizer (SGD, Adam), got "
                        f"{type(optimizer).__name__}")
    whole_number("fit", "epochs", epochs)
    choice("fit", "task", task, TASKS)
    if not isinstance(callbacks, Iterable):
        raise TypeError(f"fit: callbacks must be a list of callbacks, e.g. "
                        f"callbacks=[nn.EarlyStopping(patience=10)], got "
                        f"{type(callbacks).__name__}")
    if scheduler is not None and not callable(getattr(scheduler, "step", None)):
        raise TypeError(f"fit: scheduler must be a learning-rate scheduler (nn.StepLR, "
                        f"nn.ExponentialLR, nn.ReduceLROnPlateau), got "
                        f"{type(scheduler).__name__}")
    if validation is not None and not (isinstance(validation, tuple | list)
                                       and len(validation) == 2):
        raise ValueError("fit: validation must be a pair (X_val, y_val), got "
                         f"{type(validation).__name__}")
    rng = np.random.default_rng(seed)
    history = History()
    callbacks = list(callbacks)
    batch_hooks = [callback.on_batch_end for callback in callbacks
                   if hasattr(callback, "on_batch_end")]

    def after_step() -> None:
        for hook in batch_hooks:
            hook(history, model)

    bar = _ProgressBar(epochs) if progress else None
    try:
        _notify(callbacks, "on_train_begin", history, model)
        for epoch in range(1, epochs + 1):  # numbered as the progress bar shows them
            history.lr.append(optimizer.lr)
            model.train()
            loss, acc = _run_epoch(model, loss_fn, X, y, batch_size, task, optimizer, rng,
                                   after_step if batch_hooks else None)
            _record(history, "train", loss, acc)
            if validation is not None:
                _record(history, "val", *evaluate(model, loss_fn, *validation, batch_size, task))
            if isinstance(scheduler, ReduceLROnPlateau):
                scheduler.step(_plateau_metric(scheduler, history))
            elif scheduler is not None:
                scheduler.step()
            stop = _notify(callbacks, "on_epoch_end", epoch, history, model)
            if bar:
                bar.update(history)
            if stop:
                break
    finally:  # also when training is interrupted (Ctrl-C, an error): hooks come off, and so on
        if bar:
            bar.close()
        _notify(callbacks, "on_train_end", history, model)
    return history


def _record(history: History, part: str, loss: float, acc: float | None) -> None:
    getattr(history, f"{part}_loss").append(loss)
    if acc is not None:
        getattr(history, f"{part}_accuracy").append(acc)


def _notify(callbacks: list[Any], hook: str, *args: Any) -> bool:
    """Call `hook` on every callback that has it; True if any of them returned True."""
    answers = [getattr(callback, hook)(*args) for callback in callbacks
               if hasattr(callback, hook)]
    return any(answer is True for answer in answers)


# ---------------------------------------------------------------------------------------------
# Random restarts.


def random_restarts(make_model: Callable[[int], Module], train: Callable[[Module], float],
                    n: int, seed: int | None = None) -> tuple[Module, float, list[float]]:
    """Train `n` models from different random initialisations and keep the best.

    `make_model(seed)` builds a fresh model from an integer seed (the seeds are derived from
    `seed`, so the whole search is reproducible), `train(model)` trains it and returns a score
    where lower is better (e.g. the final validation loss). Returns the best model, its score
    and every score in order; a NaN score (a diverged run) counts as the worst.

    >>> import nn
    >>> X, y = nn.make_xor(40, seed=0)
    >>> def make_model(seed):
    ...     return nn.Sequential(nn.Linear(2, 4, seed=seed), nn.Tanh(),
    ...                          nn.Linear(4, 2, seed=seed + 1))
    >>> def train(model):
    ...     optimizer = nn.Adam(model.parameters(), lr=0.05)
    ...     history = nn.fit(model, nn.cross_entropy, optimizer, X, y, epochs=50, progress=False)
    ...     return history.train_loss[-1]
    >>> model, score, scores = random_restarts(make_model, train, n=3, seed=0)
    >>> score == min(scores)
    True
    """
    whole_number("random_restarts", "n", n, unit=" of restarts")
    seeds = np.random.SeedSequence(seed).generate_state(n)
    best_model: Module | None = None
    best_score = math.nan
    scores: list[float] = []
    for model_seed in seeds:
        model = make_model(int(model_seed))
        score = float(train(model))
        scores.append(score)
        if score < best_score or math.isnan(best_score):  # the first score replaces NaN
            best_model, best_score = model, score
    # n >= 1 was checked above, so the first model at least was kept
    return cast(Module, best_model), best_score, scores
