"""nn.Module and Sequential: finding parameters, zero_grad, train/eval, the name scopes modules
open, state dicts, and saving and loading checkpoints (atomic saves; damaged, foreign or
mismatched files refused with the model left as it was)."""

import os
import tracemalloc
import zipfile

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from autograd import Value, name_scope
from nn import MLP, CheckpointError, Linear, Module, ReLU, Sequential, Tanh


class Net(Module):
    """A module with every kind of attribute Module looks into."""

    def __init__(self):
        self.encoder = Linear(3, 4, seed=0)
        self.blocks = [Linear(4, 4, seed=1), Tanh(), Linear(4, 2, seed=2)]
        self.scale = Value(2.0)
        self.constant = Value(np.ones(2), requires_grad=False)  # not a parameter
        self.pair = (Value([1.0, 1.0]), self.scale)  # the shared scale is listed once

    def forward(self, x):
        for block in self.blocks:
            x = block(x)
        return x * self.scale * self.pair[0] + self.constant


def small_model(seed=0):
    return Sequential(Linear(2, 5, seed=seed), ReLU(), Linear(5, 1, seed=seed + 1))


def assert_same_state(a, b):
    assert list(a) == list(b)
    for name in a:
        assert a[name].dtype == b[name].dtype and np.array_equal(a[name], b[name]), name


# -- parameters -------------------------------------------------------------------------------


def test_named_parameters_follow_definition_order_with_dotted_names_and_no_duplicates():
    net = Net()
    names = [name for name, _ in net.named_parameters()]
    assert names == ["encoder.weight", "encoder.bias", "blocks.0.weight", "blocks.0.bias",
                     "blocks.2.weight", "blocks.2.bias", "scale", "pair.0"]
    assert net.parameters()[0] is net.encoder.weight
    assert net.parameters()[-2] is net.scale


def test_mlp_parameters_come_layer_by_layer_neuron_by_neuron_as_in_micrograd():
    model = MLP(2, [16, 16, 1], seed=0)
    parameters = model.parameters()
    assert len(parameters) == 337
    first = model.layers[0].neurons[0]
    assert parameters[:3] == [*first.w, first.b] and parameters[-1] is model.layers[2].neurons[0].b
    names = [name for name, _ in model.named_parameters()]
    assert names[:3] == ["layers.0.neurons.0.w.0", "layers.0.neurons.0.w.1",
                         "layers.0.neurons.0.b"]


def test_zero_grad_clears_every_parameter_gradient():
    model = small_model()
    model(np.ones((3, 2))).sum().backward()
    assert any(np.any(p.grad != 0) for p in model.parameters())
    model.zero_grad()
    assert all(np.all(p.grad == 0) for p in model.parameters())


def test_train_and_eval_switch_every_module_inside_and_return_the_module():
    net = Net()
    assert net.training and net.blocks[1].training
    assert net.eval() is net
    assert not any(m.training for m in net.modules())
    net.train()
    assert all(m.training for m in net.modules())
    assert len(list(net.modules())) == 5


def test_a_module_without_forward_says_so():
    with pytest.raises(NotImplementedError, match="Module must define forward"):
        Module()(1.0)


# -- forward hooks ----------------------------------------------------------------------------


def test_a_forward_hook_sees_each_call_with_the_module_its_inputs_and_its_output():
    model = small_model()
    calls = []
    handle = model[1].register_forward_hook(
        lambda module, inputs, output: calls.append((module, inputs, output)))
    x = np.ones((3, 2))
    out = model(x)
    ((module, inputs, hidden),) = calls
    assert module is model[1] and len(inputs) == 1 and inputs[0].shape == (3, 5)
    assert hidden.shape == (3, 5) and np.all(hidden.data >= 0)
    assert out.inputs[0] is hidden  # the output it saw is what the next layer was given
    handle.remove()
    handle.remove()  # a second time: nothing happens
    model(x)
    assert len(calls) == 1


def test_hooks_run_in_order_and_one_may_replace_the_output():
    layer = Linear(2, 2, seed=0)
    order = []
    layer.register_forward_hook(lambda m, i, out: order.append("first"))
    layer.register_forward_hook(lambda m, i, out: out * 0.0)
    layer.register_forward_hook(lambda m, i, out: order.append(float(out.data.sum())))
    assert np.all(layer(np.ones((1, 2))).data == 0.0)
    assert order == ["first", 0.0]


def test_a_hook_handle_as_a_context_manager_removes_the_hook_on_leaving():
    relu, seen = ReLU(), []
    with relu.register_forward_hook(lambda m, i, out: seen.append(out)):
        relu(np.array([1.0]))
    relu(np.array([2.0]))
    assert len(seen) == 1 and relu._forward_hooks == {}


def test_a_module_never_hooked_keeps_no_hook_state_and_a_bad_hook_is_refused():
    model = small_model()
    model(np.ones((1, 2)))
    assert all("_forward_hooks" not in vars(m) for m in model.modules())
    with pytest.raises(TypeError, match=r"Linear.register_forward_hook: hook must be a function "
                                        r"hook\(module, inputs, output\), got str"):
        model[0].register_forward_hook("print")
    handle = model[0].register_forward_hook(lambda m, i, out: None)
    assert list(model.state_dict()) == ["0.weight", "0.bias", "2.weight", "2.bias"]
    assert "hook" not in repr(model)
    handle.remove()


# -- name scopes ------------------------------------------------------------------------------


def recorded_ops(out):
    """(op, scope) of every operation recorded in the graph that made `out`."""
    found, stack, seen = [], [out], set()
    while stack:
        value = stack.pop()
        if isinstance(value, Value) and value.op and id(value) not in seen:
            seen.add(id(value))
            found.append((value.op, value.scope))
            stack.extend(value.inputs)
    return found


def test_values_made_in_a_module_carry_the_path_of_modules_that_made_them():
    model = MLP(2, [3, 1], seed=0)
    for _ in range(2):  # the same on every call
        out = model([1.0, 2.0])
        assert out.scope == "MLP/Layer1/Neuron0"
        ops = recorded_ops(out)
        assert {scope for _, scope in ops} == {
            "MLP/Layer0/Neuron0", "MLP/Layer0/Neuron1", "MLP/Layer0/Neuron2",
            "MLP/Layer1/Neuron0"}
        assert {scope for op, scope in ops if op == "relu"} == {
            "MLP/Layer0/Neuron0", "MLP/Layer0/Neuron1", "MLP/Layer0/Neuron2"}


def test_sequential_names_its_modules_by_class_and_position_and_attributes_by_name():
    hidden = Sequential(Linear(2, 3, seed=0), ReLU())(np.ones((1, 2)))
    assert hidden.scope == "Sequential/ReLU1"
    assert hidden.inputs[0].scope == "Sequential/Linear0"
    net = Net()
    assert net.encoder(np.ones(3)).scope == "encoder"  # called on its own: its own name
    out = net(np.ones((1, 4)))
    assert out.scope == "Net" and out.inputs[0].inputs[0].inputs[0].scope == "Net/Linear2"


def test_module_scopes_nest_inside_an_enclosing_name_scope():
    with name_scope("experiment"):
        out = Linear(2, 2, seed=0)(np.ones(2))
    assert out.scope == "experiment/Linear"


# -- state dicts ------------------------------------------------------------------------------


def test_state_dict_holds_copies_of_every_parameter():
    model = MLP(2, [2, 1], seed=0)
    state = model.state_dict()
    assert list(state) == [name for name, _ in model.named_parameters()]
    assert state["layers.0.neurons.0.b"].shape == ()
    state["layers.0.neurons.0.w.0"] += 1.0
    assert model.layers[0].neurons[0].w[0].data != state["layers.0.neurons.0.w.0"]


def test_load_state_dict_copies_values_in_and_keeps_scalars_on_the_float_path():
    source, target = MLP(2, [3, 1], seed=0), MLP(2, [3, 1], seed=1)
    target.load_state_dict(source.state_dict())
    assert_same_state(target.state_dict(), source.state_dict())
    assert all(type(p.data) is float for p in target.parameters())
    assert target([0.5, -1.0]).data == source([0.5, -1.0]).data


def test_load_state_dict_converts_to_the_parameter_dtype():
    layer = Linear(2, 3, seed=0, dtype=np.float32)
    state = {name: array.astype(np.float64) + 1 for name, array in layer.state_dict().items()}
    layer.load_state_dict(state)
    assert layer.weight.dtype == np.float32 and np.allclose(layer.weight.data, state["weight"])


def test_state_dicts_and_files_are_row_major_and_loading_keeps_the_weights_order(tmp_path):
    """nn.Linear's weight is column-major (the fast product); what leaves the model is in the
    order other libraries and file readers expect, and what comes in keeps the fast order."""
    model = small_model(0)
    assert model[0].weight.data.flags.f_contiguous
    assert all(array.flags.c_contiguous for array in model.state_dict().values())
    model.save(tmp_path / "model.npz")
    with np.load(tmp_path / "model.npz") as saved:
        assert all(saved[name].flags.c_contiguous for name in saved.files)
    loaded = small_model(1)
    loaded.load(tmp_path / "model.npz")
    assert_same_state(loaded.state_dict(), model.state_dict())
    assert loaded[0].weight.data.flags.f_contiguous


def test_load_state_dict_writes_into_the_parameters_own_arrays():
    layer = Linear(2, 3, seed=0)
    held = layer.weight.data  # e.g. an optimizer buffer or a user's reference
    state = {name: array + 1 for name, array in layer.state_dict().items()}
    layer.load_state_dict(state)
    assert layer.weight.data is held
    np.testing.assert_array_equal(held, state["weight"])
    state["weight"][0, 0] = 100.0  # and the state's arrays stay the caller's own
    assert held[0, 0] != 100.0


@pytest.mark.parametrize("change, message", [
    (lambda s: s.pop("0.bias"), r"missing '0.bias'"),
    (lambda s: s.update(extra=np.zeros(1)), r"unexpected 'extra'"),
    (lambda s: s.update({"2.weight": np.zeros((2, 5))}),
     r"'2.weight' has shape \(2, 5\) in the state but \(1, 5\) in the model\); nothing"),
    (lambda s: s.update({"0.weight": np.zeros((2, 5))}),
     r"'0.weight' has shape \(2, 5\) in the state but \(5, 2\) in the model \(its transpose: "
     r"Linear weights are \(out, in\), as in PyTorch"),
    (lambda s: s.update({"0.bias": np.array(["a"] * 5)}), r"holds <U1 data"),
])
def test_load_state_dict_refuses_a_mismatch_and_changes_nothing(change, message):
    model = small_model()
    before = model.state_dict()
    state = {name: array + 1 for name, array in before.items()}
    change(state)
    with pytest.raises(CheckpointError, match=message) as error:
        model.load_state_dict(state)
    assert "nothing was loaded" in str(error.value)
    assert isinstance(error.value, ValueError)
    assert_same_state(model.state_dict(), before)


def test_a_model_holding_a_read_only_array_refuses_a_load_and_changes_nothing():
    class Frozen(Module):
        def __init__(self):
            self.first = Value(np.zeros(2))
            read_only = np.zeros(3)
            read_only.flags.writeable = False
            self.second = Value(read_only, copy=False)

    model = Frozen()
    with pytest.raises(CheckpointError, match=r"'second' holds a read-only array"):
        model.load_state_dict({"first": np.ones(2), "second": np.ones(3)})
    np.testing.assert_array_equal(model.first.data, [0.0, 0.0])  # not half loaded


def test_a_sequential_names_its_modules_by_position_as_torch_does():
    model = Sequential(Linear(2, 5, seed=0), ReLU(), Sequential(Linear(5, 3), Tanh()),
                       Linear(3, 1, bias=False))
    assert [(name, p.shape) for name, p in model.named_parameters()] == [
        ("0.weight", (5, 2)), ("0.bias", (5,)), ("2.0.weight", (3, 5)), ("2.0.bias", (3,)),
        ("3.weight", (1, 3))]
    assert list(model.state_dict()) == [name for name, _ in model.named_parameters()]


class Residual(Sequential):
    """A user's Sequential with a parameter of its own."""

    def __init__(self):
        super().__init__(Linear(2, 2, seed=0), Tanh())
        self.gate = Value(0.5)

    def forward(self, x):
        return x + self.gate * super().forward(x)


def test_a_subclass_of_sequential_names_its_own_members_by_attribute():
    names = [name for name, _ in Residual().named_parameters()]
    assert names == ["0.weight", "0.bias", "gate"]


def test_a_checkpoint_with_the_earlier_layers_names_is_refused_saying_how_to_rename(tmp_path):
    model = small_model(0)
    # as an earlier nn saved this model: 'layers.N' names and (in, out) Linear weights
    earlier = {f"layers.{name}": array.T for name, array in model.state_dict().items()}
    path = tmp_path / "earlier.npz"
    np.savez(path, **earlier)
    fresh = small_model(1)
    before = fresh.state_dict()
    with pytest.raises(CheckpointError, match=r"missing '0.weight'.*unexpected 'layers.0.weight'.*"
                                              r"remove 'layers.' from each name \(and transpose "
                                              r"each Linear weight"):
        fresh.load(path)
    assert_same_state(fresh.state_dict(), before)
    fresh.load_state_dict({name.removeprefix("layers."): array.T for name, array in
                           earlier.items()})  # what the message says
    assert_same_state(fresh.state_dict(), model.state_dict())


def test_a_long_list_of_mismatched_names_is_shortened():
    with pytest.raises(CheckpointError, match=r"and 332 more"):
        MLP(2, [16, 16, 1]).load_state_dict({})


# -- save and load ----------------------------------------------------------------------------


def test_save_then_load_round_trips_exactly(tmp_path):
    for model, fresh in [(small_model(0), small_model(7)),
                         (MLP(3, [4, 4, 1], seed=0), MLP(3, [4, 4, 1], seed=7)),
                         (Linear(3, 2, seed=0, dtype=np.float32),
                          Linear(3, 2, seed=7, dtype=np.float32))]:
        path = tmp_path / "model.npz"
        model.save(path)
        fresh.load(path)
        assert_same_state(fresh.state_dict(), model.state_dict())
    assert os.listdir(tmp_path) == ["model.npz"]  # no temporary file is left behind


def test_parameters_named_like_savez_arguments_round_trip(tmp_path):
    class Clashing(Module):
        def __init__(self, seed):
            rng = np.random.default_rng(seed)
            self.file, self.allow_pickle = Value(rng.normal(size=2)), Value(rng.normal(size=3))

    path = tmp_path / "clashing.npz"
    Clashing(0).save(path)
    fresh = Clashing(1)
    fresh.load(path)
    assert_same_state(fresh.state_dict(), Clashing(0).state_dict())
    with np.load(path) as archive:  # still what np.savez writes: numpy reads it
        np.testing.assert_array_equal(archive["file"], Clashing(0).file.data)


def test_save_writes_exactly_the_path_given(tmp_path):
    small_model().save(tmp_path / "checkpoint")
    assert os.listdir(tmp_path) == ["checkpoint"]
    small_model(3).load(str(tmp_path / "checkpoint"))


@pytest.mark.parametrize("interruption", [OSError("disk full"), KeyboardInterrupt()])
def test_an_interrupted_save_keeps_the_previous_checkpoint(tmp_path, monkeypatch, interruption):
    path = tmp_path / "model.npz"
    old = small_model(0)
    old.save(path)
    saved_bytes = path.read_bytes()

    def write_half_then_fail(member, array, **options):
        member.write(saved_bytes[: len(saved_bytes) // 2])
        raise interruption

    monkeypatch.setattr(np.lib.format, "write_array", write_half_then_fail)
    with pytest.raises(type(interruption)):
        small_model(1).save(path)
    monkeypatch.undo()
    assert path.read_bytes() == saved_bytes
    assert os.listdir(tmp_path) == ["model.npz"]
    restored = small_model(5)
    restored.load(path)
    assert_same_state(restored.state_dict(), old.state_dict())


def checkpoint_bytes(tmp_path):
    path = tmp_path / "saved.npz"
    small_model(0).save(path)
    return path.read_bytes()


def assert_refused(tmp_path, content, message):
    path = tmp_path / "damaged.npz"
    path.write_bytes(content)
    model = small_model(1)
    before = model.state_dict()
    with pytest.raises(CheckpointError, match=message) as error:
        model.load(path)
    assert str(path) in str(error.value)
    assert_same_state(model.state_dict(), before)


@given(fraction=st.floats(0.0, 0.999))
def test_a_truncated_checkpoint_is_refused_and_the_model_kept(tmp_path_factory, fraction):
    tmp_path = tmp_path_factory.mktemp("truncated")
    content = checkpoint_bytes(tmp_path)
    assert_refused(tmp_path, content[: int(fraction * len(content))], "truncated, corrupted")


def test_corrupted_weights_are_refused_and_the_model_kept(tmp_path):
    content = bytearray(checkpoint_bytes(tmp_path))
    weights = small_model(0)[0].weight.data.tobytes()
    start = bytes(content).find(weights)
    assert start > 0
    content[start + 3] ^= 0xFF  # the zip checksum no longer matches
    assert_refused(tmp_path, bytes(content), "truncated, corrupted")


@given(position=st.integers(0, 10_000), bit=st.integers(0, 7))
def test_a_flipped_bit_is_refused_or_harmless(tmp_path_factory, position, bit):
    """Any single flipped bit is either detected or lands where it changes no weight (a zip
    timestamp, header padding): a damaged file never loads wrong weights."""
    tmp_path = tmp_path_factory.mktemp("flipped")
    content = bytearray(checkpoint_bytes(tmp_path))
    content[position % len(content)] ^= 1 << bit
    path = tmp_path / "flipped.npz"
    path.write_bytes(bytes(content))
    model = small_model(1)
    before = model.state_dict()
    try:
        model.load(path)
    except CheckpointError:
        assert_same_state(model.state_dict(), before)
    else:
        assert_same_state(model.state_dict(), small_model(0).state_dict())


def test_files_that_are_not_checkpoints_are_refused(tmp_path):
    assert_refused(tmp_path, b"weights: 1 2 3\n", r"not a .npz archive \(BadZipFile\)")
    single = tmp_path / "single.npy"
    np.save(single, np.zeros(3))
    assert_refused(tmp_path, single.read_bytes(), "holds a single array")
    pickled = tmp_path / "pickled.npz"
    np.savez(pickled, **{"0.weight": np.array([object()], dtype=object)})
    assert_refused(tmp_path, pickled.read_bytes(), "Python objects .* never loaded")


def test_no_message_repeats_numpys_advice_to_allow_pickle(tmp_path):
    for content in (b"weights: 1 2 3\n", b"\x80\x04K\x01.", b""):
        path = tmp_path / "bad.npz"
        path.write_bytes(content)
        with pytest.raises(CheckpointError) as error:
            small_model().load(path)
        assert "pickle=" not in str(error.value)


def test_names_and_shapes_are_checked_before_any_data_is_read(tmp_path):
    # An archive whose extra member claims to be a 12000 x 12000 array (1.1 GB) but holds only
    # its header: were its data read first, the load would fail on the missing bytes (or
    # allocate the array); it is refused for its name, at once.
    path = tmp_path / "bloated.npz"
    small_model(0).save(path)
    with zipfile.ZipFile(path, "a") as archive, archive.open("extra.npy", "w") as member:
        np.lib.format.write_array_header_1_0(
            member, {"descr": "<f8", "fortran_order": False, "shape": (12000, 12000)})
    model = small_model(1)
    before = model.state_dict()
    tracemalloc.start()
    try:
        with pytest.raises(CheckpointError, match=r"unexpected 'extra'"):
            model.load(path)
        assert tracemalloc.get_traced_memory()[1] < 10_000_000
    finally:
        tracemalloc.stop()
    assert_same_state(model.state_dict(), before)


@pytest.mark.filterwarnings("ignore:Duplicate name:UserWarning")
@pytest.mark.parametrize("member", ["0.bias.npy", "0.bias"])
def test_an_archive_holding_one_name_twice_is_refused_at_once(tmp_path, member):
    # Which copy would be loaded is unclear, and only the last one's header was checked while
    # every member was read: a first copy claiming 12000 x 12000 (1.1 GB) got allocated.
    path = tmp_path / "twice.npz"
    small_model(0).save(path)
    with zipfile.ZipFile(path, "a") as archive:
        with archive.open(member, "w") as copy:
            np.lib.format.write_array_header_1_0(
                copy, {"descr": "<f8", "fortran_order": False, "shape": (12000, 12000)})
        with archive.open(member, "w") as copy:
            np.lib.format.write_array(copy, np.full(5, 7.0))
    model = small_model(1)
    before = model.state_dict()
    tracemalloc.start()
    try:
        with pytest.raises(CheckpointError, match=r"more than one array named '0.bias'"):
            model.load(path)
        assert tracemalloc.get_traced_memory()[1] < 10_000_000
    finally:
        tracemalloc.stop()
    assert_same_state(model.state_dict(), before)


def test_values_too_large_for_the_parameters_dtype_are_refused(tmp_path):
    model = Sequential(Linear(2, 3, seed=0, dtype=np.float32))
    state = model.state_dict()
    state = {name: array.astype(np.float64) for name, array in state.items()}
    state["0.weight"][0, 0] = 1e300
    before = model.state_dict()
    with pytest.raises(CheckpointError, match=r"'0.weight' holds values too large for "
                                              r"float32 \(up to 1e\+300\)"):
        model.load_state_dict(state)
    assert_same_state(model.state_dict(), before)
    state["0.weight"][0, 0] = np.inf  # an infinity is what it is: loaded as one
    model.load_state_dict(state)
    assert model.state_dict()["0.weight"][0, 0] == np.inf


def test_integers_too_large_for_float16_are_refused():
    model = Sequential(Linear(2, 3, seed=0, dtype=np.float16))
    state = {name: array.astype(np.int64) for name, array in model.state_dict().items()}
    state["0.weight"][0, 0] = 10**6  # float16 holds at most 65504
    before = model.state_dict()
    with pytest.raises(CheckpointError, match=r"'0.weight' holds values too large for "
                                              r"float16 \(up to 1e\+06\)"):
        model.load_state_dict(state)
    assert_same_state(model.state_dict(), before)
    state["0.weight"][0, 0] = 60_000
    model.load_state_dict(state)
    assert model.state_dict()["0.weight"][0, 0] == 60_000


def test_saving_into_a_missing_folder_names_the_path_asked_for(tmp_path):
    target = tmp_path / "no" / "such" / "model.npz"
    with pytest.raises(FileNotFoundError, match=r"cannot write .*model.npz: the folder .*such "
                                                r"does not exist") as error:
        small_model().save(target)
    assert ".tmp" not in str(error.value)


def test_a_save_killed_midway_leaves_one_temporary_file_which_the_next_save_replaces(tmp_path):
    path = tmp_path / "model.npz"
    (tmp_path / "model.npz.tmp").write_bytes(b"half a checkpoint")  # what a killed save leaves
    small_model(0).save(path)
    assert sorted(os.listdir(tmp_path)) == ["model.npz"]
    restored = small_model(1)
    restored.load(path)
    assert_same_state(restored.state_dict(), small_model(0).state_dict())


def test_a_checkpoint_of_another_architecture_is_refused_naming_the_mismatch(tmp_path):
    path = tmp_path / "wide.npz"
    Sequential(Linear(2, 9, seed=0), ReLU(), Linear(9, 1, seed=1)).save(path)
    model = small_model()
    before = model.state_dict()
    with pytest.raises(CheckpointError, match=r"wide.npz: .*'0.weight' has shape "
                                              r"\(9, 2\) in the state but \(5, 2\)"):
        model.load(path)
    assert_same_state(model.state_dict(), before)


def test_loading_a_missing_file_raises_file_not_found(tmp_path):
    with pytest.raises(FileNotFoundError):
        small_model().load(tmp_path / "nowhere.npz")


# -- Sequential and repr ----------------------------------------------------------------------


def test_sequential_chains_indexes_and_iterates_its_modules():
    first, second = Linear(2, 3, seed=0), Tanh()
    model = Sequential(first, second)
    x = np.array([[1.0, -1.0]])
    assert np.allclose(model(x).data, np.tanh(x @ first.weight.data.T + first.bias.data))
    assert model[0] is first and len(model) == 2 and list(model) == [first, second]


def test_sequential_refuses_what_is_not_a_module():
    with pytest.raises(TypeError, match=r"argument 1 must be a Module, got ufunc"):
        Sequential(Linear(2, 2), np.tanh)


def test_repr_shows_the_tree_of_modules_as_pytorch_does():
    assert repr(small_model()) == (
        "Sequential(\n"
        "  (0): Linear(in_features=2, out_features=5, bias=True)\n"
        "  (1): ReLU()\n"
        "  (2): Linear(in_features=5, out_features=1, bias=True)\n"
        ")")
