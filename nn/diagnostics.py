"""Gradient-flow diagnostics: what happens inside a network while it trains, layer by layer.

`GradientFlow` watches a model and records, once per epoch, into a `History`:

- `gradient_norm[layer]`: the norm of the layer's gradient (its weights and bias as one
  vector), averaged over the epoch's steps. Vanishing gradients show as layers near the input
  whose norms are orders of magnitude below those of the layers near the output.
- `update_ratio[layer]`: the norm of what each step changed in the layer's parameters over
  their norm before the step, averaged over the epoch's steps. A rule of thumb puts a good
  learning rate near 1e-3; 1e-1 and more changes the weights too fast to settle, 1e-5 and less
  hardly changes them.
- `dead_fraction[module]`, for each `nn.ReLU` module: the fraction of its units (output
  features) that were zero for every sample of the epoch's training passes. A dead unit passes
  no gradient, so nothing brings it back.
- `saturated_fraction[module]`, for each `nn.Sigmoid` and `nn.Tanh` module: the fraction of
  its outputs (every unit on every sample of the epoch's training passes) within 1% of the
  output range from a limit: a sigmoid below 0.01 or above 0.99, a tanh beyond ±0.98. There the
  slope is under 4% of its largest value (sigmoid' < 0.0099 of 0.25, tanh' < 0.0396 of 1), so
  little gradient gets through.

A layer is a module that holds parameters itself (a `Linear`, a `Perceptron`, a module of yours
with Values of its own), or a micrograd `Layer` (its neurons' weights together). Layers and
activation modules are named as in `model.named_modules()`: "0", "2" in a `Sequential`. The
activations are seen through forward hooks (`Module.register_forward_hook`), in the forward
passes of training only: in training mode, with gradients recorded. micrograd's `MLP` applies
relu inside its neurons, not as modules, so it gets gradient norms and update ratios only.

>>> import nn
>>> X, y = nn.make_moons(64, seed=0)
>>> model = nn.Sequential(nn.Linear(2, 8, seed=0), nn.ReLU(), nn.Linear(8, 2, seed=1))
>>> history = nn.fit(model, nn.cross_entropy, nn.SGD(model.parameters(), lr=0.1), X, y,
...                  epochs=3, batch_size=16, task="multiclass", progress=False, seed=0,
...                  callbacks=[nn.GradientFlow()])
>>> sorted(history.gradient_norm), len(history.update_ratio["0"]), list(history.dead_fraction)
(['0', '2'], 3, ['1'])
"""

from __future__ import annotations

import math
from typing import Any, cast

import numpy as np

from autograd import Value, is_grad_enabled
from nn.layers import Layer, ReLU, Sigmoid, Tanh
from nn.module import HookHandle, Module
from nn.training import Callback, History

# How close to a limit an output must be to count as saturated: this fraction of the range.
SATURATION_MARGIN = 0.01


def layers_of(model: Module) -> dict[str, list[Value]]:
    """The layers of `model` by name, each with its parameters: the modules that hold
    parameters themselves, and micrograd's `Layer`s as wholes (see the module docstring).

    >>> from nn import Linear, ReLU, Sequential
    >>> {name: len(params) for name, params in layers_of(
    ...     Sequential(Linear(2, 3), ReLU(), Linear(3, 1, bias=False))).items()}
    {'0': 2, '2': 1}
    """
    layers: dict[str, list[Value]] = {}
    inside_a_layer: set[int] = set()
    for name, module in model.named_modules():
        if id(module) in inside_a_layer:
            continue
        if isinstance(module, Layer):
            inside_a_layer.update(id(m) for m in module.modules())
            parameters = module.parameters()
        else:
            parameters = module.parameters(recurse=False)
        if parameters:
            layers[name or type(module).__name__] = parameters
    return layers


class _ActivationWatch:
    """The hook on one activation module: what its outputs did during the epoch."""

    def __init__(self, module: Module) -> None:
        self.module = module
        self.handle: HookHandle = module.register_forward_hook(self)
        self.reset()

    def reset(self) -> None:
        # ReLU: whether each unit was ever > 0, by layer width (one module may serve layers of
        # several widths; at one width its places share units, as they share the module)
        self.active: dict[int, np.ndarray] = {}
        self.saturated = 0  # sigmoid, tanh: outputs near a limit, of
        self.outputs = 0  # all the outputs seen

    def __call__(self, module: Module, inputs: tuple[Any, ...], output: Any) -> None:
        if not (module.training and is_grad_enabled()):  # training passes only
            return
        data = np.asarray(output)
        rows = data.reshape(-1, data.shape[-1] if data.ndim else 1)  # a unit per column
        if isinstance(module, ReLU):
            width = rows.shape[1]
            seen = self.active.get(width)
            # one flag per column: rows is 2-D, so this is an array (not numpy's bool scalar
            # that the stubs also allow)
            fired = cast(np.ndarray, (rows > 0).any(axis=0))
            self.active[width] = fired if seen is None else seen | fired
        else:
            low, high = (0.0, 1.0) if isinstance(module, Sigmoid) else (-1.0, 1.0)
            margin = SATURATION_MARGIN * (high - low)
            self.saturated += int(np.count_nonzero((rows < low + margin) | (rows > high - margin)))
            self.outputs += rows.size

    def fraction(self) -> float:
        """The epoch's dead (ReLU) or saturated (sigmoid, tanh) fraction; NaN if not called."""
        if isinstance(self.module, ReLU):
            units = sum(active.size for active in self.active.values())
            dead = sum(int(np.count_nonzero(~active)) for active in self.active.values())
            return dead / units if units else math.nan
        return self.saturated / self.outputs if self.outputs else math.nan


class GradientFlow(Callback):
    """Record the gradient flow of a model per epoch: gradient norms and update-to-weight
    ratios of its layers, dead ReLU units and saturated sigmoid and tanh units (see the
    module docstring for the definitions), into a `History`.

    With `fit`, give it as a callback: `callbacks=[nn.GradientFlow()]`; fit's History then holds
    the records. In a loop of your own, watch the model and call `step()` after each
    `optimizer.step()` and `end_epoch()` after each epoch:

    >>> import numpy as np
    >>> import nn
    >>> X, y = nn.make_moons(64, seed=0)
    >>> model = nn.Sequential(nn.Linear(2, 8, seed=0), nn.Tanh(), nn.Linear(8, 2, seed=1))
    >>> optimizer = nn.SGD(model.parameters(), lr=0.1)
    >>> with nn.GradientFlow(model) as flow:
    ...     for epoch in range(1, 4):
    ...         for xb, yb in nn.batches(X, y, batch_size=16, seed=epoch):
    ...             loss = nn.cross_entropy(model(xb), yb)
    ...             optimizer.zero_grad()
    ...             loss.backward()
    ...             optimizer.step()
    ...             flow.step()
    ...         record = flow.end_epoch()
    >>> sorted(record), len(flow.history.saturated_fraction["1"])
    (['dead_fraction', 'gradient_norm', 'saturated_fraction', 'update_ratio'], 3)

    It costs a copy of the parameters (to measure each update) and a pass over each activation
    module's output per training batch: switch it on to look, off to train fast.
    """

    def __init__(self, model: Module | None = None, history: History | None = None) -> None:
        self.history = history if history is not None else History()
        self._layers: dict[str, list[Value]] = {}
        self._watches: dict[str, _ActivationWatch] = {}
        if model is not None:
            self.watch(model, self.history)

    def watch(self, model: Module, history: History | None = None) -> GradientFlow:
        """Start watching `model` (and stop watching any other), recording into `history`
        (by default the one this GradientFlow holds). Returns itself."""
        if not isinstance(model, Module):
            raise TypeError(f"GradientFlow: the model must be an nn.Module, got "
                            f"{type(model).__name__}")
        self.close()
        if history is not None:
            self.history = history
        self._layers = layers_of(model)
        self._before = {name: [_copy(p.data) for p in params]
                        for name, params in self._layers.items()}
        self._watches = {name: _ActivationWatch(module) for name, module in model.named_modules()
                         if isinstance(module, ReLU | Sigmoid | Tanh)}
        self._start_epoch()
        return self

    def _start_epoch(self) -> None:
        self._steps = 0
        self._gradient_norms = dict.fromkeys(self._layers, 0.0)
        self._ratios: dict[str, list[float]] = {name: [] for name in self._layers}
        for watch in self._watches.values():
            watch.reset()

    def _require_model(self, caller: str) -> None:
        if not self._layers and not self._watches:
            raise RuntimeError(f"GradientFlow.{caller}: no model is watched; pass one to "
                               "GradientFlow(model) or give the GradientFlow to fit as a "
                               "callback")

    def step(self) -> None:
        """Record one optimizer step: the gradients it used and what it changed. Call it after
        each `optimizer.step()` (before the next `zero_grad()`)."""
        self._require_model("step")
        self._steps += 1
        for name, params in self._layers.items():
            squared_gradient = squared_update = squared_weight = 0.0
            before = self._before[name]
            for i, p in enumerate(params):
                squared_gradient += _squared_norm(p.grad)
                squared_update += _squared_norm(p.data - before[i])
                squared_weight += _squared_norm(before[i])
                before[i] = _copy(p.data, into=before[i])
            self._gradient_norms[name] += math.sqrt(squared_gradient)
            if squared_weight > 0:  # all-zero weights (a Perceptron's start) have no ratio
                self._ratios[name].append(math.sqrt(squared_update / squared_weight))

    def end_epoch(self) -> dict[str, dict[str, float]]:
        """Append the epoch's record to the history and start the next epoch; return the
        record, by measurement and then by layer or module name."""
        self._require_model("end_epoch")  # before any model, there is no epoch to end
        if self._steps == 0 and self._layers:
            raise RuntimeError("GradientFlow.end_epoch: no step was recorded this epoch; call "
                               "flow.step() after each optimizer.step()")
        record: dict[str, dict[str, float]] = {
            "gradient_norm": {name: total / self._steps if self._steps else math.nan
                              for name, total in self._gradient_norms.items()},
            "update_ratio": {name: float(np.mean(ratios)) if ratios else math.nan
                             for name, ratios in self._ratios.items()},
            "dead_fraction": {name: watch.fraction() for name, watch in self._watches.items()
                              if isinstance(watch.module, ReLU)},
            "saturated_fraction": {name: watch.fraction()
                                   for name, watch in self._watches.items()
                                   if not isinstance(watch.module, ReLU)},
        }
        for measurement, by_name in record.items():
            lists = getattr(self.history, measurement)
            for name, value in by_name.items():
                lists.setdefault(name, []).append(value)
        self._start_epoch()
        return record

    def close(self) -> None:
        """Stop watching: take the hooks off the model. What was recorded stays recorded."""
        for watch in self._watches.values():
            watch.handle.remove()
        self._watches = {}
        self._layers = {}

    def __enter__(self) -> GradientFlow:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- as a callback of fit ------------------------------------------------------------------
    def on_train_begin(self, history: History, model: Module) -> None:
        """Watch the model fit trains, recording into fit's History."""
        self.watch(model, history)

    def on_batch_end(self, history: History, model: Module) -> None:
        """After each optimizer step of fit: `step()`."""
        self.step()

    def on_epoch_end(self, epoch: int, history: History, model: Module) -> None:
        """After each epoch of fit: `end_epoch()`."""
        self.end_epoch()

    def on_train_end(self, history: History, model: Module) -> None:
        """When fit ends: `close()`."""
        self.close()


def _squared_norm(x: Any) -> float:
    """The squared Euclidean norm of a float, an array or a Value (its data), in float64: the
    square of a float32 array's finite norm may overflow float32."""
    if type(x) is float:
        return x * x
    array = np.asarray(x, dtype=np.float64)
    return float(np.vdot(array, array).real)


def _copy(data: Any, into: Any = None) -> Any:
    """A copy of a parameter's data: written into `into` when that is an array of its shape,
    so that each step allocates nothing; a float as it is (floats cannot change)."""
    if type(data) is float:
        return data
    if type(into) is np.ndarray and into.shape == data.shape:
        np.copyto(into, data)
        return into
    return np.array(data)


def plot_history(history: History) -> Any:
    """Draw `history` in one matplotlib figure (see `History.plot`) and return the figure."""
    try:
        import matplotlib.pyplot as plt
        from matplotlib.ticker import MaxNLocator
    except ImportError:
        raise ImportError("History.plot draws with matplotlib, which is not installed: pip "
                          "install 'learngrad[plot]'") from None
    panels = [panel for panel in _panels(history) if panel[1]]
    if not panels:  # matplotlib would fail to make a figure of no rows
        raise ValueError("History.plot: nothing was recorded, so there is nothing to draw; "
                         "plot the History that fit returns")
    columns = 2 if len(panels) > 1 else 1
    rows = -(-len(panels) // columns)
    figure, axes = plt.subplots(rows, columns, figsize=(6 * columns, 3.4 * rows),
                                squeeze=False)
    for ax, (title, curves, scale, legend) in zip(axes.flat, panels, strict=False):
        for label, values in curves.items():
            ax.plot(np.arange(1, len(values) + 1), values, marker="." if len(values) < 40 else "",
                    label=label)
        if title.startswith("update"):
            ax.axhline(1e-3, color="grey", linestyle=":", label="1e-3: rule of thumb")
        ax.set(title=title, xlabel="epoch", yscale=scale)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))  # epochs are whole numbers
        if title.endswith(("units", "outputs")):
            ax.set_ylim(-0.03, 1.03)
        if len(curves) > 4:  # many layers: the legend beside the curves, not over them
            ax.legend(title=legend, fontsize="small", loc="upper left", bbox_to_anchor=(1, 1))
        else:
            ax.legend(title=legend, fontsize="small")
    for ax in list(axes.flat)[len(panels):]:
        ax.set_visible(False)
    figure.tight_layout()
    return figure


def _panels(history: History) -> list[tuple[str, dict[str, list[float]], str, str | None]]:
    """(title, {label: values per epoch}, y scale, legend title) of each panel History.plot
    can draw."""

    def pair(train: list[float], val: list[float]) -> dict[str, list[float]]:
        return {name: values for name, values in (("training", train), ("validation", val))
                if values}

    return [
        ("loss", pair(history.train_loss, history.val_loss), "linear", None),
        ("accuracy", pair(history.train_accuracy, history.val_accuracy), "linear", None),
        ("gradient norm per layer", history.gradient_norm, "log", "layer"),
        ("update / weight norm per layer", history.update_ratio, "log", "layer"),
        ("dead ReLU units", history.dead_fraction, "linear", "module"),
        ("saturated sigmoid / tanh outputs", history.saturated_fraction, "linear", "module"),
    ]
