"""Gradient-flow diagnostics: GradientFlow's records (gradient norms, update ratios, dead and
saturated units) against values computed by hand, in fit and in a loop of one's own, and
History.plot."""

import math
import sys

import matplotlib
import numpy as np
import pytest

import nn
from autograd import Value, no_grad
from nn.diagnostics import SATURATION_MARGIN, layers_of

matplotlib.use("Agg")


def fixed(layer, weight, bias):
    layer.weight.data[...] = weight
    layer.bias.data[...] = bias
    return layer


# -- which layers -----------------------------------------------------------------------------


class Net(nn.Module):
    def __init__(self):
        self.encoder = nn.Linear(3, 4, seed=0)
        self.blocks = [nn.Linear(4, 4, seed=1), nn.Tanh()]
        self.scale = Value(2.0)

    def forward(self, x):
        return self.blocks[1](self.blocks[0](self.encoder(x))) * self.scale


def test_layers_are_the_modules_holding_parameters_and_micrograds_layers_whole():
    assert {name: len(p) for name, p in layers_of(nn.Sequential(
        nn.Linear(2, 3), nn.ReLU(), nn.Sequential(nn.Linear(3, 3), nn.Tanh()),
        nn.Linear(3, 1, bias=False))).items()} == {"0": 2, "2.0": 2, "3": 1}
    assert {name: len(p) for name, p in layers_of(nn.MLP(2, [3, 1])).items()} == {
        "layers.0": 9, "layers.1": 4}  # 3 neurons of 2 weights and a bias; then 3 + 1
    assert list(layers_of(Net())) == ["Net", "encoder", "blocks.0"]  # Net holds `scale`
    assert list(layers_of(nn.Linear(2, 2))) == ["Linear"]


# -- gradient norms and update ratios ---------------------------------------------------------


def test_gradient_norm_and_update_ratio_are_the_means_over_the_epochs_steps():
    X = np.array([[1.0, 2.0], [0.5, -1.0], [2.0, 0.0], [-1.0, 1.0]])
    y = np.array([[1.0], [0.0], [2.0], [-1.0]])
    model, twin = nn.Linear(2, 1, seed=0), nn.Linear(2, 1, seed=0)
    history = nn.fit(model, nn.mse_loss, nn.SGD(model.parameters(), lr=0.1), X, y, epochs=2,
                     batch_size=2, callbacks=[nn.GradientFlow()], progress=False, seed=0)
    # the same training by hand on the twin, measuring each step as the definitions say
    rng = np.random.default_rng(0)
    norms, ratios = [], []
    for _ in range(2):
        for xb, yb in nn.batches(X, y, 2, seed=rng):
            twin.zero_grad()
            nn.mse_loss(twin(xb), yb).backward()
            params = twin.parameters()
            before = np.concatenate([p.data.ravel() for p in params])
            gradient = np.concatenate([p.grad.ravel() for p in params])
            for p in params:
                p.data = p.data - 0.1 * p.grad
            after = np.concatenate([p.data.ravel() for p in params])
            norms.append(np.linalg.norm(gradient))
            ratios.append(np.linalg.norm(after - before) / np.linalg.norm(before))
    np.testing.assert_allclose(history.gradient_norm["Linear"],
                               [np.mean(norms[:2]), np.mean(norms[2:])], rtol=1e-12)
    np.testing.assert_allclose(history.update_ratio["Linear"],
                               [np.mean(ratios[:2]), np.mean(ratios[2:])], rtol=1e-10)
    assert history.dead_fraction == {} and history.saturated_fraction == {}


def test_the_norms_of_a_float32_layer_are_measured_in_float64():
    model = nn.Linear(2, 1, seed=0, dtype=np.float32)
    flow = nn.GradientFlow(model)
    model.weight.grad = np.array([[3e20, 4e20]], dtype=np.float32)  # squares overflow float32
    model.weight.data = model.weight.data * np.float32(1e20)
    flow.step()
    record = flow.end_epoch()
    assert record["gradient_norm"]["Linear"] == pytest.approx(5e20, rel=1e-6)  # was inf
    assert np.isfinite(record["update_ratio"]["Linear"])  # was NaN: inf / inf


def test_a_vanishing_gradient_shows_layer_by_layer():
    model = nn.Sequential(*[m for i in range(6) for m in (
        nn.Linear(4, 4, seed=i, init="glorot"), nn.Sigmoid())], nn.Linear(4, 1, seed=9))
    X = np.random.default_rng(0).normal(size=(32, 4))
    history = nn.fit(model, nn.mse_loss, nn.SGD(model.parameters(), lr=0.0), X,
                     np.sin(X.sum(axis=1)), epochs=1, callbacks=[nn.GradientFlow()],
                     progress=False)
    norms = [values[0] for values in history.gradient_norm.values()]
    assert list(history.gradient_norm) == ["0", "2", "4", "6", "8", "10", "12"]
    assert all(a < b for a, b in zip(norms, norms[1:], strict=False))  # shrinking backwards
    assert norms[0] < norms[-1] / 1000
    assert history.update_ratio["0"] == [0.0]  # lr 0: nothing moves


def test_all_zero_weights_have_no_update_ratio():
    model = nn.Linear(2, 1)
    model.weight.data[...] = 0.0  # the bias is 0 too: the norm before the first step is 0
    history = nn.fit(model, nn.mse_loss, nn.SGD(model.parameters(), lr=0.1),
                     np.ones((4, 2)), np.ones((4, 1)), epochs=2, batch_size=4,
                     callbacks=[nn.GradientFlow()], progress=False)
    assert math.isnan(history.update_ratio["Linear"][0])  # its only step started from zero
    assert history.update_ratio["Linear"][1] > 0


# -- dead and saturated units -----------------------------------------------------------------


def test_relu_units_that_never_fire_in_an_epochs_training_are_dead():
    # units 0 and 1 get a bias of -100: never positive on the training data
    model = nn.Sequential(fixed(nn.Linear(2, 4), np.ones((4, 2)), [-100, -100, 0, 0]),
                          nn.ReLU(), nn.Linear(4, 1, seed=0))
    X = np.abs(np.random.default_rng(0).normal(size=(20, 2)))
    history = nn.fit(model, nn.mse_loss, nn.SGD(model.parameters(), lr=0.0), X,
                     np.zeros((20, 1)), epochs=2, batch_size=5, callbacks=[nn.GradientFlow()],
                     validation=(1000 * X, np.zeros((20, 1))), progress=False)
    # validation's large inputs make them fire, but it runs without gradients: not counted
    assert history.dead_fraction == {"1": [0.5, 0.5]}


class ScaledTanh(nn.Tanh):
    """A user's subclass: still a tanh, watched as one."""


@pytest.mark.parametrize("activation, limits", [(nn.Tanh, (-1, 1)), (nn.Sigmoid, (0, 1)),
                                                (ScaledTanh, (-1, 1))])
def test_outputs_within_one_percent_of_the_range_from_a_limit_are_saturated(activation, limits):
    low, high = limits
    margin = SATURATION_MARGIN * (high - low)
    inverse = np.arctanh if issubclass(activation, nn.Tanh) else (lambda p: np.log(p / (1 - p)))
    # pre-activations whose outputs lie just inside, just outside and far from the margins
    targets = [high - 0.5 * margin, high - 2 * margin, low + 0.5 * margin, (low + high) / 2,
               low + 1.5 * margin, high - 0.1 * margin]
    pre = inverse(np.array(targets))
    model = nn.Sequential(fixed(nn.Linear(1, 6), pre.reshape(6, 1), 0.0), activation())
    flow = nn.GradientFlow(model)
    model(np.ones((3, 1)))  # three samples, six units: 18 outputs, 9 of them saturated
    flow.step()
    record = flow.end_epoch()
    assert record["saturated_fraction"] == {"1": pytest.approx(0.5)}
    flow.close()


# -- in a loop of one's own -------------------------------------------------------------------


def test_a_loop_of_ones_own_records_through_step_and_end_epoch_and_close_takes_the_hooks_off():
    X, y = nn.make_moons(32, seed=0)
    model = nn.Sequential(nn.Linear(2, 8, seed=0), nn.ReLU(), nn.Linear(8, 2, seed=1),
                          nn.Sigmoid())
    optimizer = nn.SGD(model.parameters(), lr=0.1)
    history = nn.History()
    with nn.GradientFlow(model, history) as flow:
        assert model[1]._forward_hooks and model[3]._forward_hooks
        for epoch in range(3):
            for xb, yb in nn.batches(X, y, 8, seed=epoch):
                loss = nn.cross_entropy(model(xb), yb)
                optimizer.zero_grad()
                loss.backward()
                optimizer.step()
                flow.step()
            with no_grad():
                model(100 * X)  # an evaluation: not a training pass
            record = flow.end_epoch()
    assert not model[1]._forward_hooks and not model[3]._forward_hooks
    assert flow.history is history
    assert [len(history.gradient_norm[name]) for name in ("0", "2")] == [3, 3]
    assert record == {measurement: {name: values[-1] for name, values in
                                    getattr(history, measurement).items()}
                      for measurement in record}
    assert list(history.dead_fraction) == ["1"] and list(history.saturated_fraction) == ["3"]
    assert history.train_loss == []  # the loop's own numbers are the loop's to record


def test_misuse_is_explained():
    flow = nn.GradientFlow()
    with pytest.raises(RuntimeError, match=r"GradientFlow.step: no model is watched"):
        flow.step()
    with pytest.raises(TypeError, match=r"GradientFlow: the model must be an nn.Module, got "
                                        r"function"):
        nn.GradientFlow(lambda x: x)
    flow.watch(nn.Linear(2, 1))
    with pytest.raises(RuntimeError, match=r"end_epoch: no step was recorded this epoch; call "
                                           r"flow.step\(\) after each optimizer.step\(\)"):
        flow.end_epoch()


def test_ending_an_epoch_before_watching_a_model_is_explained():
    with pytest.raises(RuntimeError, match=r"GradientFlow.end_epoch: no model is watched"):
        nn.GradientFlow().end_epoch()  # was an AttributeError: no attribute '_steps'


def test_fit_tells_a_callback_of_every_optimizer_step_and_takes_the_hooks_off_at_the_end():
    class StepCounter:
        steps = 0

        def on_batch_end(self, history, model):
            StepCounter.steps += 1

    X, y = nn.make_moons(30, seed=0)
    model = nn.Sequential(nn.Linear(2, 4, seed=0), nn.ReLU(), nn.Linear(4, 2, seed=1))
    history = nn.fit(model, nn.cross_entropy, nn.SGD(model.parameters(), lr=0.1), X, y,
                     epochs=2, batch_size=8, validation=(X, y), task="multiclass",
                     callbacks=[StepCounter(), nn.GradientFlow(), nn.EarlyStopping(5)],
                     progress=False, seed=0)
    assert StepCounter.steps == 2 * 4  # 30 samples in batches of 8: 4 steps per epoch
    assert not model[1]._forward_hooks
    assert all(len(values) == 2 for values in history.gradient_norm.values())


def test_a_micrograd_mlp_gets_gradient_norms_per_layer():
    X, y = nn.make_xor(20, seed=0)
    model = nn.MLP(2, [4, 1], seed=0)
    history = nn.fit(model, nn.binary_cross_entropy_with_logits,
                     nn.SGD(model.parameters(), lr=0.1), X, y, epochs=2,
                     callbacks=[nn.GradientFlow()], task="binary_logits", progress=False)
    assert list(history.gradient_norm) == ["layers.0", "layers.1"]
    assert all(np.isfinite(v).all() and min(v) > 0 for v in history.gradient_norm.values())
    assert history.dead_fraction == {}  # its relu is inside the neurons, not a module


# -- History.plot -----------------------------------------------------------------------------


def test_history_plot_draws_loss_accuracy_and_the_diagnostics_in_one_figure():
    X, y = nn.make_moons(40, seed=0)
    model = nn.Sequential(nn.Linear(2, 8, seed=0), nn.ReLU(), nn.Linear(8, 8, seed=1),
                          nn.Tanh(), nn.Linear(8, 2, seed=2))
    history = nn.fit(model, nn.cross_entropy, nn.SGD(model.parameters(), lr=0.1), X, y,
                     epochs=3, validation=(X, y), task="multiclass",
                     callbacks=[nn.GradientFlow()], progress=False)
    figure = history.plot()
    visible = [ax for ax in figure.axes if ax.get_visible()]
    assert [ax.get_title() for ax in visible] == [
        "loss", "accuracy", "gradient norm per layer", "update / weight norm per layer",
        "dead ReLU units", "saturated sigmoid / tanh outputs"]
    loss_ax, _, norm_ax, ratio_ax, *_ = visible
    assert [line.get_label() for line in loss_ax.get_lines()] == ["training", "validation"]
    np.testing.assert_allclose(loss_ax.get_lines()[0].get_ydata(), history.train_loss)
    assert list(loss_ax.get_lines()[0].get_xdata()) == [1, 2, 3]  # epochs from 1
    assert [line.get_label() for line in norm_ax.get_lines()] == ["0", "2", "4"]
    assert norm_ax.get_yscale() == "log" and ratio_ax.get_yscale() == "log"
    import matplotlib.pyplot as plt

    plt.close(figure)


def test_history_plot_without_diagnostics_draws_what_there_is():
    figure = nn.History(train_loss=[1.0, 0.5]).plot()
    assert [ax.get_title() for ax in figure.axes if ax.get_visible()] == ["loss"]
    import matplotlib.pyplot as plt

    plt.close(figure)


def test_history_plot_of_nothing_recorded_says_so():
    # matplotlib's own error was "Number of rows must be a positive integer, not 0"
    with pytest.raises(ValueError, match=r"History.plot: nothing was recorded"):
        nn.History().plot()


def test_history_plot_without_matplotlib_says_how_to_install_it(monkeypatch):
    monkeypatch.setitem(sys.modules, "matplotlib.pyplot", None)  # import fails
    with pytest.raises(ImportError, match=r"History.plot draws with matplotlib, which is not "
                                          r"installed: pip install 'learngrad\[plot\]'"):
        nn.History(train_loss=[1.0]).plot()
