"""Layers: Linear, the activation modules and Dropout, micrograd's Neuron, Layer and MLP (on
one sample and on a batch, and micrograd's own demo code), every one under the gradient check;
and networks that learn XOR and the two moons."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import nn
from autograd import Value, gradcheck, no_grad
from nn import (
    MLP,
    Adam,
    Dropout,
    Layer,
    Linear,
    Neuron,
    ReLU,
    Sequential,
    Sigmoid,
    Softmax,
    Step,
    Tanh,
    make_moons,
)

finite = {"allow_nan": False, "allow_infinity": False, "allow_subnormal": False}


def random_input(shape, seed=0):
    return Value(np.random.default_rng(seed).normal(size=shape))


def outputs(result):
    """What gradcheck takes: a Value, or a tuple for the list a layer gives on one sample."""
    return tuple(result) if isinstance(result, list) else result


# -- Linear -----------------------------------------------------------------------------------


def test_linear_computes_x_at_weight_transposed_plus_bias_as_pytorch_does():
    layer = Linear(3, 2, seed=0)
    assert layer.weight.shape == (2, 3) and layer.bias.shape == (2,)  # (out, in), as PyTorch
    assert layer.weight.data.flags.f_contiguous  # weight.T row-major: the fast product
    assert np.all(layer.bias.data == 0)
    layer.bias.data = np.array([0.5, -2.0])
    x = np.arange(12.0).reshape(4, 3)
    assert np.allclose(layer(x).data, x @ layer.weight.data.T + [0.5, -2.0])
    assert np.allclose(layer(x[0]).data, layer.weight.data @ x[0] + [0.5, -2.0])
    assert layer([1, 2, 3]).shape == (2,)
    no_bias = Linear(3, 2, bias=False, seed=0)
    assert no_bias.bias is None and np.allclose(no_bias(x).data, x @ no_bias.weight.data.T)
    assert [name for name, _ in no_bias.named_parameters()] == ["weight"]


def test_a_seed_gives_the_same_network_as_before_the_weights_followed_pytorchs_layout():
    limit = np.sqrt(6 / 3)  # he: sqrt(6 / in_features)
    drawn = np.random.default_rng(7).uniform(-limit, limit, (3, 2))  # (in, out), as drawn before
    np.testing.assert_array_equal(Linear(3, 2, seed=7).weight.data, drawn.T)


@pytest.mark.parametrize("init, fan", [("he", 40), ("glorot", 40 + 60)])
def test_linear_weights_are_uniform_within_the_init_limit(init, fan):
    weights = Linear(40, 60, seed=0, init=init).weight.data
    limit = np.sqrt(6 / fan)
    assert np.abs(weights).max() <= limit
    assert np.abs(weights).max() > 0.95 * limit  # the whole range is used
    assert abs(weights.std() - limit / np.sqrt(3)) < 0.05 * limit  # a uniform's spread


def test_linear_is_reproducible_from_a_seed():
    assert np.array_equal(Linear(4, 3, seed=5).weight.data, Linear(4, 3, seed=5).weight.data)
    assert not np.array_equal(Linear(4, 3, seed=5).weight.data, Linear(4, 3, seed=6).weight.data)


def test_linear_in_float32_stays_float32():
    layer = Linear(3, 2, seed=0, dtype=np.float32)
    out = layer(np.ones((5, 3)))
    assert layer.weight.dtype == out.dtype == np.float32
    out.sum().backward()
    assert layer.weight.grad.dtype == np.float32


def test_linear_refuses_bad_settings_and_inputs_of_the_wrong_width():
    with pytest.raises(ValueError, match="in_features must be a whole number >= 1, got 0"):
        Linear(0, 2)
    with pytest.raises(ValueError, match="init must be one of 'he', 'glorot'"):
        Linear(2, 2, init="normal")
    with pytest.raises(ValueError, match="dtype must be a floating type"):
        Linear(2, 2, dtype=np.int64)
    with pytest.raises(ValueError, match=r"Linear: expected inputs with 3 features on the last "
                                         r"axis, e.g. shape \(batch, 3\), got shape \(4, 2\)"):
        Linear(3, 2)(np.ones((4, 2)))
    with pytest.raises(TypeError, match="Linear: inputs must be numbers or Values, got an array "
                                        "of <U1"):
        Linear(2, 1)([["a", "b"]])


def test_nested_lists_of_values_are_stacked_so_gradients_reach_them():
    layer = Linear(2, 1, seed=0)
    a, b = Value(1.0), Value(2.0)
    layer([[a, b], [3.0, 4.0]]).sum().backward()
    assert a.grad == layer.weight.data[0, 0] and b.grad == layer.weight.data[0, 1]


def test_linear_stacks_a_list_of_values_so_gradients_reach_them():
    layer = Linear(2, 1, seed=0)
    rows = [Value([1.0, 2.0]), Value([3.0, 4.0])]
    layer(rows).sum().backward()
    assert rows[1].grad.tolist() == layer.weight.data[0].tolist()


def test_nested_lists_of_scalar_values_are_stacked_not_read_as_constants():
    # numpy reads a Value as its number, so np.asarray would turn these rows into a constant
    # array and the gradients would silently never reach the Values.
    layer = Linear(2, 1, seed=0)
    a, b = Value(1.0), Value(2.0)
    out = layer([[a, b], [b, 3.0]])
    assert out.shape == (2, 1)
    out.sum().backward()
    assert a.grad == pytest.approx(layer.weight.data[0, 0])
    assert b.grad == pytest.approx(layer.weight.data[0, 1] + layer.weight.data[0, 0])
    loss = nn.mse_loss([[a], [b]], np.zeros((2, 1)))
    assert loss.requires_grad and loss.item() == pytest.approx(2.5)


def test_linear_and_sequential_pass_the_gradient_check():
    layer = Linear(3, 4, seed=0)
    assert gradcheck(lambda x, w, b: layer(x), [random_input((5, 3)), layer.weight, layer.bias])
    model = Sequential(Linear(3, 4, seed=1), Tanh(), Linear(4, 2, seed=2), Sigmoid())
    assert gradcheck(lambda x, *params: model(x), [random_input((5, 3)), *model.parameters()])


# -- activations ------------------------------------------------------------------------------


@pytest.mark.parametrize("module, function", [
    (Sigmoid(), lambda x: 1 / (1 + np.exp(-x))),
    (Tanh(), np.tanh),
    (ReLU(), lambda x: np.maximum(x, 0)),
    (Step(), lambda x: (x >= 0).astype(float)),
    (Softmax(), lambda x: np.exp(x) / np.exp(x).sum(axis=-1, keepdims=True)),
    (Softmax(axis=0), lambda x: np.exp(x) / np.exp(x).sum(axis=0, keepdims=True)),
])
def test_activation_modules_compute_their_formula(module, function):
    x = np.array([[-2.0, 0.0, 0.5], [3.0, -0.1, 1.0]])
    assert np.allclose(module(Value(x)).data, function(x))
    assert np.allclose(module(x), function(x))  # plain data in, plain data out


@given(x=hnp.arrays(np.float64, hnp.array_shapes(max_dims=2, max_side=4),
                    elements=st.floats(-5, 5, **finite)))
def test_activation_modules_pass_the_gradient_check(x):
    x = x + 0.01 * np.sign(x) + 0.01 * (x == 0)  # keep relu's kink a margin away
    for module in (Sigmoid(), Tanh(), ReLU(), Softmax()):
        assert gradcheck(module, [Value(x)])


def test_step_is_one_from_zero_on_and_its_gradient_is_zero():
    assert nn.step(0.0) == 1.0 and nn.step(-1e-9) == 0.0
    assert np.array_equal(nn.step(np.array([-3.0, 0.0, 2.0])), [0.0, 1.0, 1.0])
    x = Value([-3.0, 0.0, 2.0])
    (nn.step(x) * Value([1.0, 2.0, 3.0])).sum().backward()
    assert np.array_equal(x.grad, [0.0, 0.0, 0.0])
    assert gradcheck(nn.step, [Value([-1.0, 0.5])])  # finite differences away from 0 agree


def test_module_reprs_show_their_settings():
    assert repr(Softmax(axis=0)) == "Softmax(axis=0)"
    assert repr(Dropout(0.25)) == "Dropout(p=0.25)"
    assert repr(ReLU()) == "ReLU()"


# -- Dropout ----------------------------------------------------------------------------------


def test_dropout_is_the_identity_in_eval_mode_and_for_p_zero():
    x = Value(np.arange(6.0))
    assert Dropout(0.5).eval()(x) is x
    assert Dropout(0.0)(x) is x


def test_dropout_in_training_zeroes_about_p_and_keeps_the_mean():
    x = np.full(200_000, 3.0)
    out = Dropout(0.3, seed=0)(Value(x)).data
    assert set(np.unique(out)) == {0.0, 3.0 / 0.7}
    assert abs(np.mean(out == 0) - 0.3) < 0.01
    assert abs(out.mean() - 3.0) < 0.03  # inverted dropout: the expectation is unchanged


def test_dropout_passes_the_gradient_through_the_kept_elements_only():
    x = Value(np.ones((4, 5)))
    out = Dropout(0.5, seed=1)(x)
    out.backward(np.ones((4, 5)))
    assert np.array_equal(x.grad, out.data)  # 2 where kept, 0 where dropped
    # A fresh layer with the same seed draws the same mask, so the function is fixed:
    assert gradcheck(lambda v: Dropout(0.5, seed=1)(v), [random_input((4, 5))])


def test_dropout_is_reproducible_keeps_float32_and_draws_a_new_mask_each_call():
    x = Value(np.ones(50, dtype=np.float32))
    a, b = Dropout(0.5, seed=3), Dropout(0.5, seed=3)
    first = a(x).data
    assert first.dtype == np.float32 and np.array_equal(first, b(x).data)
    assert not np.array_equal(first, a(x).data)


def test_dropout_refuses_p_outside_zero_to_one():
    for p in (-0.1, 1.0, 2):
        with pytest.raises(ValueError, match=r"p must be a finite number in \[0, 1\) \(the "
                                             r"probability of dropping an element\)"):
            Dropout(p)


def test_dropout_inside_a_network_follows_train_and_eval():
    model = Sequential(Linear(3, 3, seed=0), Dropout(0.5, seed=0))
    x = np.ones((2, 3))
    model.eval()
    assert np.array_equal(model(x).data, model[0](x).data)
    model.train()
    assert np.any(model(x).data == 0)


# -- micrograd's Neuron, Layer and MLP ---------------------------------------------------------


def test_a_neuron_computes_relu_of_the_weighted_sum_plus_bias():
    neuron = Neuron(3, seed=0)
    neuron.b.data = 0.5
    x = [1.0, -2.0, 0.5]
    weighted = sum(w.data * xi for w, xi in zip(neuron.w, x, strict=True)) + 0.5
    assert neuron(x).data == pytest.approx(max(weighted, 0.0))
    neuron.nonlin = False
    assert neuron(x).data == pytest.approx(weighted)
    assert neuron(np.array([x, x])).shape == (2,)
    assert repr(neuron) == "LinearNeuron(3)" and repr(Neuron(2)) == "ReLUNeuron(2)"


def test_neuron_weights_are_scalar_values_uniform_in_minus_one_one():
    neuron = Neuron(1000, seed=0)
    weights = np.array([w.data for w in neuron.w])
    assert all(type(w.data) is float for w in neuron.w) and neuron.b.data == 0.0
    assert weights.min() >= -1 and weights.max() <= 1 and weights.min() < -0.99


def test_layer_returns_a_list_or_the_single_value_as_micrograd_does():
    assert len(Layer(2, 3, seed=0)([1.0, 2.0])) == 3
    single = Layer(2, 1, seed=0)([1.0, 2.0])
    assert isinstance(single, Value) and single.shape == ()
    assert Layer(2, 3, seed=0)(np.ones((5, 2))).shape == (5, 3)


def test_mlp_on_one_sample_gives_a_scalar_and_on_a_batch_an_n_by_one_value():
    model = MLP(3, [4, 4, 1], seed=0)
    out = model([1.0, 2.0, 3.0])
    assert isinstance(out, Value) and out.shape == ()
    assert model(np.ones((5, 3))).shape == (5, 1)
    assert len(MLP(3, [4, 2], seed=0)([1.0, 2.0, 3.0])) == 2


def test_the_batch_gives_the_same_outputs_and_gradients_as_one_sample_at_a_time():
    model = MLP(3, [4, 4, 2], seed=0)
    X = np.random.default_rng(1).normal(size=(6, 3))
    batch = model(X)
    (batch * np.arange(12.0).reshape(6, 2)).sum().backward()
    batch_grads = [p.grad for p in model.parameters()]
    model.zero_grad()
    total = 0
    for i, row in enumerate(X):
        a, b = model(list(row))
        assert [a.data, b.data] == pytest.approx(batch.data[i].tolist())
        total = total + a * (2 * i) + b * (2 * i + 1)
    total.backward()
    assert [p.grad for p in model.parameters()] == pytest.approx(batch_grads)


def test_a_one_neuron_hidden_layer_works_micrograd_bug_fixed():
    model = MLP(2, [1, 3, 1], seed=0)
    assert model([0.5, -1.0]).shape == ()
    assert model(np.ones((4, 2))).shape == (4, 1)
    assert model(np.array([[0.5, -1.0]])).data[0, 0] == pytest.approx(model([0.5, -1.0]).data)


def test_a_layer_whose_neurons_differ_in_nonlin_agrees_between_batch_and_sample():
    layer = Layer(2, 3, seed=0)
    layer.neurons[1].nonlin = False
    for neuron in layer.neurons:
        neuron.b.data = -5.0  # every pre-activation negative: relu would zero it
    batch = layer(np.array([[0.2, 0.1]])).data[0]
    assert batch.tolist() == pytest.approx([v.data for v in layer([0.2, 0.1])])
    assert batch[0] == 0 and batch[1] < 0


def test_neuron_layer_and_mlp_refuse_the_wrong_number_of_inputs():
    with pytest.raises(ValueError, match="Neuron: expected 3 inputs, got 2"):
        MLP(3, [2, 1])([1.0, 2.0])
    with pytest.raises(ValueError, match=r"Layer: expected inputs with 3 features .* \(5, 2\)"):
        MLP(3, [2, 1])(np.ones((5, 2)))
    with pytest.raises(ValueError, match=r"nouts\[1\] must be a whole number >= 1, got 0"):
        MLP(3, [2, 0])
    with pytest.raises(ValueError, match="nouts must list the size of at least one layer"):
        MLP(3, [])
    with pytest.raises(TypeError, match=r"MLP: nouts must be a list of layer sizes, e\.g\. "
                                        r"\[4, 1\].*got int"):
        MLP(3, 1)  # was "object of type 'int' has no len()"


def test_mlp_repr_is_micrograds():
    assert repr(MLP(2, [2, 1])) == (
        "MLP of [Layer of [ReLUNeuron(2), ReLUNeuron(2)], Layer of [LinearNeuron(2)]]")


def test_mlp_is_reproducible_from_a_seed():
    a, b = MLP(2, [4, 1], seed=3), MLP(2, [4, 1], seed=3)
    assert [p.data for p in a.parameters()] == [p.data for p in b.parameters()]
    assert [p.data for p in a.parameters()] != [p.data for p in MLP(2, [4, 1]).parameters()]


@pytest.mark.parametrize("module", [Neuron(3, seed=0), Neuron(3, nonlin=False, seed=1),
                                    Layer(3, 2, seed=2), Layer(3, 1, nonlin=False, seed=3)])
def test_neurons_and_layers_pass_the_gradient_check(module):
    params = module.parameters()
    assert gradcheck(lambda x, *p: module(x), [random_input((5, 3)), *params])
    sample = [Value(v) for v in (0.3, -1.2, 0.8)]
    assert gradcheck(lambda *args: outputs(module(list(args[:3]))), [*sample, *params])


def test_mlp_passes_the_gradient_check_on_a_batch_and_on_one_sample():
    model = MLP(3, [4, 2], seed=0)
    params = model.parameters()
    assert gradcheck(lambda x, *p: model(x), [random_input((5, 3)), *params])
    sample = [Value(v) for v in (0.3, -1.2, 0.8)]
    assert gradcheck(lambda *args: outputs(model(list(args[:3]))), [*sample, *params])


def test_micrograds_demo_runs_unchanged_and_its_loss_falls():
    """The training loop of micrograd's demo notebook, verbatim but for fewer points and steps
    (and zip's strict=True, which this project's linter asks for)."""
    X, y = make_moons(40, noise=0.1, seed=0)
    y = y * 2 - 1  # make y be -1 or 1
    model = MLP(2, [16, 16, 1], seed=1337)  # 2-layer neural network

    def loss(batch_size=None):
        Xb, yb = X, y
        inputs = [list(map(Value, xrow)) for xrow in Xb]
        # forward the model to get scores
        scores = list(map(model, inputs))
        # svm "max-margin" loss
        losses = [(1 + -yi * scorei).relu() for yi, scorei in zip(yb, scores, strict=True)]
        data_loss = sum(losses) * (1.0 / len(losses))
        # L2 regularization
        alpha = 1e-4
        reg_loss = alpha * sum(p * p for p in model.parameters())
        total_loss = data_loss + reg_loss
        # also get accuracy
        accuracy = [(yi > 0) == (scorei.data > 0) for yi, scorei in zip(yb, scores, strict=True)]
        return total_loss, sum(accuracy) / len(accuracy)

    history = []
    for k in range(8):
        # forward
        total_loss, acc = loss()
        # backward
        model.zero_grad()
        total_loss.backward()
        # update (sgd)
        learning_rate = 1.0 - 0.9 * k / 100
        for p in model.parameters():
            p.data -= learning_rate * p.grad
        history.append((total_loss.data, acc))
    assert history[-1][0] < 0.6 * history[0][0]
    assert history[-1][1] > history[0][1]


# -- learning ---------------------------------------------------------------------------------


def test_an_mlp_learns_xor():
    X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    y = np.array([0, 1, 1, 0])
    model = MLP(2, [8, 1], seed=0)
    for _ in range(200):
        loss = nn.binary_cross_entropy_with_logits(model(X), y.reshape(-1, 1))
        model.zero_grad()
        loss.backward()
        for p in model.parameters():
            p.data -= 0.5 * p.grad
    assert loss.item() < 0.1
    with no_grad():
        assert np.array_equal((model(X).data[:, 0] > 0).astype(int), y)
        assert [model(list(x)).data > 0 for x in X] == [False, True, True, False]


def test_a_small_network_learns_the_moons_to_over_95_percent_held_out():
    X, y = make_moons(300, noise=0.1, seed=0)
    X_test, y_test = make_moons(1000, noise=0.1, seed=1)
    model = Sequential(Linear(2, 16, seed=0), Tanh(), Linear(16, 16, seed=1), Tanh(),
                       Linear(16, 1, seed=2, init="glorot"))
    optimizer = Adam(model.parameters(), lr=0.05)
    for _ in range(200):
        loss = nn.binary_cross_entropy_with_logits(model(X), y.reshape(-1, 1))
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    with no_grad():
        accuracy = np.mean((model(X_test).data[:, 0] > 0) == y_test)
    assert accuracy > 0.95
