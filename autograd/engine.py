"""The engine: Nodes that remember how they were computed, Operations that record themselves, and
the backward pass. It knows no particular operation: those are in `autograd.ops`, and `Value`
(in `autograd.value`) is a Node with Python's operators and the operations as methods.

A Node holds `data` (a Python float for scalars, a numpy array for tensors) and, once a backward
pass has reached it, `grad`. Applying an `Operation` to Nodes computes the result and, when
gradients are wanted, records the operation and its inputs on the result. `backward()` walks
that record from the output to the leaves in reverse topological order and applies each
operation's vector-Jacobian products (the chain rule).

Three rules keep every gradient right or an error:
- Data a recorded graph needs is not changed behind its back. Assigning a Node's `data`
  (`w.data -= lr * w.grad` included) counts as a new version, and backward refuses a graph
  that used an older version. A recorded result's array is read-only. Writes into the elements
  of a leaf's array or of a plain numpy operand are caught under `detect_anomaly()`.
- No two gradients share writable memory: each `.grad` is an array of its own.
- The switches (`no_grad`, `detect_anomaly`, `name_scope`) hold per thread and per asyncio task.

The graph holds no reference cycles (a result points to its inputs, never the other way), so
it is freed the moment the last reference to its output goes away. Backward frees what it has
used as it goes: see `Node.backward`.
"""

from __future__ import annotations

import gc
import inspect
import itertools
import operator
import threading
import zlib
from collections.abc import Callable, Iterable, Sequence
from contextlib import ContextDecorator
from contextvars import ContextVar
from functools import partial
from typing import Any, NamedTuple, Protocol

import numpy as np

Data = float | np.ndarray  # what Node.data holds


class GraphError(RuntimeError):
    """A backward pass was asked for something the graph cannot give."""


class OperationError(ValueError):
    """An operation was given inputs it cannot work with (shapes, values or types)."""


# ---------------------------------------------------------------------------------------------
# Switches: recording (no_grad), the anomaly checks (detect_anomaly) and the name scope. They
# live in a context variable, so each thread and each asyncio task has its own.


class _Mode(NamedTuple):
    recording: bool
    anomaly: bool
    scope: str | None  # the name_scope path the next operation is recorded in
    # The switch that made this mode, and the mode to put back on leaving it. They live in the
    # mode, not on the switch: one switch object (`inference = no_grad()` at module level, say)
    # may be inside several threads and tasks at once, each of which must get its own mode back.
    entered_by: _ModeChange | None = None
    outside: _Mode | None = None


_mode: ContextVar[_Mode] = ContextVar(  # a NamedTuple default is immutable, as B039 asks
    "autograd_mode", default=_Mode(True, False, None))  # noqa: B039


class _ModeChange(ContextDecorator):
    """A context (or decorator) that changes the mode inside and puts the previous one back."""

    def _changed(self, mode: _Mode) -> tuple[bool, bool, str | None]:
        """What the mode inside records: (recording, anomaly, scope), given the mode outside."""
        raise NotImplementedError

    def __enter__(self) -> _ModeChange:
        mode = _mode.get()
        _mode.set(_Mode(*self._changed(mode), self, mode))
        return self

    def __exit__(self, *exc: object) -> None:
        mode = _mode.get()
        if mode.entered_by is not self:
            raise RuntimeError(f"{type(self).__name__}: left without being entered (or after a "
                               "switch entered inside it was left out of order)")
        _mode.set(mode.outside)  # type: ignore[arg-type]


class no_grad(_ModeChange):
    """Inside this context (or a function decorated with it) operations record nothing.

    >>> from autograd import Value
    >>> with no_grad():
    ...     y = Value(2.0) * 3          # y is a constant: no graph, no gradient
    >>> y.requires_grad
    False
    >>> @no_grad                        # as a decorator, with or without parentheses
    ... def predict(x):
    ...     return x * 3
    >>> predict(Value(2.0)).requires_grad
    False
    """

    def __new__(cls, function: Callable[..., Any] | None = None) -> Any:
        if function is None:
            return super().__new__(cls)
        if not callable(function):
            raise TypeError(f"no_grad: takes no arguments as a context (with no_grad(): ...) "
                            f"and a function as a decorator, got {type(function).__name__}")
        return cls()(function)  # @no_grad without parentheses: the decorated function

    def __init__(self, function: Callable[..., Any] | None = None) -> None:
        super().__init__()

    def _changed(self, mode: _Mode) -> tuple[bool, bool, str | None]:
        return False, mode.anomaly, mode.scope


class detect_anomaly(_ModeChange):
    """Inside this context operations check for NaN and for data changed behind the graph's back.

    The forward pass raises `FloatingPointError` at the first operation that turns NaN-free
    inputs into a NaN; the backward pass raises at the first gradient rule that produces NaN.
    Each operation recorded inside also keeps a checksum of its array inputs, so that backward
    raises `GraphError` when an element of one was written since (`x.data[0] = 5`, or a plain
    numpy operand changed in place), which the default checks cannot see. It costs a scan of
    every array, so it is off by default.
    """

    def _changed(self, mode: _Mode) -> tuple[bool, bool, str | None]:
        return mode.recording, True, mode.scope


class name_scope(_ModeChange):
    """Tag the operations recorded inside with a name, for drawings that group them.

    Scopes nest into paths: inside `name_scope("mlp")` and then `name_scope("layer0")`,
    results carry `scope == "mlp/layer0"`, as inside `name_scope("mlp/layer0")`: a `/` in a
    name separates levels. `nn` modules open one around each call.
    """

    def __init__(self, name: str) -> None:
        if not isinstance(name, str):
            raise TypeError(f"name_scope: the name must be a string, got {type(name).__name__}")
        if "" in name.split("/"):
            raise ValueError(f"name_scope: the name must be a non-empty string whose levels, "
                             f"separated by '/', are non-empty; got {name!r}")
        self.name = name

    def _changed(self, mode: _Mode) -> tuple[bool, bool, str | None]:
        scope = self.name if mode.scope is None else f"{mode.scope}/{self.name}"
        return mode.recording, mode.anomaly, scope


def is_grad_enabled() -> bool:
    """Whether operations are being recorded (False inside `no_grad`) in this thread."""
    return _mode.get().recording


# ---------------------------------------------------------------------------------------------
# Data conversion.

_PYTHON_LIKE_SCALARS = {np.float64, np.int64, np.int32, np.bool_}


def as_data(data: Any, where: str = "Value", copy: bool = True) -> Data:
    """Convert user input to what a Node holds: a float, or a floating numpy array.

    Python numbers and numpy float64 scalars become Python floats (the fast scalar path); lists
    and integer or boolean arrays become float64 arrays; floating arrays keep their dtype and
    are copied, so the Node never shares memory with the caller's array, unless `copy` is
    False.
    """
    if isinstance(data, Node):
        data = data._data
    if type(data) is float:
        return data
    if isinstance(data, bool | int | np.integer | np.bool_) or type(data) is np.float64:
        return float(data)
    if isinstance(data, complex | np.complexfloating):
        raise TypeError(f"{where}: complex numbers are not supported (got {data!r}); "
                        "pass real numbers")
    try:
        array = np.array(data) if copy else np.asarray(data)
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
    """The data of a Node; anything else as it is."""
    return x._data if isinstance(x, Node) else x


def shape_of(x: Any) -> tuple[int, ...]:
    """The shape of a float, an array or a Node (a float's shape is ())."""
    return () if type(x) is float else np.shape(data_of(x))


# Every assignment of a Node's data takes the next number, and so does every recorded result:
# a graph was recorded before a change exactly when the change's number is the larger.
_tick = itertools.count(1).__next__


# ---------------------------------------------------------------------------------------------
# Node.


class _Released(dict):
    """An operation's parameters after backward released its graph: readable (for drawing),
    but a second backward pass through the operation is refused."""


_NO_PARAMS: dict[str, Any] = {}
_RELEASED = _Released()
# A Node's slots: what a copy or a pickle of a leaf keeps
_STATE = ("_data", "_grad", "requires_grad", "label", "_op", "_inputs", "_params", "scope",
          "_version", "_stamp", "_checksums")


class Node:
    """A number or an array in the graph: its data, its gradient, and the operation (with its
    inputs) that computed it, if any. `Value` adds the operators; build Values, not Nodes.
    """

    __slots__ = (*_STATE, "__weakref__")

    _data: Any  # Data: a float or a floating numpy array, told apart by type(_data) is float
    _grad: Any
    requires_grad: bool
    label: str
    _op: Operation | None
    _inputs: tuple[Any, ...]
    _params: dict[str, Any]  # a _Released dict once backward has released the graph
    scope: str | None
    _version: int  # the tick of the last assignment of data, 0 if never assigned
    _stamp: int  # the tick at which the operation was recorded (0 for a leaf)
    _checksums: tuple[Any, ...] | None  # under detect_anomaly: the array inputs' checksums

    def __init__(self, data: Any, requires_grad: bool = True, label: str = "",
                 copy: bool = True) -> None:
        self._become_leaf(as_data(data, copy=copy), bool(requires_grad), label)

    def _become_leaf(self, data: Data, requires_grad: bool, label: str) -> None:
        # Operation.__call__ sets the same slots inline: it is the hottest path.
        self._data = data
        self._grad = None
        self._version = 0
        self.requires_grad = requires_grad
        self.label = label
        self._op = None
        self._inputs = ()
        self._params = _NO_PARAMS
        self._stamp = 0
        self._checksums = None
        self.scope = _mode.get().scope

    @classmethod
    def _leaf(cls, data: Data, requires_grad: bool = False) -> Any:
        """A leaf around data that is already converted (no copy, no checks)."""
        node = cls.__new__(cls)
        node._become_leaf(data, requires_grad, "")
        return node

    # -- what it holds ---------------------------------------------------------------------
    @property
    def data(self) -> Any:
        """The number (a Python float) or the numpy array this Value holds.

        Assigning it (`w.data = ...`, `w.data -= lr * w.grad`) is allowed at any time, but a
        graph recorded before the assignment can no longer be backpropagated: backward raises
        `GraphError` instead of using the new data where the old was meant. A result recorded
        in a graph holds a read-only array (backward may need it as it is).
        """
        return self._data

    @data.setter
    def data(self, data: Any) -> None:
        self._data = data if type(data) is float or type(data) is np.ndarray and \
            data.dtype.kind == "f" else as_data(data, "data")
        self._version = _tick()

    @property
    def grad(self) -> Any:
        """d(output)/d(self), summed over every backward pass that reached this Value.

        Zero (a float or an array of this Value's shape and dtype) until a pass reaches it.
        After `backward(create_graph=True)` it is itself a Value, so it can be differentiated.
        """
        if self._grad is None:
            self._grad = 0.0 if type(self._data) is float else np.zeros_like(self._data)
        return self._grad

    @grad.setter
    def grad(self, value: Any) -> None:
        self._grad = value

    def zero_grad(self) -> None:
        """Forget the accumulated gradient (it reads as zero again)."""
        self._grad = None

    @property
    def shape(self) -> tuple[int, ...]:
        return () if type(self._data) is float else self._data.shape

    @property
    def ndim(self) -> int:
        return len(self.shape)

    @property
    def size(self) -> int:
        return 1 if type(self._data) is float else self._data.size

    @property
    def dtype(self) -> np.dtype:
        return np.dtype(np.float64) if type(self._data) is float else self._data.dtype

    @property
    def op(self) -> str | None:
        """The name of the operation that made this Value (None for a leaf)."""
        return None if self._op is None else self._op.name

    @property
    def inputs(self) -> tuple[Any, ...]:
        """What the operation that made this Value was given: Values and constants. Empty for a
        leaf, and for a tensor result once backward has released its graph."""
        return self._inputs

    @property
    def params(self) -> dict[str, Any]:
        """The keyword parameters of the operation that made this Value (axis, shape, ...)."""
        return dict(self._params)

    @property
    def released(self) -> bool:
        """Whether a backward pass has released the graph through this Value's operation."""
        return type(self._params) is _Released

    def item(self) -> float:
        """The single number this Value holds, as a Python float."""
        if type(self._data) is float:
            return self._data
        if self._data.size != 1:
            raise ValueError(f"item: only a Value with one element can be converted, "
                             f"this one has shape {self.shape}")
        return float(self._data.item())

    def numpy(self) -> np.ndarray:
        """The data as a numpy array (a copy: changing it leaves the Value alone)."""
        return np.array(self._data)

    # -- copies and pickles ----------------------------------------------------------------
    def __getstate__(self) -> dict[str, Any]:
        """A leaf's state, for pickle and copy. A recorded result is refused, as in PyTorch:
        when its arrays were recorded and changed is counted by this process alone, so a copy
        could backpropagate through changed data unnoticed."""
        if self._op is not None:
            raise GraphError(
                f"cannot pickle or copy the {self._op.name!r} result (shape {self.shape}): it "
                "carries its graph, which does not leave its process; pickle or copy "
                "v.detach() (its data as a new leaf), v.item(), or the leaves it was made from")
        return {name: getattr(self, name) for name in _STATE}

    def __setstate__(self, state: dict[str, Any]) -> None:
        for name, value in state.items():
            setattr(self, name, value)
        self._version = 0  # assignments counted elsewhere (another process) mean nothing here

    def detach(self) -> Any:
        """A new leaf holding the same data, cut off from the graph (requires no gradient).

        A recorded result's array is shared: it is read-only, so it never changes. Any other
        array is copied: a leaf's own one changes in place (`w.data -= lr * w.grad`), and a
        graph that used the detached Value would not see that it had.
        """
        data = self._data
        if type(data) is np.ndarray and (data.flags.writeable or data.base is not None):
            data = data.copy()  # writable, or a read-only view of an array that may not be
        return type(self)._leaf(data)

    def __float__(self) -> float:
        return self.item()

    def __len__(self) -> int:
        if not self.shape:
            raise TypeError("len() of a 0-d Value (a scalar) is undefined")
        return self.shape[0]

    def __format__(self, spec: str) -> str:
        return format(self.item(), spec) if spec else repr(self)

    def __bool__(self) -> bool:
        if self.size != 1:
            raise ValueError(f"the truth value of a Value of shape {self.shape} is ambiguous; "
                             "use (v > 0).any() or .all() on the comparison")
        return bool(self._data)

    def __repr__(self) -> str:
        label = f", label={self.label!r}" if self.label else ""
        if type(self._data) is float:
            grad = "" if self._grad is None else f", grad={_short(self._grad)}"
            return f"Value(data={_short(self._data)}{grad}{label})"
        body = np.array2string(self._data, precision=4, threshold=8, edgeitems=2,
                               separator=", ", prefix="Value(")
        return f"Value({body}, shape={self.shape}, dtype={self.dtype}{label})"

    # -- backward --------------------------------------------------------------------------
    def backward(self, gradient: Any = None, retain_graph: bool = False,
                 create_graph: bool = False) -> None:
        """Backpropagate from this Value, adding d(self)/d(v) into `v.grad` for every Value v
        of the graph that requires a gradient.

        `gradient` seeds the pass and defaults to 1 for a single-element output; a larger output
        needs it (the vector in the vector-Jacobian product).

        The pass releases the graph as it goes, unless `retain_graph=True`: a second pass
        through it raises `GraphError`, and each tensor result lets go of its inputs once its
        rules have run, so intermediate results nobody else holds are freed during the pass.
        Values you hold keep their data and gradient. A result whose data and inputs are all
        Python floats (the scalar path) keeps its inputs, so a scalar graph can still be drawn
        whole after backward, as in micrograd. `create_graph=True` records the pass itself,
        so the gradients (then Values) can be differentiated again; it implies `retain_graph`.
        """
        seed = _seed(self, gradient, "backward")
        _backpropagate(self, seed, retain_graph or create_graph, create_graph, None)


def _short(x: Any) -> str:
    """A float in 6 significant digits, still reading as a float (27.0, not 27)."""
    if not isinstance(x, float):
        return repr(x)
    text = f"{x:.6g}"
    return text if any(c in text for c in ".en") else text + ".0"  # e: 1e+20, n: inf, nan


# ---------------------------------------------------------------------------------------------
# Operation: a forward function and one vector-Jacobian product per input, kept together.

VJP = Callable[..., Any]


class Operation:
    """A differentiable operation: `forward` and, for each input, its vector-Jacobian product.

    `forward(*inputs, **params)` computes the result from plain data (floats or arrays; a
    list or tuple of numbers among the inputs arrives as the array numpy makes of it).
    `vjps[i](g, out, *inputs, **params)` returns the gradient with respect to input i, given
    the gradient `g` of the result and the result `out`. For an operation of any number of
    inputs, give instead `each_input=rule`, called as `rule(i, g, out, *inputs, **params)`.
    The rules are written with ordinary arithmetic and with Operations, so the same rule serves
    plain data and, under `create_graph`, Values (which is how second derivatives come about).
    A gradient whose shape differs from its input's by broadcasting is summed back by the
    engine, not by the rule.

    `fresh_gradients=True` promises that every rule returns a new array or one of the arrays it
    was given (`g`, `out`, an input), never one kept elsewhere (a constant, a cache); the engine
    may then add into the new ones in place. Without the promise (the default) it copies each
    array a rule returns as soon as the rule returns it: slower, never wrong, even for a rule
    that fills one buffer of its own on every call. `doc` becomes the operation's docstring
    (what `help` shows, after the call form taken from `forward`'s signature).

    Calling an Operation with at least one Value returns a Value (recorded when some input
    requires a gradient); with plain data only it returns plain data.

    >>> from autograd import Value
    >>> cube = Operation("cube", lambda x: x ** 3, lambda g, out, x: g * 3 * x ** 2)
    >>> y = cube(Value(2.0)); y.backward(); y.inputs[0].grad
    12.0
    """

    def __init__(self, name: str, forward: Callable[..., Any], *vjps: VJP,
                 each_input: Callable[..., Any] | None = None, fresh_gradients: bool = False,
                 hint: str = "", doc: str = "") -> None:
        if not callable(forward):
            raise TypeError(f"Operation {name!r}: forward must be a function, got "
                            f"{type(forward).__name__}")
        for i, rule in enumerate(vjps):
            if not callable(rule):
                raise TypeError(f"Operation {name!r}: gradient rule {i} must be a function "
                                f"rule(g, out, *inputs, **params), got {type(rule).__name__}")
        if vjps and each_input is not None:
            raise TypeError(f"Operation {name!r}: give one rule per input or each_input=, "
                            "not both")
        self.name = name
        self.forward = forward
        self.vjps: tuple[VJP, ...] = vjps
        self.each_input = each_input
        self.fresh_gradients = fresh_gradients
        self.hint = hint
        self.__signature__ = _call_form(forward)
        if doc:
            self.__doc__ = f"{name}{self.__signature__}\n\n{inspect.cleandoc(doc)}"

    def __repr__(self) -> str:
        return f"Operation({self.name!r})"

    def __call__(self, *args: Any, **params: Any) -> Any:
        datas = []
        kind = None  # the class of the first Node among the inputs: the result's class
        track = False
        for arg in args:
            if isinstance(arg, Node):
                if kind is None:
                    kind = arg.__class__
                track = track or arg.requires_grad
                datas.append(arg._data)
            elif type(arg) in _PYTHON_LIKE_SCALARS:  # numpy's float64 and ints act as Python's
                datas.append(arg.item())
            elif type(arg) is list or type(arg) is tuple:  # numbers, to read as one array
                return self(*_lists_as_arrays(self, args), **params)
            else:
                datas.append(arg)
        try:
            out = self.forward(*datas, **params)
        except (ArithmeticError, ValueError, IndexError, TypeError) as error:
            out = self._retry_as_numpy(datas, params, error)
        if kind is None:
            return out
        recording, anomaly, scope, _, _ = _mode.get()
        if type(out) is not np.ndarray and type(out) is not float:
            out = self._as_result(out, datas)
        if anomaly:
            _check_nan(self, out, datas, "forward")
        value = kind.__new__(kind)
        value._grad = None
        value._version = 0
        value.label = ""
        value.scope = scope
        if track and recording:
            value._data = _read_only(self, out, datas) if type(out) is np.ndarray else out
            value.requires_grad = True
            value._op = self
            value._inputs = args
            value._params = params or _NO_PARAMS  # a shared {} keeps fewer objects alive
            value._stamp = _tick()
            value._checksums = _checksums(args, out, params) if anomaly else None
        else:
            value._data = out
            value.requires_grad = False
            value._op = None
            value._inputs = ()
            value._params = _NO_PARAMS
            value._stamp = 0
            value._checksums = None
        return value

    def _as_result(self, out: Any, datas: list[Any]) -> Any:
        """What a forward function returned, as a Value holds it: numpy's float64 (a full
        reduction) and whole numbers become Python floats, other numpy floats stay; anything
        else is a mistake in the forward function, said so."""
        if type(out) is np.float64 or isinstance(out, int | np.integer | np.bool_):
            return float(out)
        if isinstance(out, np.floating):
            return out
        shapes = ", ".join(_describe_input(d) for d in datas)
        # The inputs it was given are plain data, so a Value came from a setting, or from the
        # forward function itself.
        setting = (" (a setting given as a Value, such as negative_slope=Value(0.1), leads "
                   "here: settings are constants, never differentiated; give a number, "
                   "v.item())") if isinstance(out, Node) else ""
        raise OperationError(f"{self.name}: its forward function returned "
                             f"{type(out).__name__} for {shapes}; it must return a float or a "
                             f"numpy array of real numbers{setting}")

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
        raise OperationError(self._explain(datas, params, error)) from error

    def _explain(self, datas: list[Any], params: dict[str, Any], error: Exception) -> str:
        shapes = ", ".join(_describe_input(d) for d in datas)
        settings = "".join(f", {k}={v!r}" for k, v in params.items())
        hint = f"; {self.hint}" if self.hint else ""
        return f"{self.name}: cannot apply to {shapes}{settings} ({error}){hint}"


def _lists_as_arrays(op: Operation, args: tuple[Any, ...]) -> list[Any]:
    """The inputs with each list or tuple made an array, as numpy would read it, so that the
    rules see arrays. A Value inside one would be read as constant numbers and silently lose
    its gradient: that is refused."""
    inputs = list(args)
    for i, arg in enumerate(args):
        if type(arg) is not list and type(arg) is not tuple:
            continue
        pending = [arg]
        while pending:
            for item in pending.pop():
                if isinstance(item, Node):
                    raise TypeError(
                        f"{op.name}: input {i} is a {type(arg).__name__} holding Values, which "
                        "numpy would read as constant numbers, so no gradient would reach "
                        "them; make it one Value first with autograd.stack([...]) (or use "
                        "v.data for a constant)")
                if type(item) is list or type(item) is tuple:
                    pending.append(item)
        try:
            inputs[i] = np.asarray(arg)
        except ValueError as error:  # ragged
            raise OperationError(f"{op.name}: input {i} cannot be made an array: "
                                 f"{error}") from None
    return inputs


def _call_form(forward: Callable[..., Any]) -> inspect.Signature:
    """How an operation is called: its forward function's parameters, without annotations."""
    try:
        signature = inspect.signature(forward)
    except (TypeError, ValueError):  # some builtins have none
        return inspect.Signature([inspect.Parameter("inputs", inspect.Parameter.VAR_POSITIONAL)])
    return signature.replace(
        parameters=[p.replace(annotation=p.empty) for p in signature.parameters.values()],
        return_annotation=signature.empty)


def _read_only(op: Operation, out: np.ndarray, datas: list[Any]) -> np.ndarray:
    """`out` made read-only, so that nothing writes into a result a backward pass may need; a
    view if the forward returned one of its inputs' arrays, which stays the caller's own. An
    array of integers or booleans becomes float64, as it does in Value(...): a gradient of
    integers would be rounded."""
    if out.dtype.kind != "f":
        if out.dtype.kind not in "biu":
            raise OperationError(f"{op.name}: its forward function returned an array of "
                                 f"{out.dtype}; it must return real numbers")
        out = out.astype(np.float64)
    for data in datas:
        if out is data:
            out = out.view()
            break
    # The first flag is `write`; named, it would cost three times as much.
    _set_flags(out, False)  # type: ignore[call-arg]
    return out


_set_flags = np.ndarray.setflags


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


def _checksum(x: Any) -> Any:
    data = data_of(x)
    if type(data) is tuple:  # an index of several arrays
        return tuple(_checksum(part) for part in data)
    return zlib.crc32(np.ascontiguousarray(data).data) if type(data) is np.ndarray else None


def _checksums(args: tuple[Any, ...], out: Any, params: dict[str, Any]) -> tuple[Any, ...]:
    """A checksum of every array the rules may read: the inputs', the result's own and those
    given as parameters (an index, labels)."""
    return (*(_checksum(x) for x in args), _checksum(out),
            *(_checksum(v) for v in params.values()))


# ---------------------------------------------------------------------------------------------
# The backward pass: gather each Node's gradient, keep it, apply its operation's rules, hand
# the results to its inputs, release.


def _seed(output: Node, gradient: Any, caller: str) -> Any:
    if not isinstance(output, Node):
        raise TypeError(f"{caller}: the output must be a Value, got {type(output).__name__}")
    if not output.requires_grad:
        raise GraphError(f"{caller}: this Value does not require a gradient (it was made from "
                         "constants only, or inside no_grad()), so there is nothing to "
                         "backpropagate to")
    if gradient is None:
        data = output._data
        if type(data) is float:
            return 1.0
        if data.size != 1:
            raise GraphError(f"{caller}: the output has shape {output.shape}; a gradient is "
                             "implied only for a single-element output. Reduce it (e.g. "
                             ".sum() or .mean()) or pass gradient= an array of that shape")
        return np.ones_like(data)
    seed = as_data(gradient, caller)  # a new array: the caller's stays the caller's
    if shape_of(seed) != output.shape:
        raise GraphError(f"{caller}: gradient has shape {shape_of(seed)} but the output has "
                         f"shape {output.shape}; they must be equal")
    if type(output._data) is not float:
        seed = np.asarray(seed, dtype=output.dtype)
    return seed


def _topological_order(root: Node) -> list[Node]:
    """The Nodes that require a gradient and lead to `root`, each after all of its inputs.

    A result is recorded after its inputs, so its stamp is the larger: sorting by stamp is a
    topological order (leaves, stamped 0, come first). Collected without recursion, so a chain
    a million operations deep needs none.
    """
    order = [root]
    seen = {id(root)}
    for node in order:  # grows while it is walked: every Node reached is visited once
        for parent in node._inputs:
            if not isinstance(parent, Node) or not parent.requires_grad:
                continue
            if parent._stamp >= node._stamp:  # every edge: cannot happen in one process
                raise GraphError(f"backward: the {node.op!r} result was recorded before one "
                                 "of its inputs; the graph cannot be ordered")
            if id(parent) not in seen:
                seen.add(id(parent))
                order.append(parent)
    order.sort(key=_stamp_of)
    return order


_stamp_of = operator.attrgetter("_stamp")


def _toward(order: list[Node], wanted: dict[int, Any]) -> tuple[list[Node], list[int]]:
    """For `grad()`: the Nodes of `order` on a path to a wanted Node, in the same order, and
    the wanted Nodes with no wanted Node behind them.

    The gradients of the wanted Nodes need no rule of those last ones, nor anything they were
    computed from: that part of the graph is neither walked, nor checked for changed data,
    nor released (as PyTorch's autograd.grad). So `grad(loss, [h])` works for an
    intermediate `h` whose history has moved on, which `gradcheck` does to its inputs.
    """
    leading: set[int] = set()  # the Nodes kept or ended at: those a wanted Node is behind
    kept: list[Node] = []
    ends: list[int] = []
    for node in order:  # each Node after its inputs
        key = id(node)
        for x in node._inputs:
            if isinstance(x, Node) and id(x) in leading:
                kept.append(node)
                leading.add(key)
                break
        else:
            if key in wanted:
                ends.append(key)
                leading.add(key)
    return kept, ends


def _backpropagate(root: Node, seed: Any, retain_graph: bool, create_graph: bool,
                   wanted: list[Node] | None,
                   watcher: Watcher | None = None) -> list[Any] | None:
    """Run the chain rule from `root`. With `wanted` None, add into `.grad`; otherwise return
    the gradients of the `wanted` Nodes and leave every `.grad` alone.

    `pending` holds the gradients on their way to each Node; `own` names those that are arrays
    of the pass's own (new, held by nobody else), which it may add into in place and hand out
    without a copy.
    """
    with _one_pass_at_a_time:
        return _run_pass(root, seed, retain_graph, create_graph, wanted, watcher)


class _NothingOwned(set):
    """The `own` set of a recorded pass (create_graph): its gradients are Values, which are
    never added into in place. A rule may still return a plain array there (one written with
    numpy); owned, it would be added into in place, which fails once a Value joins it."""

    def add(self, key: int) -> None:
        pass


# Passes in several threads may add into the same `.grad` (parameters shared between graphs):
# one at a time, so that no addition is lost. Reentrant, for a rule that runs a pass itself.
_one_pass_at_a_time = threading.RLock()


class Watcher(Protocol):
    """What a replayed pass reports, step by step (see `replay`)."""

    def gathered(self, node: Node, gradient: Any) -> None:
        """`node`'s gradient, once every Node made from it has sent its part."""

    def sent(self, node: Node, i: int, parent: Node, part: Any, total: Any) -> None:
        """`node`'s rule for its input i handed `parent` the gradient `part`; what `parent` has
        gathered so far is now `total` (an array the pass may still add into: copy it)."""


def replay(output: Node, watcher: Watcher, gradient: Any = None) -> None:
    """Run a backward pass from `output` that changes nothing, telling `watcher` each step: the
    gradient each Node gathers, and what each rule hands each input. No `.grad` is stored and
    nothing is released, so the numbers are the engine's own and the Values stay as they were.
    A scalar graph released by an earlier backward() can be replayed (its structure is kept);
    a released tensor graph cannot: its results have let go of their inputs.
    """
    seed = _seed(output, gradient, "replay")
    for node in _topological_order(output):
        if node._op is not None and not node._inputs:
            raise GraphError(f"replay: backward() released the graph behind the "
                             f"{node._op.name!r} result (shape {node.shape}); replay before "
                             "backward(), or after backward(retain_graph=True)")
    _backpropagate(output, seed, True, False, None, watcher)


def _run_pass(root: Node, seed: Any, retain_graph: bool, create_graph: bool,
              wanted: list[Node] | None, watcher: Watcher | None = None) -> list[Any] | None:
    order = _topological_order(root)
    found: dict[int, Any] = {} if wanted is None else {id(v): None for v in wanted}
    ends: list[int] = []
    if wanted is not None:
        order, ends = _toward(order, found)
    pending: dict[int, Any] = {id(root): root._leaf(seed) if create_graph else seed}
    own: set[int] = ({id(root)} if type(seed) is np.ndarray else set()) if not create_graph \
        else _NothingOwned()
    mode = _mode.get()  # the same mode but for recording: a switch entered before may be left
    anomaly = mode.anomaly
    token = _mode.set(mode._replace(recording=create_graph))
    # The pass makes no reference cycles, so the cyclic collector has nothing to find here;
    # pausing it saves it from scanning the whole graph again and again.
    collecting = gc.isenabled()
    gc.disable()
    try:
        while order:
            node = order.pop()  # popped, so that a Node nobody else holds is freed once done
            # gather what the Nodes made from this one sent it, as an array of its own
            key = id(node)
            g = pending.pop(key, None)
            if g is None:
                continue
            if key in own:
                own.discard(key)
            elif type(g) is np.ndarray:
                g = g.copy()
            # keep it
            if watcher is not None:
                watcher.gathered(node, g)
            elif wanted is None:
                node._grad = g if node._grad is None else node._grad + g
            elif key in found:
                found[key] = g
            # apply the rules, each input getting its part; then release
            op = node._op
            if op is not None:
                _apply_rules(node, op, g, pending, own, create_graph, anomaly, watcher)
                if not retain_graph:
                    _release(node)
    finally:
        _mode.reset(token)
        if collecting:
            gc.enable()
    if wanted is None:
        return None
    for key in ends:  # what reached the wanted Nodes whose own rules were not needed
        g = pending.pop(key, None)
        found[key] = g if key in own or type(g) is not np.ndarray else g.copy()
    return _each_its_own([found[id(v)] for v in wanted], wanted, create_graph)


def _each_its_own(gradients: list[Any], wanted: list[Node], as_value: bool) -> list[Any]:
    """The gradients `grad()` returns, zeros where none arrived, and a copy where an input is
    asked for twice: no two returned arrays share memory."""
    given: set[int] = set()
    for i, (g, v) in enumerate(zip(gradients, wanted, strict=True)):
        if g is None:
            gradients[i] = _zeros_like(v, as_value)
        elif id(g) in given and type(g) is np.ndarray:
            gradients[i] = g.copy()
        given.add(id(g))
    return gradients


def _apply_rules(node: Node, op: Operation, g: Any, pending: dict[int, Any], own: set[int],
                 create_graph: bool, anomaly: bool, watcher: Watcher | None) -> None:
    """Run the rules of `node`'s operation `op` and add the results into its inputs' pending
    gradients. One function, with no calls of its own per input: it runs for every edge."""
    inputs, params = node._inputs, node._params
    if type(params) is _Released and watcher is None:  # a replay may watch a kept scalar graph
        raise _released_error(op)
    # check that the data the rules read is what the forward pass used
    stamp = node._stamp
    if node._version > stamp:
        raise _changed_error(node, node)
    args = []
    for x in inputs:
        if isinstance(x, Node):
            if x._version > stamp:
                raise _changed_error(node, x)
            args.append(x._data)
        else:
            args.append(x)
    if node._checksums is not None and node._checksums != _checksums(inputs, node._data,
                                                                      params):
        raise _changed_error(node, None)
    out = node._data
    if create_graph:
        out, args = node, inputs  # type: ignore[assignment]
    vjps, each_input = op.vjps, op.each_input
    for i, parent in enumerate(inputs):
        if not isinstance(parent, Node) or not parent.requires_grad:
            continue
        # the rule
        try:
            if each_input is None:
                raw = vjps[i](g, out, *args, **params)  # type: ignore[arg-type]
            else:
                raw = each_input(i, g, out, *args, **params)  # type: ignore[arg-type]
        except ArithmeticError:  # e.g. 1/0 on the scalar path: follow numpy (inf, NaN)
            raw = _on_numpy_scalars(partial(_apply_rule, op, i), [g, out, *args], params)
        except (TypeError, IndexError) as error:
            _explain_rule_error(op, i, len(inputs), error)
            raise
        like = parent._data
        contribution = raw
        if raw.__class__ is not like.__class__ or type(like) is np.ndarray and (
                raw.shape != like.shape or raw.dtype != like.dtype):
            contribution = _reduce_to(raw, like, op, i)  # type: ignore[arg-type]
        if anomaly:
            _check_nan(op, contribution, [g], "backward")  # type: ignore[arg-type]
        # the sum
        key = id(parent)
        earlier = pending.get(key)
        if earlier is None:
            if type(contribution) is np.ndarray:
                # Unless new, the array may be held elsewhere, even by the rule itself (a
                # buffer it fills on every call): copied now, before anything writes into it,
                # rather than when gathered (the same copy, made before it can be too late).
                if contribution is raw and not (
                        op.fresh_gradients and _is_new(raw, g, out, args)):  # type: ignore
                    contribution = contribution.copy()
                own.add(key)
            pending[key] = contribution
        elif key in own:
            earlier += contribution  # an array of the pass's own, of the same shape and dtype
        else:
            total = pending[key] = earlier + contribution
            if type(total) is np.ndarray:
                own.add(key)
        if watcher is not None:
            watcher.sent(node, i, parent, contribution, pending[key])


def _changed_error(node: Node, changed: Node | None) -> GraphError:
    name = node._op.name  # type: ignore[union-attr]
    if changed is None:
        what = (f"an array that {name!r} uses (an input's or its result's) was written into "
                "since the operation was recorded")
    else:
        role = "its result" if changed is node else "its input"
        label = f" {changed.label!r}" if changed.label else ""
        what = (f"the data of {role}{label} (shape {changed.shape}) was assigned since the "
                "operation was recorded")
    return GraphError(
        f"backward: {name!r} cannot be backpropagated: {what}, so its gradient would use "
        "different numbers than its forward pass did. Backpropagate before changing data "
        "(e.g. loss.backward() before optimizer.step()), or compute the loss again.")


def _released_error(op: Any) -> GraphError:
    return GraphError(
        f"backward: the graph through {op.name!r} was already released by an earlier backward "
        "pass; call backward(retain_graph=True) the first time to backpropagate through it "
        "again")


def _apply_rule(op: Operation, i: int, *args: Any, **params: Any) -> Any:
    """Rule i of `op`, however the operation gives its rules."""
    if op.each_input is not None:
        return op.each_input(i, *args, **params)
    return op.vjps[i](*args, **params)


def _explain_rule_error(op: Any, i: int, count: int, error: Exception) -> None:
    """Raise what went wrong calling rule i of `op`, said for whoever wrote the operation, when
    it is a mistake in how the rules were given rather than inside a rule."""
    if op.each_input is None and i >= len(op.vjps):
        raise GraphError(
            f"backward: {op.name!r} was given {count} inputs but has {len(op.vjps)} gradient "
            "rule(s); give one rule per input, each rule(g, out, *inputs, **params), or one "
            "rule for all: each_input=rule(i, g, out, *inputs, **params)") from None
    if isinstance(error, TypeError):
        raise TypeError(f"backward: gradient rule {i} of {op.name!r} failed: {error} (a rule "
                        "is called as rule(g, out, *inputs, **params))") from error


def _is_new(x: Any, g: Any, out: Any, args: Sequence[Any]) -> bool:
    """Whether a rule's array result is none of the arrays it was given, nor a view."""
    if type(x) is not np.ndarray or x.base is not None or x is g or x is out:
        return False
    for arg in args:  # noqa: SIM110 (a loop, not all(...): this runs for every edge)
        if x is arg:
            return False
    return True


def _reduce_to(grad: Any, like: Any, op: Operation, i: int) -> Any:
    """Sum `grad` over the axes that broadcasting added or stretched, to the shape of `like`,
    and give it `like`'s type: a float for a float, an array of its dtype for an array."""
    if grad is None or not isinstance(grad, Node | np.ndarray | np.generic | float | int):
        raise GraphError(f"backward: gradient rule {i} of {op.name!r} returned "
                         f"{type(grad).__name__}; a rule must return the gradient for its "
                         "input (a number, an array or a Value)")
    borrowed = False
    if isinstance(grad, Node) and not _mode.get().recording:
        # A plain pass (no create_graph) keeps plain gradients. The Value's array is not the
        # pass's own, so it is copied below, before the engine may add into it.
        grad, borrowed = grad._data, True
    target = () if type(like) is float else like.shape
    gshape = grad.shape if isinstance(grad, Node | np.ndarray | np.generic) else ()
    if gshape != target:
        lead = len(gshape) - len(target)
        if not _broadcasts_to(target, gshape):
            # Any other shape is a mistake in the rule, even one of the right size: reshaped,
            # a transposed or flattened gradient would be silently wrong.
            raise GraphError(
                f"backward: gradient rule {i} of {op.name!r} returned shape {gshape} for an "
                f"input of shape {target}; a rule must return its input's shape, or the shape "
                "of the input broadcast (which the engine sums back)")
        if gshape[lead:] == target:  # only leading axes were added: a plain sum
            grad = grad.sum(axis=tuple(range(lead)))
        else:
            axes = tuple(range(lead)) + tuple(
                lead + k for k, n in enumerate(target) if n == 1 and gshape[lead + k] != 1)
            grad = grad.sum(axis=axes, keepdims=True).reshape(target)
    if isinstance(grad, Node):
        return grad
    if type(like) is float:
        return float(grad)
    if type(grad) is np.ndarray and grad.dtype == like.dtype and not borrowed:
        return grad
    return np.array(grad, dtype=like.dtype)  # a copy: the engine may add into it


def _broadcasts_to(shape: tuple[int, ...], broadcast: tuple[int, ...]) -> bool:
    """Whether broadcasting an array of `shape` can give `broadcast`: axes may be added in
    front, and axes of size 1 stretched, nothing else."""
    lead = len(broadcast) - len(shape)
    return lead >= 0 and all(n == m or n == 1 for n, m in zip(shape, broadcast[lead:],
                                                              strict=True))


def _release(node: Node) -> None:
    """After `node`'s rules ran: refuse a second pass through it and, unless it and its inputs
    are all Python numbers (cheap to keep, and drawn after backward), let go of its inputs."""
    params = node._params
    node._params = _RELEASED if params is _NO_PARAMS else _Released(params)
    if type(node._data) is not float:
        node._inputs = ()
        return
    for x in node._inputs:  # a loop, not all(...): this runs for every scalar result
        if type(x._data if isinstance(x, Node) else x) not in _NUMBERS:
            node._inputs = ()
            return


# Python's numbers, and numpy's that operations treat as Python's (X[i] of a float64 array)
_NUMBERS = {float, int, bool, *_PYTHON_LIKE_SCALARS}


def _zeros_like(v: Node, as_value: bool) -> Any:
    zeros = 0.0 if type(v._data) is float else np.zeros_like(v._data)
    return v._leaf(zeros) if as_value else zeros


def grad(output: Node, inputs: Node | Sequence[Node], grad_output: Any = None,
         create_graph: bool = False, retain_graph: bool | None = None) -> Any:
    """The gradients of `output` with respect to `inputs`, returned instead of stored in `.grad`.

    With `create_graph=True` the gradients are Values recorded in a graph of their own, so they
    can be differentiated again (second derivatives, Hessian-vector products). An input that
    does not affect the output gets a zero gradient. Only the part of the graph between the
    output and the inputs is walked: what an input was computed from is left alone. Unless
    `retain_graph` (by default `create_graph`), that part is released as by `backward()`.

    >>> from autograd import Value
    >>> x = Value(3.0)
    >>> (dy,) = grad(x ** 3, [x], create_graph=True)   # 3 x^2 = 27
    >>> grad(dy, [x])                                   # 6 x = 18
    [18.0]
    """
    single = isinstance(inputs, Node)
    targets: list[Any] = [inputs] if isinstance(inputs, Node) else list(inputs)
    for i, v in enumerate(targets):
        if not isinstance(v, Node):
            raise TypeError(f"grad: inputs[{i}] must be a Value, got {type(v).__name__}")
    seed = _seed(output, grad_output, "grad")
    keep = create_graph if retain_graph is None else retain_graph
    grads = _backpropagate(output, seed, keep or create_graph, create_graph, targets)
    assert grads is not None
    return grads[0] if single else grads
