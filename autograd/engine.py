"""The engine: `Value`, the `Operation` that records itself, and the backward pass.

A `Value` holds `data` (a Python float for scalars, a numpy array for tensors) and, once a
backward pass has reached it, `grad`. Applying an `Operation` to Values computes the result and,
when gradients are wanted, records the operation and its inputs on the result. `backward()` walks
that record from the output to the leaves in reverse topological order and applies each
operation's vector-Jacobian products (the chain rule).

The graph holds no reference cycles (a result points to its inputs, never the other way), so it
is freed the moment the last reference to its output goes away.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import ContextDecorator
from typing import Any

import numpy as np

Data = float | np.ndarray  # what Value.data holds


class GraphError(RuntimeError):
    """A backward pass was asked for something the graph cannot give."""


class OperationError(ValueError):
    """An operation was given inputs it cannot work with (shapes, values or types)."""


# ---------------------------------------------------------------------------------------------
# Global switches: recording (no_grad) and the NaN check (detect_anomaly).

_recording = True
_anomaly_checks = False
_scope: str | None = None  # the name_scope the next operation is recorded in
_NO_PARAMS: dict[str, Any] = {}


class _Released(dict):
    """An operation's parameters after backward released its graph: readable (for drawing),
    but a second backward pass through the operation is refused."""


_RELEASED = _Released()
_PYTHON_LIKE_SCALARS = {np.float64, np.int64, np.int32, np.bool_}


class no_grad(ContextDecorator):
    """Inside this context (or a function decorated with it) operations record nothing.

    >>> with no_grad():
    ...     y = Value(2.0) * 3          # y is a constant: no graph, no gradient
    """

    def __enter__(self) -> no_grad:
        global _recording
        self._previous, _recording = _recording, False
        return self

    def __exit__(self, *exc: object) -> None:
        global _recording
        _recording = self._previous


class detect_anomaly(ContextDecorator):
    """Inside this context every operation checks its result for NaN and raises naming itself.

    The forward pass raises `FloatingPointError` at the first operation that turns NaN-free
    inputs into a NaN; the backward pass raises at the first gradient rule that produces NaN.
    It costs a scan of every result, so it is off by default.
    """

    def __enter__(self) -> detect_anomaly:
        global _anomaly_checks
        self._previous, _anomaly_checks = _anomaly_checks, True
        return self

    def __exit__(self, *exc: object) -> None:
        global _anomaly_checks
        _anomaly_checks = self._previous


class name_scope(ContextDecorator):
    """Tag the operations recorded inside with a name, for drawings that group them.

    Scopes nest into paths: inside `name_scope("mlp")` and then `name_scope("layer0")`,
    results carry `scope == "mlp/layer0"`. `nn` modules open one around each call.
    """

    def __init__(self, name: str) -> None:
        self.name = name

    def __enter__(self) -> name_scope:
        global _scope
        self._previous = _scope
        _scope = self.name if _scope is None else f"{_scope}/{self.name}"
        return self

    def __exit__(self, *exc: object) -> None:
        global _scope
        _scope = self._previous


def is_grad_enabled() -> bool:
    """Whether operations are being recorded (False inside `no_grad`)."""
    return _recording


# ---------------------------------------------------------------------------------------------
# Data conversion.


def as_data(data: Any, where: str = "Value") -> Data:
    """Convert user input to what a Value holds: a float, or a floating numpy array.

    Python numbers and numpy float64 scalars become Python floats (the fast scalar path); lists
    and integer or boolean arrays become float64 arrays; floating arrays keep their dtype and
    are copied, so the Value never shares memory with the caller's array.
    """
    if type(data) is float:
        return data
    if isinstance(data, Value):
        return data.data
    if isinstance(data, bool | int | np.integer | np.bool_) or type(data) is np.float64:
        return float(data)
    if isinstance(data, complex | np.complexfloating):
        raise TypeError(f"{where}: complex numbers are not supported (got {data!r}); "
                        "pass real numbers")
    try:
        array = np.array(data)
    except (ValueError, TypeError) as error:  # ragged nested lists
        raise TypeError(f"{where}: cannot make an array of {_describe(data)}: {error}") from None
    kind = array.dtype.kind
    if kind == "f":
        return array
    if kind in "biu":
        return array.astype(np.float64)
    if kind == "c":
        raise TypeError(f"{where}: complex numbers are not supported (got dtype {array.dtype}); "
                        "pass real numbers")
    raise TypeError(f"{where}: data must be numbers (a number, a nested list of numbers or a "
                    f"numeric numpy array), got {_describe(data)}")


def _describe(data: Any) -> str:
    text = repr(data)
    return f"{type(data).__name__} {text[:60]}{'...' if len(text) > 60 else ''}"


def data_of(x: Any) -> Any:
    """The data of a Value; anything else as it is."""
    return x.data if isinstance(x, Value) else x


def shape_of(x: Any) -> tuple[int, ...]:
    """The shape of a float, an array or a Value (a float's shape is ())."""
    return () if type(x) is float else np.shape(x.data if isinstance(x, Value) else x)


# ---------------------------------------------------------------------------------------------
# Value.


class Value:
    """A number or an array that remembers how it was computed, so gradients can flow back.

    >>> a, b = Value(-4.0), Value(2.0)
    >>> c = a * b + b ** 3
    >>> c.backward()
    >>> a.grad, b.grad      # dc/da = b, dc/db = a + 3 b^2
    (2.0, 8.0)
    """

    __slots__ = ("data", "_grad", "requires_grad", "label", "_op", "_inputs", "_params",
                 "scope", "__weakref__")
    __array_ufunc__ = None  # numpy defers to Value: `array + value` calls Value.__radd__

    data: Data
    requires_grad: bool
    label: str
    _grad: Any
    _op: Operation | None
    _inputs: tuple[Any, ...]
    _params: dict[str, Any] | None  # a _Released dict once backward has released the graph
    scope: str | None

    def __init__(self, data: Any, requires_grad: bool = True, label: str = "") -> None:
        self._become_leaf(as_data(data), bool(requires_grad), label)

    def _become_leaf(self, data: Data, requires_grad: bool, label: str) -> None:
        # Operation.__call__ sets the same slots inline: it is the hottest path.
        self.data = data
        self._grad = None
        self.requires_grad = requires_grad
        self.label = label
        self._op = None
        self._inputs = ()
        self._params = None
        self.scope = _scope

    # -- what it holds ---------------------------------------------------------------------
    @property
    def grad(self) -> Any:
        """d(output)/d(self), summed over every backward pass that reached this Value.

        Zero (a float or an array of this Value's shape and dtype) until a pass reaches it.
        After `backward(create_graph=True)` it is itself a Value, so it can be differentiated.
        """
        if self._grad is None:
            self._grad = 0.0 if type(self.data) is float else np.zeros_like(self.data)
        return self._grad

    @grad.setter
    def grad(self, value: Any) -> None:
        self._grad = value

    def zero_grad(self) -> None:
        """Forget the accumulated gradient (it reads as zero again)."""
        self._grad = None

    @property
    def shape(self) -> tuple[int, ...]:
        return () if type(self.data) is float else self.data.shape

    @property
    def ndim(self) -> int:
        return len(self.shape)

    @property
    def size(self) -> int:
        return 1 if type(self.data) is float else self.data.size

    @property
    def dtype(self) -> np.dtype:
        return np.dtype(np.float64) if type(self.data) is float else self.data.dtype

    @property
    def op(self) -> str | None:
        """The name of the operation that made this Value (None for a leaf)."""
        return None if self._op is None else self._op.name

    @property
    def inputs(self) -> tuple[Any, ...]:
        """What the operation that made this Value was given: Values and constants."""
        return self._inputs

    @property
    def params(self) -> dict[str, Any]:
        """The keyword parameters of the operation that made this Value (axis, shape, ...)."""
        return dict(self._params or {})

    def item(self) -> float:
        """The single number this Value holds, as a Python float."""
        if type(self.data) is float:
            return self.data
        if self.data.size != 1:
            raise ValueError(f"item: only a Value with one element can be converted, "
                             f"this one has shape {self.shape}")
        return float(self.data.item())

    def numpy(self) -> np.ndarray:
        """The data as a numpy array (a copy: changing it leaves the Value alone)."""
        return np.array(self.data)

    def detach(self) -> Value:
        """A new leaf holding the same data, cut off from the graph (requires no gradient)."""
        return Value._leaf(self.data)

    def __float__(self) -> float:
        return self.item()

    def __len__(self) -> int:
        if not self.shape:
            raise TypeError("len() of a 0-d Value (a scalar) is undefined")
        return self.shape[0]

    def __iter__(self) -> Iterator[Value]:
        for i in range(len(self)):
            yield self[i]

    def __format__(self, spec: str) -> str:
        return format(self.item(), spec) if spec else repr(self)

    def __bool__(self) -> bool:
        if self.size != 1:
            raise ValueError(f"the truth value of a Value of shape {self.shape} is ambiguous; "
                             "use (v > 0).any() or .all() on the comparison")
        return bool(self.data)

    __hash__ = object.__hash__

    def __repr__(self) -> str:
        label = f", label={self.label!r}" if self.label else ""
        if type(self.data) is float:
            grad = "" if self._grad is None else f", grad={_short(self._grad)}"
            return f"Value(data={self.data:.6g}{grad}{label})"
        body = np.array2string(self.data, precision=4, threshold=8, edgeitems=2,
                               separator=", ", prefix="Value(")
        return f"Value({body}, shape={self.shape}, dtype={self.dtype}{label})"

    # -- making Values -----------------------------------------------------------------------
    @staticmethod
    def _leaf(data: Data, requires_grad: bool = False) -> Value:
        """A Value around data that is already converted (no copy, no checks)."""
        value = Value.__new__(Value)
        value._become_leaf(data, requires_grad, "")
        return value

    # -- backward --------------------------------------------------------------------------
    def backward(self, gradient: Any = None, retain_graph: bool = False,
                 create_graph: bool = False) -> None:
        """Backpropagate from this Value, adding d(self)/d(v) into `v.grad` for every Value v
        of the graph that requires a gradient.

        `gradient` seeds the pass and defaults to 1 for a single-element output; a larger output
        needs it (the vector in the vector-Jacobian product). Afterwards the graph is released:
        a second pass raises `GraphError` unless this one used `retain_graph=True`.
        `create_graph=True` records the pass itself, so the gradients (then Values) can be
        differentiated again; it implies `retain_graph`.
        """
        seed = _seed(self, gradient, "backward")
        _backpropagate(self, seed, retain_graph or create_graph, create_graph, None)

    # -- the operator protocol: each one is an Operation from autograd.ops ------------------
    def __add__(self, other: Any) -> Value:
        return ops.add(self, other)

    def __radd__(self, other: Any) -> Value:
        return ops.add(other, self)

    def __sub__(self, other: Any) -> Value:
        return ops.sub(self, other)

    def __rsub__(self, other: Any) -> Value:
        return ops.sub(other, self)

    def __mul__(self, other: Any) -> Value:
        return ops.mul(self, other)

    def __rmul__(self, other: Any) -> Value:
        return ops.mul(other, self)

    def __truediv__(self, other: Any) -> Value:
        return ops.div(self, other)

    def __rtruediv__(self, other: Any) -> Value:
        return ops.div(other, self)

    def __pow__(self, other: Any) -> Value:
        return ops.power(self, other)

    def __rpow__(self, other: Any) -> Value:
        return ops.power(other, self)

    def __matmul__(self, other: Any) -> Value:
        return ops.matmul(self, other)

    def __rmatmul__(self, other: Any) -> Value:
        return ops.matmul(other, self)

    def __neg__(self) -> Value:
        return ops.neg(self)

    def __pos__(self) -> Value:
        return self

    def __getitem__(self, index: Any) -> Value:
        return ops.getitem(self, index=_plain_index(index))

    # Comparisons compare the data and return plain booleans (arrays for tensors): they are
    # not differentiable, so they record nothing.
    def __lt__(self, other: Any) -> Any:
        return self.data < data_of(other)

    def __le__(self, other: Any) -> Any:
        return self.data <= data_of(other)

    def __gt__(self, other: Any) -> Any:
        return self.data > data_of(other)

    def __ge__(self, other: Any) -> Any:
        return self.data >= data_of(other)

    def __eq__(self, other: Any) -> Any:  # type: ignore[override]
        return self.data == data_of(other)

    def __ne__(self, other: Any) -> Any:  # type: ignore[override]
        return self.data != data_of(other)

    # -- named operations ------------------------------------------------------------------
    def exp(self) -> Value:
        return ops.exp(self)

    def log(self) -> Value:
        return ops.log(self)

    def sqrt(self) -> Value:
        return ops.sqrt(self)

    def abs(self) -> Value:
        return ops.absolute(self)

    def __abs__(self) -> Value:
        return ops.absolute(self)

    def tanh(self) -> Value:
        return ops.tanh(self)

    def sigmoid(self) -> Value:
        return ops.sigmoid(self)

    def relu(self) -> Value:
        return ops.relu(self)

    def sum(self, axis: int | Sequence[int] | None = None, keepdims: bool = False) -> Value:
        return ops.sum(self, axis=axis, keepdims=keepdims)

    def mean(self, axis: int | Sequence[int] | None = None, keepdims: bool = False) -> Value:
        return ops.mean(self, axis=axis, keepdims=keepdims)

    def max(self, axis: int | Sequence[int] | None = None, keepdims: bool = False) -> Value:
        return ops.max(self, axis=axis, keepdims=keepdims)

    def reshape(self, *shape: Any) -> Value:
        if len(shape) == 1 and not isinstance(shape[0], int | np.integer):
            shape = tuple(shape[0])
        return ops.reshape(self, shape=shape)

    def transpose(self, *axes: Any) -> Value:
        if len(axes) == 1 and not isinstance(axes[0], int | np.integer):
            axes = tuple(axes[0]) if axes[0] is not None else ()
        return ops.transpose(self, axes=axes or None)

    def swapaxes(self, axis1: int, axis2: int) -> Value:
        axes = list(range(self.ndim))
        axes[axis1], axes[axis2] = axes[axis2], axes[axis1]
        return ops.transpose(self, axes=tuple(axes))

    @property
    def T(self) -> Value:
        return ops.transpose(self, axes=None)

    def softmax(self, axis: int = -1) -> Value:
        return ops.softmax(self, axis=axis)

    def log_softmax(self, axis: int = -1) -> Value:
        return ops.log_softmax(self, axis=axis)


def _short(x: Any) -> str:
    return f"{x:.6g}" if isinstance(x, float) else repr(x)


def _plain_index(index: Any) -> Any:
    """Indices are constants: a Value used as an index contributes its data (as integers)."""
    if isinstance(index, tuple):
        return tuple(_plain_index(i) for i in index)
    if isinstance(index, Value):
        return np.asarray(index.data).astype(np.intp)
    if isinstance(index, list):
        return np.asarray(index)
    return index


# ---------------------------------------------------------------------------------------------
# Operation: a forward function and one vector-Jacobian product per input, kept together.

VJP = Callable[..., Any]


class Operation:
    """A differentiable operation: `forward` and, for each input, its vector-Jacobian product.

    `forward(*inputs, **params)` computes the result from plain data (floats or arrays).
    `vjps[i](g, out, *inputs, **params)` returns the gradient with respect to input i, given
    the gradient `g` of the result and the result `out`. The rules are written with ordinary
    arithmetic and with Operations, so the same rule serves plain data and, under
    `create_graph`, Values (which is how second derivatives come about). A gradient whose shape
    differs from its input's by broadcasting is summed back by the engine, not by the rule.

    Calling an Operation with at least one Value returns a Value (recorded when some input
    requires a gradient); with plain data only it returns plain data.

    >>> cube = Operation("cube", lambda x: x ** 3, lambda g, out, x: g * 3 * x ** 2)
    >>> y = cube(Value(2.0)); y.backward(); y.inputs[0].grad
    12.0
    """

    __slots__ = ("name", "forward", "vjps", "hint")

    def __init__(self, name: str, forward: Callable[..., Any], *vjps: VJP,
                 hint: str = "") -> None:
        self.name = name
        self.forward = forward
        self.vjps: Sequence[VJP] = vjps
        self.hint = hint

    def __repr__(self) -> str:
        return f"Operation({self.name!r})"

    def __call__(self, *args: Any, **params: Any) -> Any:
        datas = []
        is_value = False
        track = False
        for arg in args:
            if isinstance(arg, Value):
                is_value = True
                track = track or arg.requires_grad
                datas.append(arg.data)
            elif type(arg) in _PYTHON_LIKE_SCALARS:  # numpy's float64 and ints act as Python's
                datas.append(arg.item())
            else:
                datas.append(arg)
        try:
            out = self.forward(*datas, **params)
        except (ArithmeticError, ValueError, IndexError, TypeError) as error:
            out = self._retry_as_numpy(datas, params, error)
        if not is_value:
            return out
        if type(out) is np.float64:  # a full reduction: back to the scalar path
            out = float(out)
        if _anomaly_checks:
            _check_nan(self, out, datas, "forward")
        value = Value.__new__(Value)
        value.data = out
        value._grad = None
        value.label = ""
        value.scope = _scope
        if track and _recording:
            value.requires_grad = True
            value._op = self
            value._inputs = args
            value._params = params or _NO_PARAMS  # a shared {} keeps fewer objects alive
        else:
            value.requires_grad = False
            value._op = None
            value._inputs = ()
            value._params = None
        return value

    def _retry_as_numpy(self, datas: list[Any], params: dict[str, Any],
                        error: Exception) -> Any:
        """Python floats raise where numpy answers inf or NaN (1/0, exp(1000), log(-1)); the
        scalar path follows numpy. Any other error is the caller's mistake, explained."""
        if isinstance(error, ArithmeticError | ValueError) and any(type(d) is float
                                                                   for d in datas):
            try:
                return _on_numpy_scalars(self.forward, datas, params)
            except (ArithmeticError, ValueError, IndexError, TypeError):
                pass
        raise OperationError(self._explain(datas, params, error)) from None

    def _explain(self, datas: list[Any], params: dict[str, Any], error: Exception) -> str:
        shapes = ", ".join(_describe_input(d) for d in datas)
        settings = "".join(f", {k}={v!r}" for k, v in params.items())
        hint = f"; {self.hint}" if self.hint else ""
        return f"{self.name}: cannot apply to {shapes}{settings} ({error}){hint}"


def _on_numpy_scalars(fn: Callable[..., Any], args: Sequence[Any],
                      params: dict[str, Any]) -> Any:
    """Call `fn` with Python floats turned into numpy float64 scalars, and turn a scalar result
    back into a Python float."""
    result = fn(*[np.float64(a) if type(a) is float else a for a in args], **params)
    return float(result) if isinstance(result, np.floating) else result


def _describe_input(data: Any) -> str:
    if isinstance(data, np.ndarray | float | int):
        return f"shape {shape_of(data)}"
    if isinstance(data, list | tuple) and all(isinstance(d, np.ndarray | float) for d in data):
        return "[" + ", ".join(f"shape {shape_of(d)}" for d in data) + "]"
    return repr(data)


def _check_nan(op: Operation, out: Any, inputs: Iterable[Any], stage: str) -> None:
    def has_nan(x: Any) -> bool:
        x = data_of(x)
        return isinstance(x, float | np.ndarray | np.floating) and bool(np.isnan(x).any())

    if has_nan(out) and not any(has_nan(x) for x in inputs):
        where = ", ".join(f"shape {shape_of(x)}" for x in inputs if not isinstance(x, slice))
        raise FloatingPointError(
            f"{op.name} produced NaN in the {stage} pass from NaN-free inputs ({where})")


# ---------------------------------------------------------------------------------------------
# The backward pass.


def _seed(output: Value, gradient: Any, caller: str) -> Any:
    if not isinstance(output, Value):
        raise TypeError(f"{caller}: the output must be a Value, got {type(output).__name__}")
    if not output.requires_grad:
        raise GraphError(f"{caller}: this Value does not require a gradient (it was made from "
                         "constants only, or inside no_grad()), so there is nothing to "
                         "backpropagate to")
    if gradient is None:
        if output.size != 1:
            raise GraphError(f"{caller}: the output has shape {output.shape}; a gradient is "
                             "implied only for a single-element output. Reduce it (e.g. "
                             ".sum() or .mean()) or pass gradient= an array of that shape")
        return 1.0 if type(output.data) is float else np.ones_like(output.data)
    if isinstance(gradient, Value):
        gradient = gradient.data
    seed = as_data(gradient, caller)
    if shape_of(seed) != output.shape:
        raise GraphError(f"{caller}: gradient has shape {shape_of(seed)} but the output has "
                         f"shape {output.shape}; they must be equal")
    if type(output.data) is not float:
        seed = np.asarray(seed, dtype=output.dtype)
    return seed


def _topological_order(root: Value) -> list[Value]:
    """The Values that require a gradient and lead to `root`, each after all of its inputs.

    Iterative depth-first search, so a chain a million operations deep needs no recursion.
    """
    order: list[Value] = []
    seen = {id(root)}
    stack = [(root, iter(root._inputs))]
    push, pop, visit, finish = stack.append, stack.pop, seen.add, order.append
    while stack:
        node, inputs = stack[-1]
        for parent in inputs:
            if isinstance(parent, Value) and parent.requires_grad and id(parent) not in seen:
                visit(id(parent))
                push((parent, iter(parent._inputs)))
                break
        else:
            pop()
            finish(node)
    return order


def _reduce_to(grad: Any, like: Any, op: Operation) -> Any:
    """Sum `grad` over the axes that broadcasting added or stretched, to the shape of `like`,
    and give it `like`'s type: a float for a float, an array of its dtype for an array."""
    target = () if type(like) is float else like.shape
    gshape = grad.shape if isinstance(grad, Value | np.ndarray | np.generic) else ()
    if gshape != target:
        lead = len(gshape) - len(target)
        try:
            if gshape[lead:] == target:  # only leading axes were added: a plain sum
                grad = grad.sum(axis=tuple(range(lead)))
            else:
                axes = tuple(range(lead)) + tuple(
                    lead + i for i, n in enumerate(target) if n == 1 and gshape[lead + i] != 1)
                grad = grad.sum(axis=axes, keepdims=True).reshape(target)
        except (ValueError, IndexError):
            raise GraphError(
                f"backward: a gradient rule of {op.name!r} returned shape {gshape} for an "
                f"input of shape {target}; a rule must return its input's shape, or the shape "
                "of the input broadcast (which the engine sums back)") from None
    if isinstance(grad, Value):
        return grad
    if type(like) is float:
        return float(grad)
    return grad if type(grad) is np.ndarray and grad.dtype == like.dtype else np.asarray(
        grad, dtype=like.dtype)


def _backpropagate(root: Value, seed: Any, retain_graph: bool, create_graph: bool,
                   wanted: list[Value] | None) -> list[Any] | None:
    """Run the chain rule from `root`. With `wanted` None, add into `.grad`; otherwise return
    the gradients of the `wanted` Values and leave every `.grad` alone.

    This loop is the hottest code of the library, hence its inlined checks.
    """
    global _recording
    previous, _recording = _recording, create_graph
    # The pass makes no reference cycles, so the cyclic collector has nothing to find here;
    # pausing it saves it from scanning the whole graph again and again.
    collecting = gc.isenabled()
    gc.disable()
    pending: dict[int, Any] = {id(root): Value._leaf(seed) if create_graph else seed}
    owned: set[int] = {id(root)}  # ids whose pending gradient is our own array: safe to add into
    found: dict[int, Any] = {}
    wanted_ids = None if wanted is None else {id(v) for v in wanted}
    ndarray, check_nan = np.ndarray, _anomaly_checks
    try:
        for node in reversed(_topological_order(root)):
            g = pending.pop(id(node), None)
            if g is None:
                continue
            op = node._op
            if wanted_ids is None:
                if node._grad is None:
                    # A leaf's .grad is the user's to keep: it must not share memory.
                    if op is None and type(g) is ndarray and id(node) not in owned:
                        g = g.copy()
                    node._grad = g
                else:
                    node._grad = node._grad + g
            elif id(node) in wanted_ids:
                found[id(node)] = g
            if op is None:
                continue
            params = node._params
            if type(params) is _Released:
                raise GraphError(
                    f"backward: the graph through {op.name!r} was already released by an "
                    "earlier backward pass; call backward(retain_graph=True) the first time "
                    "to backpropagate through it again")
            inputs = node._inputs
            if create_graph:
                out, args = node, inputs
            elif len(inputs) == 1:  # then it is a Value
                out, args = node.data, (inputs[0].data,)
            else:
                out, args = node.data, [x.data if isinstance(x, Value) else x for x in inputs]
            vjps = op.vjps
            for i, parent in enumerate(inputs):
                if not isinstance(parent, Value) or not parent.requires_grad:
                    continue
                try:
                    contribution = vjps[i](g, out, *args, **params)
                except ArithmeticError:  # e.g. 1/0 on the scalar path
                    contribution = _on_numpy_scalars(vjps[i], [g, out, *args], params)
                like = parent.data
                if contribution.__class__ is not like.__class__ or type(like) is ndarray and (
                        contribution.shape != like.shape or contribution.dtype != like.dtype):
                    contribution = _reduce_to(contribution, like, op)
                if check_nan:
                    _check_nan(op, contribution, [g], "backward")
                key = id(parent)
                earlier = pending.get(key)
                if earlier is None:
                    pending[key] = contribution
                    # A new array, not one the rule was given, is ours to add into or to keep.
                    if (type(contribution) is ndarray and contribution.base is None
                            and contribution is not g and contribution is not out
                            and _is_none_of(contribution, args)):
                        owned.add(key)
                elif key in owned:
                    earlier += contribution
                else:
                    total = pending[key] = earlier + contribution
                    if type(total) is ndarray:
                        owned.add(key)
            if not retain_graph:
                node._params = _RELEASED if params is _NO_PARAMS else _Released(params)
    finally:
        _recording = previous
        if collecting:
            gc.enable()
    if wanted is None:
        return None
    return [found.get(id(v), _zeros_like(v, create_graph)) for v in wanted]


def _is_none_of(x: Any, candidates: Sequence[Any]) -> bool:
    # A loop rather than all(...): this runs for every edge, and a generator costs more.
    for candidate in candidates:  # noqa: SIM110
        if x is candidate:
            return False
    return True


def _zeros_like(v: Value, as_value: bool) -> Any:
    zeros = 0.0 if type(v.data) is float else np.zeros_like(v.data)
    return Value._leaf(zeros) if as_value else zeros


def grad(output: Value, inputs: Value | Sequence[Value], grad_output: Any = None,
         create_graph: bool = False, retain_graph: bool | None = None) -> Any:
    """The gradients of `output` with respect to `inputs`, returned instead of stored in `.grad`.

    With `create_graph=True` the gradients are Values recorded in a graph of their own, so they
    can be differentiated again (second derivatives, Hessian-vector products). An input that
    does not affect the output gets a zero gradient.

    >>> x = Value(3.0)
    >>> (dy,) = grad(x ** 3, [x], create_graph=True)   # 3 x^2 = 27
    >>> grad(dy, [x])                                   # 6 x = 18
    [18.0]
    """
    single = isinstance(inputs, Value)
    targets = [inputs] if single else list(inputs)
    for i, v in enumerate(targets):
        if not isinstance(v, Value):
            raise TypeError(f"grad: inputs[{i}] must be a Value, got {type(v).__name__}")
    seed = _seed(output, grad_output, "grad")
    keep = create_graph if retain_graph is None else retain_graph
    grads = _backpropagate(output, seed, keep or create_graph, create_graph, targets)
    return grads[0] if single else grads


# The operations are defined in their own module, on top of this one.
from autograd import ops  # noqa: E402
