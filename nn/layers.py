"""Layers: `Linear`, `Dropout`, the activation modules, and micrograd's `Neuron`, `Layer`, `MLP`.

`Linear` keeps its weights in one matrix (fast, for real training). `Neuron`, `Layer` and `MLP`
follow micrograd: every weight is its own scalar Value, so a network can be inspected and drawn
weight by weight, and micrograd's code runs on them unchanged.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from autograd import Value, linear, stack
from nn.activations import elu, gelu, leaky_relu, relu, sigmoid, softmax, softplus, step, tanh
from nn.checks import Seed, as_features, choice, is_whole_number, number, whole_number
from nn.module import Module, Sequential

# -- Linear and Dropout -------------------------------------------------------------------------


class Linear(Module):
    """A fully connected layer: `x @ weight.T + bias`, as PyTorch's `torch.nn.Linear`.

    `weight` has shape (out_features, in_features), one row of weights per output, and `bias`
    shape (out_features,), so a batch of shape (N, in_features) maps to (N, out_features) and
    the weights move to and from PyTorch unchanged. The weights are drawn uniformly from
    ±sqrt(6 / fan): fan = in_features for `init="he"` (suits ReLU), in_features + out_features
    for `init="glorot"` (suits tanh and sigmoid). The bias starts at zero. `dtype=np.float32`
    halves memory and speeds up training. The weight is kept column-major (then `x @ weight.T`
    is fastest): change it by index (`weight.data[i, j] += h`), not through
    `weight.data.reshape(-1)`: a copy for a column-major array, so writing into it changes
    nothing.

    >>> layer = Linear(3, 2, seed=0)
    >>> layer.weight.shape, layer(np.ones((4, 3))).shape
    ((2, 3), (4, 2))
    """

    def __init__(self, in_features: int, out_features: int, bias: bool = True,
                 seed: Seed = None, dtype: Any = np.float64, init: str = "he") -> None:
        in_features = whole_number("Linear", "in_features", in_features)
        out_features = whole_number("Linear", "out_features", out_features)
        fans = {"he": in_features, "glorot": in_features + out_features}
        choice("Linear", "init", init, tuple(fans), hint=" ('he' suits ReLU, 'glorot' tanh and "
               "sigmoid)")
        dtype = np.dtype(dtype)
        if dtype.kind != "f":
            raise ValueError(f"Linear: dtype must be a floating type such as np.float64 or "
                             f"np.float32, got {dtype}")
        limit = np.sqrt(6.0 / fans[init])
        # Drawn as (in, out), so that a seed gives the same network as before the layout
        # followed PyTorch's, and kept in that memory order: weight.T is then the row-major
        # (in, out) matrix that BLAS multiplies a batch by fastest (with a row-major weight, an
        # epoch of MLP 784-256-256-10, batch 128, float32, took 1% to 6% longer).
        drawn = np.random.default_rng(seed).uniform(-limit, limit, (in_features, out_features))
        self.in_features, self.out_features = in_features, out_features
        self.weight = Value(np.asfortranarray(drawn.T, dtype=dtype), label="weight")
        self.bias = Value(np.zeros(out_features, dtype), label="bias") if bias else None

    def forward(self, x: Any) -> Value:
        x = as_features(x, self.in_features, "Linear", self.weight.dtype)
        return linear(x, self.weight, self.bias)

    def extra_repr(self) -> str:
        return (f"in_features={self.in_features}, out_features={self.out_features}, "
                f"bias={self.bias is not None}")


class Dropout(Module):
    """Inverted dropout: in training, zero each element with probability `p` and scale the
    others by 1 / (1 - p), so the expected output equals the input; in evaluation mode
    (`model.eval()`), the identity.

    >>> drop = Dropout(0.5, seed=0)
    >>> drop.eval()(np.ones(4))
    array([1., 1., 1., 1.])
    """

    def __init__(self, p: float = 0.5, seed: Seed = None) -> None:
        self.p = number("Dropout", "p", p, low=0, high=1, high_open=True,
                        hint=" (the probability of dropping an element)")
        self._rng = np.random.default_rng(seed)

    def forward(self, x: Any) -> Any:
        if not self.training or self.p == 0.0:
            return x
        data = np.asarray(x)
        dtype = data.dtype if data.dtype.kind == "f" else np.dtype(np.float64)
        kept = self._rng.random(data.shape) >= self.p
        return x * (kept.astype(dtype) / dtype.type(1.0 - self.p))

    def extra_repr(self) -> str:
        return f"p={self.p}"


# -- activation modules ---------------------------------------------------------------------


class Step(Module):
    """The step function as a module (see `nn.step`): 1 where x >= 0, else 0."""

    def forward(self, x: Any) -> Any:
        return step(x)


class Sigmoid(Module):
    """The logistic sigmoid 1 / (1 + exp(-x)) as a module."""

    def forward(self, x: Any) -> Any:
        return sigmoid(x)


class Tanh(Module):
    """The hyperbolic tangent as a module."""

    def forward(self, x: Any) -> Any:
        return tanh(x)


class ReLU(Module):
    """max(x, 0) as a module."""

    def forward(self, x: Any) -> Any:
        return relu(x)


class LeakyReLU(Module):
    """x where x > 0, negative_slope · x elsewhere, as a module (PyTorch's nn.LeakyReLU)."""

    def __init__(self, negative_slope: float = 0.01) -> None:
        self.negative_slope = number("LeakyReLU", "negative_slope", negative_slope)

    def forward(self, x: Any) -> Any:
        return leaky_relu(x, negative_slope=self.negative_slope)

    def extra_repr(self) -> str:
        return f"negative_slope={self.negative_slope}"


class Softplus(Module):
    """log(1 + exp(x)), a smooth ReLU, as a module (PyTorch's nn.Softplus with beta 1)."""

    def forward(self, x: Any) -> Any:
        return softplus(x)


class ELU(Module):
    """x where x > 0, alpha · (exp(x) - 1) elsewhere, as a module (PyTorch's nn.ELU)."""

    def __init__(self, alpha: float = 1.0) -> None:
        self.alpha = number("ELU", "alpha", alpha)

    def forward(self, x: Any) -> Any:
        return elu(x, alpha=self.alpha)

    def extra_repr(self) -> str:
        return f"alpha={self.alpha}"


class GELU(Module):
    """GELU in its tanh approximation, as a module: PyTorch's nn.GELU(approximate="tanh").

    PyTorch's own default, approximate="none", is the exact form with the error function,
    which differs by up to about 1e-3: moving a model to PyTorch, use approximate="tanh" there.
    """

    def __init__(self, approximate: str = "tanh") -> None:
        if approximate != "tanh":
            raise ValueError(f"GELU: only approximate='tanh' is available (PyTorch's "
                             f"gelu(approximate='tanh')), got {approximate!r}")
        self.approximate = approximate

    def forward(self, x: Any) -> Any:
        return gelu(x)

    def extra_repr(self) -> str:
        return f"approximate={self.approximate!r}"


class Flatten(Module):
    """The axes from `start_dim` to `end_dim` (the last by default) merged into one, as
    PyTorch's nn.Flatten: a batch of images (N, H, W) becomes (N, H·W).

    >>> Flatten()(np.zeros((5, 2, 3))).shape
    (5, 6)
    """

    def __init__(self, start_dim: int = 1, end_dim: int = -1) -> None:
        for name, dim in (("start_dim", start_dim), ("end_dim", end_dim)):
            if not is_whole_number(dim):
                raise ValueError(f"Flatten: {name} must be a whole number (an axis; negative "
                                 f"ones count from the last), got {dim!r}")
        self.start_dim, self.end_dim = int(start_dim), int(end_dim)

    def forward(self, x: Any) -> Any:
        shape = np.shape(x)
        ndim = len(shape)
        dims = (self.start_dim, self.end_dim)
        if not all(-ndim <= d < ndim for d in dims) or dims[0] % ndim > dims[1] % ndim:
            raise ValueError(f"Flatten: cannot merge axes {self.start_dim} to {self.end_dim} "
                             f"of an input of shape {shape}: both must be axes of it, the "
                             "first not after the second")
        start, end = dims[0] % ndim, dims[1] % ndim
        return np.reshape(x, shape[:start] + (-1,) + shape[end + 1:])

    def extra_repr(self) -> str:
        return f"start_dim={self.start_dim}, end_dim={self.end_dim}"


class Softmax(Module):
    """softmax along `axis` as a module: each slice along it becomes probabilities."""

    def __init__(self, axis: int = -1) -> None:
        self.axis = axis

    def forward(self, x: Any) -> Any:
        return softmax(x, axis=self.axis)

    def extra_repr(self) -> str:
        return f"axis={self.axis}"


# -- micrograd's Neuron, Layer and MLP ----------------------------------------------------------


def _is_sample(x: Any) -> bool:
    """Whether `x` is one sample given as numbers (a list, or a lone number for one input)."""
    if isinstance(x, list | tuple):
        return True
    return np.asarray(x).ndim == 0


def _sample(x: Any, nin: int, where: str) -> list[Any]:
    """One sample as a list of `nin` scalar Values or floats, or a clear error."""
    items = list(x) if isinstance(x, list | tuple) else [x]
    if len(items) != nin:
        raise ValueError(f"{where}: expected {nin} inputs, got {len(items)}")
    return [item if isinstance(item, Value) else float(item) for item in items]


def _relu_where(z: Value, nonlin: Sequence[bool]) -> Value:
    """relu on the output columns whose neuron is nonlinear, the identity on the others."""
    if all(nonlin):
        return z.relu()
    if not any(nonlin):
        return z
    mask = np.array(nonlin, dtype=z.dtype)
    return z + (z.relu() - z) * mask


class Neuron(Module):
    """One neuron as in micrograd: `relu(sum(w_i x_i) + b)`, or without relu if not `nonlin`.

    `w` is a list of `nin` scalar Values drawn uniformly from [-1, 1]; `b` starts at 0. On a
    list of numbers or Values (or a lone one when nin == 1) it returns a scalar Value; on an
    array of shape (N, nin) it returns shape (N,).

    >>> neuron = Neuron(3)
    >>> neuron, neuron([1.0, 2.0, 3.0]).shape, neuron(np.ones((5, 3))).shape
    (ReLUNeuron(3), (), (5,))
    """

    def __init__(self, nin: int, nonlin: bool = True, seed: Seed = None) -> None:
        nin = whole_number("Neuron", "nin", nin)
        weights = np.random.default_rng(seed).uniform(-1.0, 1.0, nin)
        self.w = [Value(float(w), label=f"w{i}") for i, w in enumerate(weights)]
        self.b = Value(0.0, label="b")
        self.nonlin = nonlin

    def forward(self, x: Any) -> Value:
        if _is_sample(x):
            inputs = _sample(x, len(self.w), "Neuron")
            act = sum((wi * xi for wi, xi in zip(self.w, inputs, strict=True)), self.b)
        else:
            act = as_features(x, len(self.w), "Neuron") @ stack(self.w) + self.b
        return act.relu() if self.nonlin else act

    def __repr__(self) -> str:
        return f"{'ReLU' if self.nonlin else 'Linear'}Neuron({len(self.w)})"


class Layer(Module):
    """A list of `nout` neurons of `nin` inputs each, as in micrograd.

    On one sample it returns a list of scalar Values, or the single Value when nout == 1 (as
    micrograd does); a following layer with one input accepts that Value, so a one-neuron
    hidden layer works. On an array of shape (N, nin) it returns shape (N, nout), computed as
    one matrix product whose weight matrix is stacked from the neurons' scalar weights (so the
    gradients reach those same weights); a 1-D array is one sample as a tensor, giving (nout,).
    """

    def __init__(self, nin: int, nout: int, nonlin: bool = True, seed: Seed = None) -> None:
        nin, nout = whole_number("Layer", "nin", nin), whole_number("Layer", "nout", nout)
        rng = np.random.default_rng(seed)
        self.neurons = [Neuron(nin, nonlin=nonlin, seed=rng) for _ in range(nout)]

    def forward(self, x: Any) -> Value | list[Value]:
        if _is_sample(x):
            out = [neuron(x) for neuron in self.neurons]
            return out[0] if len(out) == 1 else out
        weight = stack([stack(neuron.w) for neuron in self.neurons], axis=1)
        bias = stack([neuron.b for neuron in self.neurons])
        z = as_features(x, len(self.neurons[0].w), "Layer") @ weight + bias
        return _relu_where(z, [neuron.nonlin for neuron in self.neurons])

    def __repr__(self) -> str:
        return f"Layer of [{', '.join(str(neuron) for neuron in self.neurons)}]"


class MLP(Sequential):
    """A multi-layer perceptron as in micrograd: ReLU hidden layers and a linear output layer.

    `MLP(3, [4, 4, 1])` has layers of 4, 4 and 1 neurons on 3 inputs. Called on one sample
    (a list of 3 numbers or Values) it returns a scalar Value, or a list of Values for several
    outputs; called on an array of shape (N, 3) it returns an (N, 1) Value computed as one
    batch. `seed` (an int or a numpy Generator) makes the initial weights reproducible.

    >>> model = MLP(3, [4, 4, 1], seed=0)
    >>> model([1.0, 2.0, 3.0]).shape, model(np.ones((5, 3))).shape
    ((), (5, 1))
    """

    def __init__(self, nin: int, nouts: Sequence[int], seed: Seed = None) -> None:
        whole_number("MLP", "nin", nin)
        if not isinstance(nouts, Sequence) or isinstance(nouts, str):
            raise TypeError(f"MLP: nouts must be a list of layer sizes, e.g. [4, 1] (the last "
                            f"is the number of outputs), got {type(nouts).__name__}")
        if len(nouts) == 0:
            raise ValueError("MLP: nouts must list the size of at least one layer, e.g. [4, 1]")
        for i, n in enumerate(nouts):
            whole_number("MLP", f"nouts[{i}]", n)
        rng = np.random.default_rng(seed)
        sizes = [nin, *nouts]
        super().__init__(*(Layer(sizes[i], sizes[i + 1], nonlin=i != len(nouts) - 1, seed=rng)
                           for i in range(len(nouts))))

    # Parameters keep micrograd's attribute paths ("layers.0.neurons.3.w.1"), not the
    # positional names of other Sequentials: there is no torch.nn model to match.
    _named_members = Module._named_members

    def __repr__(self) -> str:
        return f"MLP of [{', '.join(str(layer) for layer in self.layers)}]"
