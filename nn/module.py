"""`Module`, the base of every layer and network, and `Sequential`, a chain of modules.

A module holds parameters (Values that require a gradient) and sub-modules in its attributes
and computes its output in `forward`. From those attributes alone it can list its parameters,
zero their gradients, switch between training and evaluation, and save or load its weights.
"""

from __future__ import annotations

import itertools
import os
import zipfile
from collections.abc import Callable, Iterator, Mapping
from typing import Any

import numpy as np

from autograd import Value, name_scope


class CheckpointError(ValueError):
    """A state dict or a checkpoint file that cannot be loaded into a model.

    The message says what is wrong (the file, the names or shapes that do not match). Whenever
    this is raised the model has not been changed.
    """


ForwardHook = Callable[["Module", tuple[Any, ...], Any], Any]  # hook(module, inputs, output)


class HookHandle:
    """What `Module.register_forward_hook` returns: `remove()` takes the hook off again.

    Removing it twice does nothing. As a context manager, it removes the hook on leaving:
    `with model[1].register_forward_hook(hook): ...`.
    """

    _next_id = itertools.count().__next__

    def __init__(self, hooks: dict[int, ForwardHook]) -> None:
        self._hooks = hooks
        self.id = HookHandle._next_id()

    def remove(self) -> None:
        """Take the hook off its module (nothing happens if it is already off)."""
        self._hooks.pop(self.id, None)

    def __enter__(self) -> HookHandle:
        return self

    def __exit__(self, *exc: object) -> None:
        self.remove()


class Module:
    """The base class of layers and networks; subclasses define `forward`.

    Parameters are found in the attributes, in the order they were assigned: a Value that
    requires a gradient is a parameter, a Module is searched in turn, and so are the items of a
    list or tuple. Their names are the attribute paths, as in PyTorch: "weight",
    "encoder.bias", "layers.0.neurons.3.w.1" (a `Sequential` names its modules by position
    alone, "0.weight", as `torch.nn.Sequential` does).

    Calling a module runs `forward` inside `autograd.name_scope`, so every Value made there
    carries the module's place in the network in its `.scope`, which drawings use to group a
    module's operations. The name of a module is chosen when it is assigned to an attribute of
    its parent: a module held in a list or tuple is named by its class and position
    ("MLP/Layer0/Neuron3", "Sequential/Linear0", "Sequential/ReLU1"); a module held directly
    by an attribute is named by that attribute ("Net/encoder"); a module with no parent is
    named by its class.

    >>> class Affine(Module):
    ...     def __init__(self):
    ...         self.scale, self.shift = Value(2.0), Value(1.0)
    ...     def forward(self, x):
    ...         return self.scale * x + self.shift
    >>> model = Affine()
    >>> model(3.0).data, [name for name, _ in model.named_parameters()]
    (7.0, ['scale', 'shift'])
    """

    training: bool = True  # read by layers that act differently in training (Dropout)
    _scope_name: str | None = None  # set by the parent module; see the class docstring
    _forward_hooks: dict[int, ForwardHook] | None = None  # made by the first hook registered

    def __setattr__(self, name: str, value: Any) -> None:
        object.__setattr__(self, name, value)
        if isinstance(value, Module):
            value._scope_name = name
        elif isinstance(value, list | tuple):
            for i, item in enumerate(value):
                if isinstance(item, Module):
                    item._scope_name = f"{type(item).__name__}{i}"

    def forward(self, *args: Any, **kwargs: Any) -> Any:
        """Compute the module's output; every subclass defines it."""
        raise NotImplementedError(f"{type(self).__name__} must define forward(self, x)")

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        with name_scope(self._scope_name or type(self).__name__):
            output = self.forward(*args, **kwargs)
            if self._forward_hooks:  # the whole cost of hooks to a module that has none
                for hook in list(self._forward_hooks.values()):
                    replaced = hook(self, args, output)
                    if replaced is not None:
                        output = replaced
            return output

    def register_forward_hook(self, hook: ForwardHook) -> HookHandle:
        """Call `hook(module, inputs, output)` after every forward pass of this module, as
        PyTorch's `register_forward_hook` does, and return a handle whose `remove()` takes
        it off.

        `inputs` is the tuple of positional arguments the module was called with, `output`
        what `forward` returned. A hook that returns something other than None replaces the
        output. Hooks run in the order they were registered, inside the module's name scope.
        They are how to watch what happens inside a network without changing its code.

        >>> from nn import ReLU
        >>> relu, seen = ReLU(), []
        >>> handle = relu.register_forward_hook(lambda module, inputs, out: seen.append(out))
        >>> _ = relu(np.array([-1.0, 2.0]))
        >>> handle.remove()
        >>> _ = relu(np.array([3.0]))                  # no longer seen
        >>> seen
        [array([0., 2.])]
        """
        if not callable(hook):
            raise TypeError(f"{type(self).__name__}.register_forward_hook: hook must be a "
                            f"function hook(module, inputs, output), got "
                            f"{type(hook).__name__}")
        if self._forward_hooks is None:
            self._forward_hooks = {}
        handle = HookHandle(self._forward_hooks)
        self._forward_hooks[handle.id] = hook
        return handle

    # -- what it holds -----------------------------------------------------------------------
    def _named_members(self) -> Iterator[tuple[str, Value | Module]]:
        """The parameters and sub-modules held directly by this module, with their names."""
        for name, value in vars(self).items():
            items = enumerate(value) if isinstance(value, list | tuple) else [(None, value)]
            for i, item in items:
                is_parameter = isinstance(item, Value) and item.requires_grad
                if is_parameter or isinstance(item, Module):
                    yield (name if i is None else f"{name}.{i}"), item

    def named_parameters(self, recurse: bool = True) -> Iterator[tuple[str, Value]]:
        """Each parameter with its dotted name, in definition order; a shared one only once.

        With `recurse=False`, only the parameters this module holds itself, not those of the
        modules inside it (as in PyTorch).

        >>> from nn import Linear
        >>> [(name, p.shape) for name, p in Linear(2, 3).named_parameters()]
        [('weight', (3, 2)), ('bias', (3,))]
        """
        seen: set[int] = set()
        for name, member in self._named_members():
            if isinstance(member, Module) and not recurse:
                continue
            pairs = (member.named_parameters() if isinstance(member, Module)
                     else [("", member)])
            for subname, parameter in pairs:
                if id(parameter) not in seen:
                    seen.add(id(parameter))
                    yield (f"{name}.{subname}" if subname else name), parameter

    def parameters(self, recurse: bool = True) -> list[Value]:
        """The parameters, in definition order (a list, as in micrograd); see named_parameters."""
        return [parameter for _, parameter in self.named_parameters(recurse)]

    def named_modules(self) -> Iterator[tuple[str, Module]]:
        """This module (named "") and every module inside it with its dotted name, each once,
        a module before those inside it, in definition order (as PyTorch's `named_modules`).

        >>> from nn import Linear, ReLU, Sequential
        >>> model = Sequential(Linear(2, 3), ReLU())
        >>> [(name, type(module).__name__) for name, module in model.named_modules()]
        [('', 'Sequential'), ('0', 'Linear'), ('1', 'ReLU')]
        """
        seen: set[int] = set()
        stack: list[tuple[str, Module]] = [("", self)]
        while stack:
            name, module = stack.pop()
            if id(module) in seen:
                continue
            seen.add(id(module))
            yield name, module
            inside = [(f"{name}.{child}" if name else child, member)
                      for child, member in module._named_members() if isinstance(member, Module)]
            stack.extend(reversed(inside))  # popped in definition order

    def modules(self) -> Iterator[Module]:
        """This module and every module inside it, each once (see named_modules)."""
        return (module for _, module in self.named_modules())

    def zero_grad(self) -> None:
        """Reset the gradient of every parameter to zero (call it before each backward pass)."""
        for parameter in self.parameters():
            parameter.zero_grad()

    def train(self, mode: bool = True) -> Module:
        """Put this module and all inside it in training mode (or evaluation, with False)."""
        for module in self.modules():
            module.training = mode
        return self

    def eval(self) -> Module:
        """Put this module and all inside it in evaluation mode (Dropout becomes the identity)."""
        return self.train(False)

    # -- weights in and out --------------------------------------------------------------------
    def state_dict(self) -> dict[str, np.ndarray]:
        """A copy of every parameter as a numpy array, by name (a scalar gives a 0-d array).

        The copies are row-major (C order) whatever the parameters' own memory order, as
        other libraries and file readers expect (`nn.Linear` keeps its weight column-major).
        """
        return {name: np.array(p.data, order="C") for name, p in self.named_parameters()}

    def load_state_dict(self, state: Mapping[str, Any]) -> None:
        """Copy the arrays of `state` into the parameters of the same names.

        Names and shapes must match exactly and the values must be real numbers that fit the
        parameter's dtype (1e300 does not fit float32); otherwise a `CheckpointError` lists
        every mismatch and no parameter is changed. Each value is converted to its parameter's
        dtype.
        """
        arrays = {name: np.asarray(value) for name, value in state.items()}
        self._refuse_mismatches({name: (a.shape, a.dtype) for name, a in arrays.items()})
        parameters = dict(self.named_parameters())
        problems = [f"{name!r} holds values too large for {parameters[name].dtype} (up to "
                    f"{np.nanmax(np.abs(a)):.3g})" for name, a in arrays.items()
                    if not _fits(a, parameters[name].dtype)]
        # checked before writing any: a write refused halfway would leave the model half loaded
        problems += [f"the parameter {name!r} holds a read-only array (a Value made with "
                     "copy=False from read-only memory), which cannot be loaded into"
                     for name, p in parameters.items()
                     if type(p.data) is np.ndarray and not p.data.flags.writeable]
        if problems:
            self._refuse(problems)
        for name, parameter in parameters.items():
            array = arrays[name]
            if type(parameter.data) is float:  # keep scalar parameters on the fast float path
                parameter.data = float(array)
            else:  # into the parameter's own array, so whoever holds it sees the new weights,
                data = parameter.data
                data[...] = array
                parameter.data = data  # and assigned, so graphs recorded before see a change

    def _refuse_mismatches(self, layout: Mapping[str, tuple[tuple[int, ...], np.dtype]]) -> None:
        """Raise a CheckpointError listing every name, shape and dtype of `layout` (name ->
        (shape, dtype)) that does not fit this model's parameters."""
        parameters = dict(self.named_parameters())
        problems = []
        missing = [name for name in parameters if name not in layout]
        unexpected = [name for name in layout if name not in parameters]
        if missing:
            problems.append(f"missing {_some(missing)}")
        if unexpected:
            problems.append(f"unexpected {_some(unexpected)}")
            problems.extend(self._renaming_hints(missing, unexpected))
        for name, parameter in parameters.items():
            if name not in layout:
                continue
            shape, dtype = layout[name]
            if dtype.kind not in "biuf":
                problems.append(f"{name!r} holds {dtype} data, not real numbers")
            elif shape != parameter.shape:
                transposed = len(shape) == 2 and shape == parameter.shape[::-1]
                problems.append(f"{name!r} has shape {shape} in the state but "
                                f"{parameter.shape} in the model" + (
                                    " (its transpose: Linear weights are (out, in), as in "
                                    "PyTorch, since an earlier nn held them (in, out))"
                                    if transposed else ""))
        if problems:
            self._refuse(problems)

    def _renaming_hints(self, missing: list[str], unexpected: list[str]) -> list[str]:
        """What to say about names the state has and the model lacks, when they are known to
        be this model's own names as an earlier version wrote them (none here)."""
        return []

    def _refuse(self, problems: list[str]) -> None:
        raise CheckpointError(f"{type(self).__name__}.load_state_dict: the state does not "
                              f"fit the model ({'; '.join(problems)}); nothing was loaded")

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write the parameters to `path` as a numpy .npz archive (never pickle).

        The archive is written to `path + ".tmp"` first and then renamed over `path`, so a save
        that fails or is interrupted never leaves a damaged checkpoint at `path`: any previous
        one stays whole. A failed save removes its temporary file; only a process killed in the
        middle of writing leaves `path + ".tmp"` behind, which the next save to `path`
        replaces (it is safe to delete). The file is written to exactly `path` (no ".npz" is
        added). Two processes must not save to the same path at the same time.
        """
        path = os.fspath(path)
        folder = os.path.dirname(path) or "."
        if not os.path.isdir(folder):
            raise FileNotFoundError(f"{type(self).__name__}.save: cannot write {path}: the "
                                    f"folder {folder} does not exist")
        temporary = path + ".tmp"
        try:
            with open(temporary, "wb") as file:
                _write_archive(file, self.state_dict())
                file.flush()
                os.fsync(file.fileno())
            os.replace(temporary, path)
        except BaseException:
            if os.path.exists(temporary):
                os.remove(temporary)
            raise

    def load(self, path: str | os.PathLike[str]) -> None:
        """Load parameters saved by `save`.

        The names, shapes and dtypes are checked from the archive's headers before any data is
        read, so a file meant for another model is refused at once, however large. A file that
        is not a readable .npz archive (truncated, corrupted, or something else), or whose
        names, shapes or values do not fit this model, raises `CheckpointError` naming the file
        and what is wrong, and leaves the model as it was. Nothing is ever unpickled.
        """
        path = os.fspath(path)
        try:
            with _Archive(path) as archive:
                self._refuse_mismatches(archive.layout)
                state = archive.read()
            self.load_state_dict(state)
        except CheckpointError as error:
            raise CheckpointError(f"{path}: {error}") from None

    # -- display -------------------------------------------------------------------------------
    def extra_repr(self) -> str:
        """The settings shown between the parentheses of the module's repr."""
        return ""

    def __repr__(self) -> str:
        children = [(name, m) for name, m in self._named_members() if isinstance(m, Module)]
        if not children:
            return f"{type(self).__name__}({self.extra_repr()})"
        lines = [f"{type(self).__name__}("]
        for name, child in children:
            body = repr(child).replace("\n", "\n  ")
            lines.append(f"  ({name}): {body}")
        return "\n".join(lines) + "\n)"


def _write_archive(file: Any, state: Mapping[str, np.ndarray]) -> None:
    """Write what np.savez writes (an uncompressed zip of one .npy member per name), by hand:
    savez takes the names as keyword arguments, so a parameter named "file" clashed with its
    first argument and one named "allow_pickle" was taken for that option and never saved."""
    with zipfile.ZipFile(file, "w", zipfile.ZIP_STORED, allowZip64=True) as archive:
        for name, array in state.items():
            with archive.open(f"{name}.npy", "w", force_zip64=True) as member:
                np.lib.format.write_array(member, array, allow_pickle=False)


def _some(names: list[str], shown: int = 5) -> str:
    """A short listing of names: the first few, then how many more."""
    listing = ", ".join(repr(name) for name in names[:shown])
    return listing + (f" and {len(names) - shown} more" if len(names) > shown else "")


def _fits(array: np.ndarray, dtype: np.dtype) -> bool:
    """Whether the finite values of `array` stay finite in `dtype`. Integers count too: 10**6
    does not fit float16, whose largest value is 65504."""
    if array.dtype.kind not in "fiu" or np.dtype(dtype).itemsize >= array.dtype.itemsize:
        return True  # a float or integer type of n bytes always fits a float of n bytes
    finite = np.isfinite(array)
    with np.errstate(over="ignore"):
        return bool(np.all(np.isfinite(array.astype(dtype)) | ~finite))


class _Archive:
    """A .npz checkpoint opened for reading: its `layout` (name -> (shape, dtype)) comes from
    the arrays' headers alone; `read()` then reads the data. Damaged or foreign files raise
    CheckpointError, whatever numpy or zipfile says about them."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.layout: dict[str, tuple[tuple[int, ...], np.dtype]] = {}
        # A missing or unreadable path raises its own OSError.
        self.file = open(path, "rb")  # noqa: SIM115 - closed by __exit__
        try:
            if self.file.read(len(_NPY_MAGIC)) == _NPY_MAGIC:
                raise CheckpointError("not a checkpoint: the file holds a single array (.npy), "
                                      "not a .npz archive of named arrays (checkpoints are "
                                      "written by save)")
            self.zip = zipfile.ZipFile(self.file)
            for info in self.zip.infolist():
                name = info.filename.removesuffix(".npy")
                if name in self.layout:  # only the last would be checked, but all are read
                    raise CheckpointError(f"not a checkpoint: it holds more than one array "
                                          f"named {name!r} (save writes each name once)")
                with self.zip.open(info) as member:
                    shape, _, dtype = _npy_header(member)
                self.layout[name] = (shape, dtype)
        except CheckpointError:
            self.file.close()
            raise
        except Exception as error:  # zip, header, CRC, size and encoding errors alike
            self.file.close()
            raise CheckpointError(
                f"cannot read the checkpoint: the file is truncated, corrupted or not a .npz "
                f"archive ({type(error).__name__}); the model was not changed") from None

    def read(self) -> dict[str, np.ndarray]:
        try:
            arrays = {}
            for info in self.zip.infolist():
                with self.zip.open(info) as member:
                    arrays[info.filename.removesuffix(".npy")] = np.lib.format.read_array(
                        member, allow_pickle=False)
            return arrays
        except Exception as error:
            raise CheckpointError(
                f"cannot read the checkpoint: its data is truncated or corrupted "
                f"({type(error).__name__}); the model was not changed") from None

    def __enter__(self) -> _Archive:
        return self

    def __exit__(self, *exc: object) -> None:
        self.file.close()


_NPY_MAGIC = b"\x93NUMPY"


def _npy_header(member: Any) -> tuple[tuple[int, ...], bool, np.dtype]:
    """The (shape, fortran order, dtype) of an array in .npy format, from its header alone."""
    version = np.lib.format.read_magic(member)
    if version == (1, 0):
        header = np.lib.format.read_array_header_1_0(member)
    elif version == (2, 0):
        header = np.lib.format.read_array_header_2_0(member)
    else:
        raise CheckpointError(f"not a checkpoint: an array is stored in .npy format {version}, "
                              "which save never writes")
    if header[2].hasobject:
        raise CheckpointError("not a checkpoint: it holds Python objects (pickled data), "
                              "which are never loaded; checkpoints hold numbers only")
    return header


class Sequential(Module):
    """Modules applied one after the other: the output of each is the input of the next.

    Its modules are named by their position, as `torch.nn.Sequential` names them, so the
    state dict of a Sequential of `Linear` and activation modules has PyTorch's keys, shapes
    and dtypes, and weights move between the two with `torch.from_numpy` and `.numpy()`:

    >>> from nn import Linear, ReLU
    >>> model = Sequential(Linear(2, 8, seed=0), ReLU(), Linear(8, 1, seed=1))
    >>> model(np.zeros((5, 2))).shape
    (5, 1)
    >>> {name: array.shape for name, array in model.state_dict().items()}
    {'0.weight': (8, 2), '0.bias': (8,), '2.weight': (1, 8), '2.bias': (1,)}
    """

    def __init__(self, *modules: Module) -> None:
        for i, module in enumerate(modules):
            if not isinstance(module, Module):
                raise TypeError(f"Sequential: argument {i} must be a Module, got "
                                f"{type(module).__name__} (wrap functions in a Module, e.g. "
                                "nn.ReLU() rather than nn.relu)")
        self.layers = list(modules)

    def forward(self, x: Any) -> Any:
        for layer in self.layers:
            x = layer(x)
        return x

    def _named_members(self) -> Iterator[tuple[str, Value | Module]]:
        """The modules by position ("0", "1", ...), then what a subclass adds, by name."""
        for i, layer in enumerate(self.layers):
            yield str(i), layer
        for name, member in super()._named_members():
            if not name.startswith("layers."):
                yield name, member

    def _renaming_hints(self, missing: list[str], unexpected: list[str]) -> list[str]:
        """Name a checkpoint of the earlier naming, "layers.0.weight", for what it is."""
        if not any(name.removeprefix("layers.") in missing for name in unexpected):
            return []
        return ["the state names the modules 'layers.N', as an earlier nn did; a Sequential "
                "now names them by position alone ('0.weight', '2.bias'), as torch.nn.Sequential "
                "does: remove 'layers.' from each name (and transpose each Linear weight, which "
                "was (in, out) then)"]

    def __getitem__(self, index: int) -> Module:
        return self.layers[index]

    def __len__(self) -> int:
        return len(self.layers)

    def __iter__(self) -> Iterator[Module]:
        return iter(self.layers)
