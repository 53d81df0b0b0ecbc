"""Training: fit, its History and progress bar, callbacks, EarlyStopping, schedulers inside
fit, accuracy, evaluate and random restarts."""

import math

import numpy as np
import pytest

import nn
from autograd import Value, is_grad_enabled, no_grad


def blobs_model(seed=0):
    return nn.Linear(2, 2, seed=seed)


def moons_model(seed=0):
    return nn.Sequential(nn.Linear(2, 16, seed=seed), nn.Tanh(), nn.Linear(16, 2, seed=seed + 1))


def fit_moons(seed, epochs=5, **settings):
    X, y = nn.make_moons(60, noise=0.2, seed=0)
    model = moons_model()
    optimizer = nn.SGD(model.parameters(), lr=0.1, momentum=0.9)
    history = nn.fit(model, nn.cross_entropy, optimizer, X, y, epochs=epochs, batch_size=8,
                     validation=nn.make_moons(30, noise=0.2, seed=1), task="multiclass",
                     progress=False, seed=seed, **settings)
    return model, history


# -- fit ------------------------------------------------------------------------------------------


def test_fit_separates_two_blobs_and_records_every_epoch():
    X, y = nn.make_blobs(100, seed=0)
    model = blobs_model()
    history = nn.fit(model, nn.cross_entropy, nn.SGD(model.parameters(), lr=0.1), X, y,
                     epochs=20, batch_size=10, task="multiclass", progress=False, seed=0)
    assert history.epochs == 20
    assert [len(history.train_loss), len(history.train_accuracy), len(history.lr)] == [20] * 3
    assert history.val_loss == [] and history.val_accuracy == [] and history.best_epoch is None
    assert history.lr == [0.1] * 20
    assert history.train_loss[-1] < history.train_loss[0]
    assert history.train_accuracy[-1] == 1.0


def test_fit_learns_xor_with_a_micrograd_mlp_and_binary_logits():
    X, y = nn.make_xor(40, noise=0.1, seed=0)  # y of shape (40,), outputs (40, 1)
    model = nn.MLP(2, [8, 1], seed=1)
    history = nn.fit(model, nn.binary_cross_entropy_with_logits,
                     nn.Adam(model.parameters(), lr=0.05), X, y, epochs=60,
                     task="binary_logits", progress=False, seed=0)
    assert history.train_accuracy[-1] == 1.0
    assert nn.evaluate(model, nn.mse_loss, X, 1.0 * (model(X).data > 0),
                       task="binary_logits")[1] == 1.0


@pytest.mark.parametrize("loss_fn, task", [
    (nn.binary_cross_entropy_with_logits, "binary_logits"),
    (lambda out, target: nn.binary_cross_entropy(nn.sigmoid(out), target), "binary_probs"),
    (nn.mse_loss, "regression"),
])
def test_fit_pairs_each_of_one_output_per_sample_with_its_own_target(loss_fn, task):
    X, y = nn.make_circles(40, noise=0.05, seed=0)  # the library's own data: y of shape (40,)
    model = nn.Sequential(nn.Linear(2, 8, seed=0), nn.Tanh(), nn.Linear(8, 1, seed=1))
    seen = []

    def recording_loss(outputs, targets):
        seen.append(targets.shape)
        return loss_fn(outputs, targets)

    history = nn.fit(model, recording_loss, nn.SGD(model.parameters(), lr=0.0), X, y, epochs=1,
                     batch_size=16, validation=(X, y), task=task, progress=False, seed=0)
    assert seen == [(16, 1), (16, 1), (8, 1)] * 2  # the training batches, then validation's
    with no_grad():
        one_each = loss_fn(model(X), y.reshape(-1, 1)).item()
        every_pair = float(np.mean([loss_fn(model(X), np.full((40, 1), t)).item() for t in y]))
    assert history.train_loss[0] == pytest.approx(one_each, rel=1e-12)
    assert history.val_loss[0] == pytest.approx(one_each, rel=1e-12)
    assert abs(one_each - every_pair) > 1e-3  # what an (N, N) broadcast would have measured


def test_fit_gives_targets_of_shape_n_by_one_as_n_to_a_model_with_outputs_of_shape_n():
    X, y = nn.make_circles(20, seed=0)
    model = nn.Neuron(2, nonlin=False, seed=0)  # on a batch: outputs of shape (20,)
    seen = []

    def recording_loss(outputs, targets):
        seen.append(targets.shape)
        return nn.binary_cross_entropy_with_logits(outputs, targets)

    nn.fit(model, recording_loss, nn.SGD(model.parameters(), lr=0.1), X, y.reshape(-1, 1),
           epochs=1, task="binary_logits", progress=False)
    assert seen == [(20,)]


def test_multiclass_targets_are_left_as_they_are():
    X, y = nn.make_blobs(10, seed=0)
    model = nn.Linear(2, 1, seed=0)  # one output is no multiclass model: said, not reshaped
    with pytest.raises(ValueError, match=r"cross_entropy: labels must be class indices in "
                                         r"\[0, 0\] for 1 classes"):
        nn.fit(model, nn.cross_entropy, nn.SGD(model.parameters(), lr=0.1), X, y, epochs=1,
               task="multiclass", progress=False)


def test_regression_records_losses_only_and_float32_stays_float32():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(50, 3)).astype(np.float32)
    y = X @ np.array([[1.0], [-2.0], [0.5]], dtype=np.float32)
    model = nn.Linear(3, 1, seed=0, dtype=np.float32)
    history = nn.fit(model, nn.mse_loss, nn.SGD(model.parameters(), lr=0.1), X, y, epochs=30,
                     batch_size=10, validation=(X, y), progress=False, seed=0)
    assert history.train_accuracy == [] and history.val_accuracy == []
    assert len(history.val_loss) == 30 and history.val_loss[-1] < 1e-4
    assert model.weight.dtype == np.float32 and model.bias.dtype == np.float32
    np.testing.assert_allclose(model.weight.data.ravel(), [1.0, -2.0, 0.5], atol=1e-2)


def test_same_seed_gives_identical_histories_and_weights():
    model_a, history_a = fit_moons(seed=3)
    model_b, history_b = fit_moons(seed=3)
    assert history_a == history_b
    for name, weight in model_a.state_dict().items():
        np.testing.assert_array_equal(weight, model_b.state_dict()[name])
    _, history_c = fit_moons(seed=4)  # another order of the mini-batches
    assert history_c.train_loss != history_a.train_loss


class CountingSGD(nn.SGD):
    def __init__(self, params, lr):
        super().__init__(params, lr)
        self.steps = 0

    def step(self):
        self.steps += 1
        super().step()


@pytest.mark.parametrize("batch_size, steps_per_epoch", [(None, 1), (1, 10), (4, 3), (10, 1)])
def test_batch_size_sets_the_number_of_steps_per_epoch(batch_size, steps_per_epoch):
    X, y = nn.make_blobs(10, seed=0)
    model = blobs_model()
    optimizer = CountingSGD(model.parameters(), lr=0.1)
    nn.fit(model, nn.cross_entropy, optimizer, X, y, epochs=2, batch_size=batch_size,
           task="multiclass", progress=False)
    assert optimizer.steps == 2 * steps_per_epoch


def test_train_loss_is_the_sample_weighted_mean_over_the_batches():
    # With lr = 0 the model does not change, so the epoch's mean over uneven batches (4, 4, 2)
    # must equal the loss on the whole set at once.
    X, y = nn.make_moons(10, noise=0.2, seed=0)
    model = moons_model()
    history = nn.fit(model, nn.cross_entropy, nn.SGD(model.parameters(), lr=0.0), X, y,
                     epochs=1, batch_size=4, task="multiclass", progress=False, seed=0)
    loss, acc = nn.evaluate(model, nn.cross_entropy, X, y, task="multiclass")
    assert history.train_loss[0] == pytest.approx(loss, rel=1e-12)
    assert history.train_accuracy[0] == acc


class Probe(nn.Module):
    """A linear layer that notes, at each call, whether it was in training mode and whether
    gradients were being recorded."""

    def __init__(self):
        self.layer = nn.Linear(2, 2, seed=0)
        self.calls = []

    def forward(self, x):
        self.calls.append((self.training, is_grad_enabled()))
        return self.layer(x)


def test_validation_runs_in_eval_mode_without_gradients_then_back_to_training():
    X, y = nn.make_blobs(8, seed=0)
    model = Probe()
    nn.fit(model, nn.cross_entropy, nn.SGD(model.parameters(), lr=0.1), X, y, epochs=2,
           batch_size=4, validation=(X, y), task="multiclass", progress=False)
    training_call, validation_call = (True, True), (False, False)
    # per epoch: two training batches of 4, then the validation set, also in batches of 4
    assert model.calls == [training_call] * 2 + [validation_call] * 2 + [training_call] * 2 \
        + [validation_call] * 2
    assert model.training


def test_dropout_is_off_for_validation():
    X, y = nn.make_moons(20, noise=0.2, seed=0)
    model = nn.Sequential(nn.Linear(2, 16, seed=0), nn.Dropout(0.5, seed=0), nn.Linear(16, 2))
    history = nn.fit(model, nn.cross_entropy, nn.SGD(model.parameters(), lr=0.0), X, y,
                     epochs=3, validation=(X, y), task="multiclass", progress=False)
    # Nothing learns (lr = 0): the validation loss is the same deterministic number each epoch,
    # while dropout makes each training loss differ.
    assert history.val_loss[0] == history.val_loss[1] == history.val_loss[2]
    assert len(set(history.train_loss)) == 3


def test_progress_bar_is_one_line_on_stderr(capsys):
    fit_moons(seed=0, epochs=3, **{})  # progress=False in fit_moons: nothing drawn
    assert capsys.readouterr().err == ""
    X, y = nn.make_blobs(10, seed=0)
    model = blobs_model()
    nn.fit(model, nn.cross_entropy, nn.SGD(model.parameters(), lr=0.1), X, y, epochs=3,
           validation=(X, y), task="multiclass", seed=0)
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1 and captured.err.endswith("\n")
    redraws = captured.err.rstrip("\n").split("\r")[1:]
    assert len(redraws) == 3
    assert redraws[0].startswith("epoch 1/3 [######..............]  loss ")
    assert redraws[-1].startswith("epoch 3/3 [####################]  loss ")
    for name in ("acc", "val_loss", "val_acc", "lr 0.1"):
        assert name in redraws[-1]


# -- callbacks --------------------------------------------------------------------------------


class Recorder:
    """A duck-typed callback: notes the calls it gets and stops at `stop_at`."""

    def __init__(self, stop_at=None):
        self.stop_at = stop_at
        self.calls = []

    def on_train_begin(self, history, model):
        self.calls.append("begin")

    def on_epoch_end(self, epoch, history, model):
        self.calls.append(epoch)
        assert history.epochs == epoch  # numbered from 1; recorded before callbacks run
        return epoch == self.stop_at

    def on_train_end(self, history, model):
        self.calls.append("end")


def test_callbacks_are_called_in_order_and_any_of_them_can_stop_training():
    stopper, watcher = Recorder(stop_at=3), Recorder()
    _, history = fit_moons(seed=0, epochs=10, callbacks=[stopper, watcher])
    assert history.epochs == 3
    assert stopper.calls == watcher.calls == ["begin", 1, 2, 3, "end"]


def test_an_interrupted_fit_still_ends_its_callbacks():
    class Interrupt(nn.Callback):
        def on_epoch_end(self, epoch, history, model):
            if epoch == 2:
                raise KeyboardInterrupt  # Ctrl-C in a notebook

    watcher = Recorder()
    X, y = nn.make_moons(60, noise=0.2, seed=0)
    model = moons_model()
    flow = nn.GradientFlow()
    with pytest.raises(KeyboardInterrupt):
        nn.fit(model, nn.cross_entropy, nn.SGD(model.parameters(), lr=0.1), X, y, epochs=5,
               callbacks=[watcher, Interrupt(), flow], progress=False, seed=0)
    assert watcher.calls == ["begin", 1, 2, "end"]
    assert not any(module._forward_hooks for module in model.modules())  # flow closed


def test_a_callback_may_define_only_some_hooks():
    class StopAtOnce(nn.Callback):
        def on_epoch_end(self, epoch, history, model):
            return True

    class OnlyEnd:
        ended = False

        def on_train_end(self, history, model):
            OnlyEnd.ended = True

    _, history = fit_moons(seed=0, epochs=10, callbacks=[StopAtOnce(), OnlyEnd()])
    assert history.epochs == 1 and OnlyEnd.ended


class Snapshots(nn.Callback):
    """The model's weights at the end of every epoch, by the epoch's number (from 1)."""

    def __init__(self):
        self.states = {}

    def on_epoch_end(self, epoch, history, model):
        self.states[epoch] = model.state_dict()


def assert_same_weights(state, model):
    current = model.state_dict()
    assert state.keys() == current.keys()
    for name, weight in state.items():
        np.testing.assert_array_equal(current[name], weight)


def passing_through_a_minimum():
    """A model whose validation loss falls, then rises: fitting w x to targets 2 x from w = 0,
    gradient descent moves w steadily from 0 to 2, past w = 1 where the validation targets
    (1 x) are met."""
    X = np.linspace(-1, 1, 20).reshape(-1, 1)
    model = nn.Linear(1, 1, bias=False)
    model.weight.data[...] = 0.0
    return model, X, 2 * X, (X, 1 * X)


@pytest.mark.parametrize("patience", [1, 3])
def test_early_stopping_stops_patience_epochs_after_the_best_and_restores_its_weights(patience):
    model, X, y, validation = passing_through_a_minimum()
    snapshots = Snapshots()
    history = nn.fit(model, nn.mse_loss, nn.SGD(model.parameters(), lr=0.1), X, y, epochs=200,
                     validation=validation, callbacks=[snapshots, nn.EarlyStopping(patience)],
                     progress=False)
    best = history.best_epoch
    assert best == int(np.argmin(history.val_loss)) + 1  # a number, counted from 1
    assert history.at(best + 1)["val_loss"] > history.at(best)["val_loss"]  # it did rise after
    assert history.epochs == best + patience < 200
    assert abs(snapshots.states[best]["weight"].item() - 1.0) < 0.05  # the best w is near 1
    assert_same_weights(snapshots.states[best], model)
    assert not np.array_equal(snapshots.states[history.epochs]["weight"], model.weight.data)


def test_early_stopping_on_real_overfitting_restores_the_best_epoch():
    X, y = nn.make_moons(40, noise=0.3, seed=0)
    model = moons_model()
    snapshots = Snapshots()
    history = nn.fit(model, nn.cross_entropy, nn.Adam(model.parameters(), lr=0.05), X, y,
                     epochs=500, validation=nn.make_moons(100, noise=0.3, seed=1),
                     callbacks=[snapshots, nn.EarlyStopping(10)], task="multiclass",
                     progress=False, seed=0)
    assert history.epochs == history.best_epoch + 10 < 500
    assert history.at(history.best_epoch)["val_loss"] == min(history.val_loss)
    assert_same_weights(snapshots.states[history.best_epoch], model)


def test_early_stopping_restores_the_best_also_when_epochs_run_out():
    model, X, y, validation = passing_through_a_minimum()
    snapshots = Snapshots()
    history = nn.fit(model, nn.mse_loss, nn.SGD(model.parameters(), lr=0.1), X, y, epochs=60,
                     validation=validation, callbacks=[snapshots, nn.EarlyStopping(1000)],
                     progress=False)
    assert history.epochs == 60 and history.best_epoch < 60
    assert_same_weights(snapshots.states[history.best_epoch], model)


def test_early_stopping_without_restore_keeps_the_last_weights():
    model, X, y, validation = passing_through_a_minimum()
    snapshots = Snapshots()
    nn.fit(model, nn.mse_loss, nn.SGD(model.parameters(), lr=0.1), X, y, epochs=200,
           validation=validation, progress=False,
           callbacks=[snapshots, nn.EarlyStopping(2, restore_best=False)])
    assert_same_weights(snapshots.states[max(snapshots.states)], model)


def test_early_stopping_on_accuracy_and_min_delta():
    def run(monitor, min_delta):
        history = nn.History()
        stopper = nn.EarlyStopping(2, monitor=monitor, min_delta=min_delta, restore_best=False)
        for epoch, value in enumerate([0.5, 0.7, 0.74, 0.72, 0.9], start=1):
            getattr(history, monitor).append(value)
            if stopper.on_epoch_end(epoch, history, None):
                return epoch, history.best_epoch
        return None, history.best_epoch

    assert run("train_accuracy", 0.0) == (None, 5)  # 0.74 improves on 0.7, then 0.9 does
    assert run("val_accuracy", 0.05) == (4, 2)      # 0.74 and 0.72 are within 0.05 of 0.7


def test_one_early_stopping_serves_several_fits():
    stopper = nn.EarlyStopping(2)
    for _ in range(2):
        model, X, y, validation = passing_through_a_minimum()
        history = nn.fit(model, nn.mse_loss, nn.SGD(model.parameters(), lr=0.1), X, y,
                         epochs=200, validation=validation, callbacks=[stopper], progress=False)
        assert history.epochs == history.best_epoch + 2


@pytest.mark.parametrize("make, message", [
    (lambda: nn.EarlyStopping(0), "patience must be a whole number of epochs >= 1"),
    (lambda: nn.EarlyStopping(2.5), "patience must be a whole number"),
    (lambda: nn.EarlyStopping(2, monitor="loss"), "monitor must be one of"),
    (lambda: nn.EarlyStopping(2, min_delta=-0.1), "min_delta must be a finite number >= 0"),
])
def test_early_stopping_settings_errors(make, message):
    with pytest.raises(ValueError, match=message):
        make()


def test_early_stopping_on_a_measurement_fit_does_not_record_says_so():
    X, y = nn.make_blobs(10, seed=0)
    model = blobs_model()
    with pytest.raises(ValueError, match=r"monitors 'val_loss' but fit records none; pass "
                                         r"validation=\(X_val, y_val\)"):
        nn.fit(model, nn.cross_entropy, nn.SGD(model.parameters(), lr=0.1), X, y, epochs=2,
               callbacks=[nn.EarlyStopping(1)], task="multiclass", progress=False)


# -- schedulers inside fit --------------------------------------------------------------------


def test_fit_steps_an_epoch_scheduler_once_per_epoch():
    X, y = nn.make_blobs(20, seed=0)
    model = blobs_model()
    optimizer = nn.SGD(model.parameters(), lr=0.4)
    history = nn.fit(model, nn.cross_entropy, optimizer, X, y, epochs=5, batch_size=5,
                     scheduler=nn.StepLR(optimizer, step_size=2, gamma=0.5), progress=False)
    assert history.lr == [0.4, 0.4, 0.2, 0.2, 0.1]


class WatchedPlateau(nn.ReduceLROnPlateau):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.seen = []

    def step(self, metric):
        self.seen.append(metric)
        super().step(metric)


@pytest.mark.parametrize("mode, validate, watched", [
    ("min", True, "val_loss"),
    ("min", False, "train_loss"),
    ("max", True, "val_accuracy"),
    ("max", False, "train_accuracy"),
])
def test_fit_gives_reduce_on_plateau_the_loss_or_the_accuracy(mode, validate, watched):
    X, y = nn.make_moons(30, noise=0.2, seed=0)
    model = moons_model()
    optimizer = nn.SGD(model.parameters(), lr=0.1)
    scheduler = WatchedPlateau(optimizer, mode=mode, patience=1)
    history = nn.fit(model, nn.cross_entropy, optimizer, X, y, epochs=4, task="multiclass",
                     validation=(X, y) if validate else None, scheduler=scheduler,
                     progress=False)
    assert scheduler.seen == getattr(history, watched)


def test_reduce_on_plateau_in_mode_max_needs_an_accuracy():
    X = np.zeros((4, 2))
    model = nn.Linear(2, 1)
    optimizer = nn.SGD(model.parameters(), lr=0.1)
    with pytest.raises(ValueError, match="mode='max'.* but task 'regression' records none"):
        nn.fit(model, nn.mse_loss, optimizer, X, np.zeros((4, 1)), epochs=1, progress=False,
               scheduler=nn.ReduceLROnPlateau(optimizer, mode="max"))


# -- fit's errors -----------------------------------------------------------------------------


def test_fit_errors_name_the_problem():
    X, y = nn.make_blobs(10, seed=0)
    model = blobs_model()
    optimizer = nn.SGD(model.parameters(), lr=0.1)

    def call(**changes):
        settings = {"model": model, "loss_fn": nn.cross_entropy, "optimizer": optimizer,
                    "X": X, "y": y, "epochs": 1, "progress": False, **changes}
        nn.fit(**settings)

    with pytest.raises(TypeError, match="model must be an nn.Module, got function"):
        call(model=lambda x: x)
    with pytest.raises(TypeError, match="optimizer must be an nn optimizer"):
        call(optimizer="sgd")
    with pytest.raises(ValueError, match="epochs must be a whole number >= 1, got 0"):
        call(epochs=0)
    with pytest.raises(ValueError, match="task must be one of"):
        call(task="classification")
    with pytest.raises(ValueError, match=r"validation must be a pair \(X_val, y_val\)"):
        call(validation=X)
    with pytest.raises(TypeError, match=r"loss_fn must return a single-number Value.*\(10, 2\)"):
        call(loss_fn=lambda out, target: out)
    with pytest.raises(ValueError, match="X has 10 samples"):
        call(y=y[:5])


# -- accuracy and evaluate --------------------------------------------------------------------


def test_accuracy_for_each_task():
    scores = np.array([[0.1, 0.9], [0.8, 0.2], [0.3, 0.7]])
    assert nn.accuracy(scores, np.array([1, 0, 0]), "multiclass") == pytest.approx(2 / 3)
    assert nn.accuracy(Value(scores), nn.one_hot([1, 0, 1]), "multiclass") == 1.0
    logits = np.array([[2.0], [-1.0], [0.0], [0.5]])
    assert nn.accuracy(logits, np.array([1, 0, 0, 0]), "binary_logits") == 0.75  # 0 -> class 0
    assert nn.accuracy(logits.ravel(), np.array([1, -1, -1, 1]), "binary_logits") == 1.0
    probs = np.array([0.9, 0.2, 0.5, 0.51])
    assert nn.accuracy(probs, np.array([[1], [0], [0], [1]]), "binary_probs") == 1.0


@pytest.mark.parametrize("outputs, targets, task, message", [
    (np.zeros(3), np.zeros(3), "multiclass", r"outputs of shape \(N, classes\)"),
    (np.zeros((3, 1)), np.zeros(3), "multiclass", "for one output per sample use 'binary"),
    (np.zeros((3, 2)), np.zeros(4), "multiclass", r"class indices of shape \(3,\)"),
    (np.zeros((3, 2)), np.zeros(3), "binary_logits", "one output and one target per sample"),
    (np.zeros(3), np.zeros(3), "regression", "not defined for 'regression'"),
])
def test_accuracy_errors(outputs, targets, task, message):
    with pytest.raises(ValueError, match=message):
        nn.accuracy(outputs, targets, task)


@pytest.mark.parametrize("setting, message", [
    ({"callbacks": nn.EarlyStopping(patience=3)},
     r"fit: callbacks must be a list of callbacks, e\.g\. callbacks=\[nn\.EarlyStopping"),
    ({"scheduler": 0.5}, r"fit: scheduler must be a learning-rate scheduler .*got float"),
])
def test_fit_refuses_callbacks_and_a_scheduler_of_the_wrong_kind_before_training(setting,
                                                                                message):
    # a lone callback failed as 'not iterable'; a scheduler without step() only after an epoch
    model = nn.Linear(2, 2, seed=0)
    before = model.weight.data.copy()
    X, y = nn.make_blobs(20, seed=0)
    with pytest.raises(TypeError, match=message):
        nn.fit(model, nn.cross_entropy, nn.SGD(model.parameters(), lr=0.1), X, y, epochs=1,
               task="multiclass", progress=False, **setting)
    np.testing.assert_array_equal(model.weight.data, before)  # not one step was taken


def test_evaluate_restores_the_mode_and_checks_the_task():
    model = nn.Sequential(nn.Linear(2, 2, seed=0), nn.Dropout(0.5))
    X, y = nn.make_blobs(10, seed=0)
    model.eval()
    first = nn.evaluate(model, nn.cross_entropy, X, y, batch_size=3, task="multiclass")
    assert not model.training
    model.train()
    assert nn.evaluate(model, nn.cross_entropy, X, y, task="multiclass") == pytest.approx(first)
    assert model.training
    with pytest.raises(ValueError, match="evaluate: task must be one of"):
        nn.evaluate(model, nn.cross_entropy, X, y, task="multi")


def test_history_latest_and_at_leave_out_what_was_not_measured():
    history = nn.History(train_loss=[1.0, 0.5], lr=[0.1, 0.05])
    assert history.latest() == {"train_loss": 0.5, "lr": 0.05} == history.at(2)
    assert history.at(1) == {"train_loss": 1.0, "lr": 0.1}
    assert history.epochs == 2 and nn.History().latest() == {}
    for epoch in (0, 3, 1.0, True):
        with pytest.raises(ValueError, match=r"History.at: epoch must be the number of an epoch "
                                             r"run, from 1 to 2, got"):
            history.at(epoch)


def test_the_progress_bar_history_and_callbacks_number_epochs_alike(capsys):
    model, X, y, validation = passing_through_a_minimum()
    numbers = Recorder()
    history = nn.fit(model, nn.mse_loss, nn.SGD(model.parameters(), lr=0.1), X, y, epochs=200,
                     validation=validation, callbacks=[numbers, nn.EarlyStopping(3)])
    last_bar = capsys.readouterr().err.rstrip("\n").split("\r")[-1]
    assert last_bar.startswith(f"epoch {history.epochs:>3}/200 ")
    assert numbers.calls[1:-1] == list(range(1, history.epochs + 1))
    assert history.at(history.best_epoch)["val_loss"] == min(history.val_loss)
    assert history.epochs == history.best_epoch + 3


# -- random restarts --------------------------------------------------------------------------


def test_random_restarts_keeps_the_best_model_and_is_reproducible():
    built = []

    def make_model(seed):
        built.append(seed)
        return moons_model(seed)

    X, y = nn.make_moons(40, noise=0.2, seed=0)

    def train(model):
        history = nn.fit(model, nn.cross_entropy, nn.SGD(model.parameters(), lr=0.1), X, y,
                         epochs=3, task="multiclass", progress=False, seed=0)
        return history.train_loss[-1]

    model, score, scores = nn.random_restarts(make_model, train, n=4, seed=0)
    assert len(scores) == 4 and len(set(built)) == 4 and len(set(scores)) == 4
    assert score == min(scores)
    assert nn.evaluate(model, nn.cross_entropy, X, y)[0] <= max(scores)  # a trained model
    seeds_first = list(built)
    built.clear()
    _, score_again, scores_again = nn.random_restarts(make_model, train, n=4, seed=0)
    assert built == seeds_first and scores_again == scores
    built.clear()
    nn.random_restarts(make_model, train, n=4, seed=1)
    assert built != seeds_first


def test_random_restarts_counts_a_nan_score_as_the_worst():
    scores_by_seed = iter([math.nan, 2.0, 1.0, math.nan])
    models = []

    def make_model(seed):
        models.append(nn.Linear(1, 1, seed=seed))
        return models[-1]

    model, score, scores = nn.random_restarts(make_model, lambda m: next(scores_by_seed), n=4)
    assert score == 1.0 and model is models[2]
    assert math.isnan(scores[0]) and scores[1:3] == [2.0, 1.0] and math.isnan(scores[3])


def test_random_restarts_needs_at_least_one_run():
    with pytest.raises(ValueError, match="n must be a whole number of restarts >= 1, got 0"):
        nn.random_restarts(lambda seed: nn.Linear(1, 1), lambda model: 0.0, n=0)
