"""Optimizers (SGD with momentum and Nesterov, Adam) and learning-rate schedulers.

The formulas are PyTorch's. An optimizer holds a list of parameters (leaf Values) and changes
their `data` by `step()`, using each parameter's `.grad`; `zero_grad()` clears the gradients
before the next backward pass. A parameter no backward pass reached since `zero_grad()` has
gradient zero (the engine's rule), so it still moves by weight decay and momentum; PyTorch, whose
untouched gradients are `None`, skips such a parameter instead.

>>> from autograd import Value
>>> x = Value(3.0)
>>> optimizer = SGD([x], lr=0.1)
>>> for _ in range(100):
...     optimizer.zero_grad()
...     (x ** 2).backward()
...     optimizer.step()
>>> abs(x.data) < 1e-8
True

Schedulers change `optimizer.lr` once per epoch: `StepLR` and `ExponentialLR` by a fixed rule,
`ReduceLROnPlateau` when a monitored metric stops improving. `clip_grad_norm_` limits the size
of the gradients before a step.
"""

from __future__ import annotations

import math
from abc import ABC, abstractmethod
from collections.abc import Iterable
from typing import Any

import numpy as np

from autograd import Value
from nn.checks import choice, is_real_number, number, whole_number

Data = Any  # a Python float (scalar parameters) or a numpy array (tensor parameters)


def _check_params(params: Iterable[Value], owner: str) -> list[Value]:
    """The parameters as a list, refusing what an optimizer cannot update."""
    params = list(params)
    if not params:
        raise ValueError(f"{owner}: got an empty parameter list; pass model.parameters() of a "
                         "model that has parameters")
    seen: set[int] = set()
    for i, p in enumerate(params):
        if not isinstance(p, Value):
            raise TypeError(f"{owner}: parameter {i} is a {type(p).__name__}, not a Value")
        if not p.requires_grad:
            raise ValueError(f"{owner}: parameter {i} has requires_grad=False, so it would "
                             "never get a gradient; pass only trainable parameters")
        if p.op is not None:
            raise ValueError(f"{owner}: parameter {i} was computed by {p.op!r}; only leaf "
                             "Values (made with Value(...)) can be optimized")
        if type(p.data) is np.ndarray and not p.data.flags.writeable:
            raise ValueError(f"{owner}: parameter {i} holds a read-only array (a Value made "
                             "with copy=False from read-only memory, or given a result's "
                             "array), which step() cannot update in place; give it a copy: "
                             "Value(array)")
        if id(p) in seen:
            raise ValueError(f"{owner}: parameter {i} appears more than once in the list; each "
                             "parameter must be given once, or it would be updated twice")
        seen.add(id(p))
    return params


def _subtract(param: Value, update: Data) -> None:
    """param.data -= update: in place for arrays (keeps their dtype, float32 stays float32),
    by reassignment for scalar parameters, whose data is an immutable Python float."""
    if type(param.data) is float:
        param.data = param.data - float(update)
    else:
        param.data -= update


def _decay_and_add(state: dict[str, Data], key: str, decay: float, addend: Data) -> Data:
    """state[key] = decay * state[key] + addend (starting from 0), in place for arrays, so a
    step allocates no new buffer; scalar buffers are floats and are replaced."""
    buffer = state.get(key, 0.0)
    if type(buffer) is float:  # also the first step: 0 + addend is a new array for arrays
        buffer = state[key] = decay * buffer + addend
    else:
        buffer *= decay
        buffer += addend
    return buffer


class Optimizer(ABC):
    """What SGD and Adam share: the parameters, `lr`, weight decay, `zero_grad` and `step`.

    `step()` reads each parameter's gradient, adds `weight_decay * param` to it (L2 weight
    decay, as PyTorch's SGD and Adam do), asks the subclass's `_update(grad, state)` for the
    amount to subtract, and subtracts it. `state` is the parameter's own dict for buffers such
    as momentum, kept in `self.state` in parameter order.
    """

    def __init__(self, params: Iterable[Value], lr: float, weight_decay: float) -> None:
        name = type(self).__name__
        self.params = _check_params(params, name)
        self.lr = lr
        self.weight_decay = number(name, "weight_decay", weight_decay, low=0)
        self.state: list[dict[str, Data]] = [{} for _ in self.params]
        self.step_count = 0

    @property
    def lr(self) -> float:
        """The learning rate; setting it (as schedulers do) checks it is a finite number >= 0."""
        return self._lr

    @lr.setter
    def lr(self, lr: float) -> None:
        self._lr = number(type(self).__name__, "lr", lr, low=0)

    def zero_grad(self) -> None:
        """Clear every parameter's gradient (it reads zero until the next backward pass)."""
        for p in self.params:
            p.zero_grad()

    def step(self) -> None:
        """Update every parameter once from its current gradient."""
        self.step_count += 1
        for p, state in zip(self.params, self.state, strict=True):
            grad = p.grad
            if isinstance(grad, Value):  # after backward(create_graph=True)
                grad = grad.data
            if self.weight_decay:
                grad = grad + self.weight_decay * p.data
            _subtract(p, self._update(grad, state))

    @abstractmethod
    def _update(self, grad: Data, state: dict[str, Data]) -> Data:
        """The amount to subtract from a parameter whose gradient is `grad`."""

    def __repr__(self) -> str:
        settings = ", ".join(f"{k}={v}" for k, v in self._settings().items())
        return f"{type(self).__name__}({len(self.params)} parameters, {settings})"

    def _settings(self) -> dict[str, Any]:
        return {"lr": self.lr, "weight_decay": self.weight_decay}


class SGD(Optimizer):
    """Stochastic gradient descent, with optional momentum, Nesterov momentum and weight decay.

    With gradient g (plus weight_decay * p) and momentum mu, as in PyTorch (no dampening):

        b = mu * b + g            (b starts at 0, so the first b is g)
        p = p - lr * b            or, with nesterov=True,   p = p - lr * (g + mu * b)

    >>> from autograd import Value
    >>> x = Value(1.0)
    >>> optimizer = SGD([x], lr=0.1, momentum=0.9)
    >>> (x ** 2).backward(); optimizer.step(); round(x.data, 6)     # b = 2
    0.8
    >>> optimizer.zero_grad(); (x ** 2).backward(); optimizer.step(); round(x.data, 6)
    0.46
    """

    def __init__(self, params: Iterable[Value], lr: float, momentum: float = 0.0,
                 nesterov: bool = False, weight_decay: float = 0.0) -> None:
        super().__init__(params, lr, weight_decay)
        self.momentum = number("SGD", "momentum", momentum, low=0, high=1)
        if nesterov and not self.momentum:
            raise ValueError("SGD: nesterov=True needs a momentum > 0 (Nesterov momentum "
                             "looks ahead along the momentum buffer)")
        self.nesterov = bool(nesterov)

    def _update(self, grad: Data, state: dict[str, Data]) -> Data:
        if not self.momentum:
            return self.lr * grad
        buffer = _decay_and_add(state, "momentum_buffer", self.momentum, grad)
        return self.lr * (grad + self.momentum * buffer if self.nesterov else buffer)

    def _settings(self) -> dict[str, Any]:
        return {**super()._settings(), "momentum": self.momentum, "nesterov": self.nesterov}


class Adam(Optimizer):
    """Adam: steps scaled by running averages of the gradient and of its square.

    With gradient g (plus weight_decay * p) at step t, as in PyTorch:

        m = beta1 * m + (1 - beta1) * g          v = beta2 * v + (1 - beta2) * g^2
        p = p - lr / (1 - beta1^t) * m / (sqrt(v) / sqrt(1 - beta2^t) + eps)

    m and v start at 0; dividing by 1 - beta^t corrects that bias, so the very first step is
    lr * g / (|g| + eps), about lr * sign(g), whatever the gradient's size.

    >>> from autograd import Value
    >>> x = Value(5.0)
    >>> optimizer = Adam([x], lr=0.1)
    >>> (x ** 2).backward(); optimizer.step(); round(x.data, 6)
    4.9
    """

    def __init__(self, params: Iterable[Value], lr: float = 1e-3,
                 betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8,
                 weight_decay: float = 0.0) -> None:
        super().__init__(params, lr, weight_decay)
        if not (isinstance(betas, tuple | list) and len(betas) == 2):
            raise ValueError(f"Adam: betas must be a pair (beta1, beta2), got {betas!r}")
        self.betas = (number("Adam", "betas[0]", betas[0], low=0, high=1, high_open=True),
                      number("Adam", "betas[1]", betas[1], low=0, high=1, high_open=True))
        self.eps = number("Adam", "eps", eps, low=0)

    def _update(self, grad: Data, state: dict[str, Data]) -> Data:
        beta1, beta2 = self.betas
        t = self.step_count
        m = _decay_and_add(state, "exp_avg", beta1, (1 - beta1) * grad)
        v = _decay_and_add(state, "exp_avg_sq", beta2, (1 - beta2) * grad**2)
        denominator = v**0.5 / math.sqrt(1 - beta2**t) + self.eps
        return self.lr / (1 - beta1**t) * m / denominator

    def _settings(self) -> dict[str, Any]:
        return {**super()._settings(), "betas": self.betas, "eps": self.eps}


# ---------------------------------------------------------------------------------------------
# Gradient clipping.


def clip_grad_norm_(parameters: Value | Iterable[Value], max_norm: float,
                    norm_type: float | str = 2.0, error_if_nonfinite: bool = False) -> float:
    """Scale the gradients so that their total norm is at most `max_norm`, as PyTorch's
    `torch.nn.utils.clip_grad_norm_`; return the total norm before clipping.

    The total norm is that of all the gradients together, as if they were one vector: the
    Euclidean norm for `norm_type=2`, any p-norm for p > 0, the largest absolute value for
    `math.inf` (or "inf"). When it exceeds `max_norm`, every gradient is multiplied by
    max_norm / (total + 1e-6) (PyTorch's 1e-6 keeps a zero norm from dividing by zero); otherwise
    they are left as they are, so `max_norm=math.inf` only measures. The norms are computed in
    float64 whatever the gradients' dtype, so a float32 gradient of finite norm never counts as
    infinite. Each parameter is given once. Call it between `loss.backward()` and
    `optimizer.step()`.

    The gradients change in place: an array gradient within its own array (float32 stays
    float32); a scalar parameter's gradient, an immutable Python float, is replaced
    (`p.grad = ...`). A parameter no backward pass has reached has gradient zero, as the engine
    reads it: it adds nothing to the norm and stays zero.

    A total norm that is not finite (a NaN or an infinite gradient) is treated as PyTorch treats
    it by default: it is returned, and the gradients are still multiplied by
    max_norm / (total + 1e-6), which is 0 for an infinite norm (finite gradients become 0,
    infinite ones NaN) and NaN for a NaN norm, so the next step would spoil the weights. With
    `error_if_nonfinite=True` it raises RuntimeError instead and changes nothing.

    >>> from autograd import Value
    >>> w = Value([3.0, 4.0])
    >>> (w * w).sum().backward()                    # gradient 2w = [6, 8], of norm 10
    >>> clip_grad_norm_([w], max_norm=5.0)
    10.0
    >>> w.grad.round(6)                             # scaled by 5 / 10: norm 5
    array([3., 4.])
    """
    where = "clip_grad_norm_"
    if not isinstance(parameters, Value | Iterable):
        raise TypeError(f"{where}: parameters must be a Value or an iterable of Values, e.g. "
                        f"model.parameters(), got {type(parameters).__name__}")
    params = [parameters] if isinstance(parameters, Value) else list(parameters)
    seen: set[int] = set()
    for i, p in enumerate(params):
        if not isinstance(p, Value):
            raise TypeError(f"{where}: parameters must be Values, e.g. model.parameters(); item "
                            f"{i} is a {type(p).__name__}")
        if id(p) in seen:  # its gradient would count twice in the norm, and be scaled twice
            raise ValueError(f"{where}: parameter {i} appears more than once in the list; give "
                             "each parameter once")
        seen.add(id(p))
    if not (is_real_number(max_norm) and max_norm == math.inf):  # inf: measure, never clip
        max_norm = number(where, "max_norm", max_norm, low=0,
                          hint=" (or math.inf, to measure the norm without clipping)")
    if norm_type in (math.inf, "inf"):
        order = math.inf
    else:
        order = number(where, "norm_type", norm_type, low=0, low_open=True,
                       hint=" (or math.inf, for the largest absolute value)")
    # In float64: a float32 (or float16) gradient of finite norm may have a square that is not
    # finite in its own dtype, which would turn its norm to inf and every gradient to 0.
    norms = [np.linalg.norm(np.asarray(p.grad, dtype=np.float64).ravel(), ord=order)
             for p in params]
    total = float(np.linalg.norm(np.array(norms, dtype=np.float64), ord=order)) if norms else 0.0
    if error_if_nonfinite and not math.isfinite(total):
        raise RuntimeError(f"{where}: the total norm of order {norm_type} of the gradients is "
                           f"{total}, so they cannot be clipped; autograd.detect_anomaly() names "
                           "the operation that made the NaN, or pass error_if_nonfinite=False "
                           "to scale the gradients by it anyway, as PyTorch does by default")
    factor = max_norm / (total + 1e-6)
    if factor < 1.0 or math.isnan(factor):
        for p in params:
            grad = p.grad
            if type(grad) is np.ndarray and grad.flags.writeable:
                grad *= factor
            else:  # a float, a Value (after create_graph=True) or an array not ours to write
                p.grad = grad * factor
    return total


# ---------------------------------------------------------------------------------------------
# Learning-rate schedulers.


class _EpochScheduler(ABC):
    """A schedule lr = initial lr * factor(epoch); `step()` once per epoch moves to the next.

    The rule is applied in closed form from the learning rate the optimizer had when the
    scheduler was made, as PyTorch's `StepLR` and `ExponentialLR` compute it.
    """

    def __init__(self, optimizer: Optimizer, gamma: float) -> None:
        if not isinstance(optimizer, Optimizer):
            raise TypeError(f"{type(self).__name__}: expected an optimizer (SGD, Adam), got "
                            f"{type(optimizer).__name__}")
        self.optimizer = optimizer
        self.gamma = number(type(self).__name__, "gamma", gamma, low=0)
        self.base_lr = optimizer.lr
        self.last_epoch = 0

    def step(self) -> None:
        """Finish an epoch: set the optimizer's lr for the next one."""
        self.last_epoch += 1
        self.optimizer.lr = self.base_lr * self._factor(self.last_epoch)

    @abstractmethod
    def _factor(self, epoch: int) -> float:
        """How much the initial learning rate is multiplied by after `epoch` epochs."""


class StepLR(_EpochScheduler):
    """Multiply the learning rate by `gamma` every `step_size` epochs.

    lr(epoch) = initial lr * gamma ** (epoch // step_size)

    >>> from autograd import Value
    >>> optimizer = SGD([Value(0.0)], lr=1.0)
    >>> scheduler = StepLR(optimizer, step_size=2, gamma=0.5)
    >>> rates = []
    >>> for epoch in range(5):
    ...     rates.append(optimizer.lr)      # ... train one epoch with this lr ...
    ...     scheduler.step()
    >>> rates
    [1.0, 1.0, 0.5, 0.5, 0.25]
    """

    def __init__(self, optimizer: Optimizer, step_size: int, gamma: float = 0.1) -> None:
        super().__init__(optimizer, gamma)
        self.step_size = whole_number("StepLR", "step_size", step_size, unit=" of epochs")

    def _factor(self, epoch: int) -> float:
        return self.gamma ** (epoch // self.step_size)


class ExponentialLR(_EpochScheduler):
    """Multiply the learning rate by `gamma` every epoch: lr(epoch) = initial lr * gamma ** epoch.

    >>> from autograd import Value
    >>> optimizer = SGD([Value(0.0)], lr=1.0)
    >>> scheduler = ExponentialLR(optimizer, gamma=0.5)
    >>> scheduler.step(); scheduler.step(); optimizer.lr
    0.25
    """

    def _factor(self, epoch: int) -> float:
        return self.gamma**epoch


class ReduceLROnPlateau:
    """Multiply the learning rate by `factor` when a metric has stopped improving.

    Call `step(metric)` once per epoch (usually with the validation loss). An epoch improves on
    the best so far when the metric beats it by more than `threshold` relative to the best's
    size: metric < best - threshold * |best| in mode "min" (losses), metric > best +
    threshold * |best| in mode "max" (accuracies). After more than `patience` epochs in a row
    without improvement the learning rate becomes max(lr * factor, min_lr), and then `cooldown`
    epochs pass before bad epochs count again. PyTorch's rule, with |best| where PyTorch uses
    best, so a negative best works the same way.

    >>> from autograd import Value
    >>> optimizer = SGD([Value(0.0)], lr=1.0)
    >>> scheduler = ReduceLROnPlateau(optimizer, factor=0.5, patience=1)
    >>> for loss in [3.0, 2.0, 2.0, 2.0, 2.0]:
    ...     scheduler.step(loss)
    >>> optimizer.lr          # halved after the second epoch without improvement
    0.5
    """

    def __init__(self, optimizer: Optimizer, mode: str = "min", factor: float = 0.1,
                 patience: int = 10, threshold: float = 1e-4, cooldown: int = 0,
                 min_lr: float = 0.0) -> None:
        if not isinstance(optimizer, Optimizer):
            raise TypeError(f"ReduceLROnPlateau: expected an optimizer (SGD, Adam), got "
                            f"{type(optimizer).__name__}")
        self.optimizer = optimizer
        self.mode = choice("ReduceLROnPlateau", "mode", mode, ("min", "max"),
                           hint=" ('min' for a loss, 'max' for an accuracy)")
        self.patience = whole_number("ReduceLROnPlateau", "patience", patience, low=0,
                                     unit=" of epochs")
        self.cooldown = whole_number("ReduceLROnPlateau", "cooldown", cooldown, low=0,
                                     unit=" of epochs")
        self.factor = number("ReduceLROnPlateau", "factor", factor, low=0, high=1,
                             high_open=True)
        if self.factor == 0.0:
            raise ValueError("ReduceLROnPlateau: factor must be > 0 (factor 0 would stop "
                             "learning altogether); e.g. 0.1 or 0.5")
        self.threshold = number("ReduceLROnPlateau", "threshold", threshold, low=0)
        self.min_lr = number("ReduceLROnPlateau", "min_lr", min_lr, low=0)
        self.best = math.inf if mode == "min" else -math.inf
        self.bad_epochs = 0
        self.cooldown_left = 0

    def is_better(self, metric: float) -> bool:
        """Whether `metric` improves on the best so far by more than the threshold."""
        margin = self.threshold * abs(self.best) if math.isfinite(self.best) else 0.0
        if self.mode == "min":
            return metric < self.best - margin
        return metric > self.best + margin

    def step(self, metric: float) -> None:
        """Finish an epoch whose monitored metric was `metric`."""
        metric = float(metric)
        if self.is_better(metric):
            self.best = metric
            self.bad_epochs = 0
        else:
            self.bad_epochs += 1
        if self.cooldown_left > 0:
            self.cooldown_left -= 1
            self.bad_epochs = 0
        if self.bad_epochs > self.patience:
            self.optimizer.lr = max(self.optimizer.lr * self.factor, self.min_lr)
            self.cooldown_left = self.cooldown
            self.bad_epochs = 0
