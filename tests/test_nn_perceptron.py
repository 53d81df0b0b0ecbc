"""Perceptrons: the perceptron algorithm's update rule, convergence on separable data (and
never on XOR), the logic gates' truth tables and the XOR network built from them."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from autograd import Value
from nn import (
    Perceptron,
    and_perceptron,
    make_blobs,
    nand_perceptron,
    not_perceptron,
    or_perceptron,
    xor_network,
)

INPUTS = np.array([[0, 0], [0, 1], [1, 0], [1, 1]])


# -- the gates ----------------------------------------------------------------------------------


@pytest.mark.parametrize("gate, truth_table", [
    (and_perceptron, [0, 0, 0, 1]),
    (or_perceptron, [0, 1, 1, 1]),
    (nand_perceptron, [1, 1, 1, 0]),
    (xor_network, [0, 1, 1, 0]),
])
def test_two_input_gates_give_their_truth_tables(gate, truth_table):
    assert gate().predict(INPUTS).tolist() == truth_table
    assert [int(gate().predict(row)) for row in INPUTS] == truth_table  # one row at a time


def test_not_gives_its_truth_table():
    assert not_perceptron().predict([[0], [1]]).tolist() == [1, 0]


def test_the_xor_network_is_and_of_or_and_nand():
    network = xor_network()
    hidden = np.stack([network.or_gate.predict(INPUTS), network.nand_gate.predict(INPUTS)], 1)
    assert network.and_gate.predict(hidden).tolist() == network.predict(INPUTS).tolist()
    out = network(INPUTS)
    assert out.scope == "XORNetwork/and_gate"
    assert len(network.parameters()) == 6


# -- the perceptron algorithm -------------------------------------------------------------------


def test_a_misclassified_point_moves_the_boundary_by_lr_times_the_point():
    perceptron = Perceptron(2, lr=0.5)
    x = np.array([[2.0, -1.0]])
    assert perceptron.predict(x).tolist() == [1]  # from zero weights: step(0) = 1
    assert perceptron.fit(x, [0], epochs=1) == [1]  # one mistake: y - ŷ = -1
    assert perceptron.weights.data.tolist() == [-1.0, 0.5] and perceptron.bias.data == -0.5
    assert perceptron.fit(np.array([[1.0, 1.0]]), [1], epochs=1) == [1]  # y - ŷ = +1
    assert perceptron.weights.data.tolist() == [-0.5, 1.0] and perceptron.bias.data == 0.0
    assert type(perceptron.bias.data) is float


def test_a_correctly_classified_point_leaves_the_boundary_alone():
    perceptron = Perceptron(2)
    perceptron.weights.data[:] = [1.0, -1.0]
    perceptron.bias.data = 0.25
    assert perceptron.fit(np.array([[3.0, 1.0], [0.0, 2.0]]), [1, 0], epochs=5) == [0]
    assert perceptron.weights.data.tolist() == [1.0, -1.0] and perceptron.bias.data == 0.25


def test_the_perceptron_learns_and_and_or_from_their_truth_tables():
    for target, gate in ([0, 0, 0, 1], and_perceptron), ([0, 1, 1, 1], or_perceptron):
        perceptron = Perceptron(2, seed=0)
        mistakes = perceptron.fit(INPUTS, target)
        assert mistakes[-1] == 0 and len(mistakes) < 100
        assert perceptron.predict(INPUTS).tolist() == gate().predict(INPUTS).tolist()


def test_the_perceptron_separates_separable_blobs():
    X, y = make_blobs(200, seed=0)
    perceptron = Perceptron(2, lr=0.1, seed=0)
    mistakes = perceptron.fit(X, y, epochs=100)
    assert mistakes[-1] == 0
    assert np.array_equal(perceptron.predict(X), y)


@given(normal=st.tuples(st.floats(-1, 1), st.floats(-1, 1), st.floats(-1, 1)).filter(
           lambda w: np.linalg.norm(w) > 0.1),
       seed=st.integers(0, 2**32 - 1))
def test_the_perceptron_converges_on_any_linearly_separable_data(normal, seed):
    """Points at least 0.1 away from a random plane through [-1, 1]^3: by the convergence
    theorem at most (R / margin)^2 = 300 mistakes, so the algorithm must finish."""
    rng = np.random.default_rng(seed)
    normal = np.array(normal) / np.linalg.norm(normal)
    X = rng.uniform(-1, 1, (60, 3))
    X = X[np.abs(X @ normal) >= 0.1]
    y = (X @ normal > 0).astype(int)
    perceptron = Perceptron(3, seed=seed)
    mistakes = perceptron.fit(X, y, epochs=400)
    assert mistakes[-1] == 0 and sum(mistakes) <= 300
    assert np.array_equal(perceptron.predict(X), y)


def test_a_single_perceptron_never_learns_xor():
    mistakes = Perceptron(2, seed=0).fit(INPUTS, [0, 1, 1, 0], epochs=100)
    assert len(mistakes) == 100 and min(mistakes) > 0


def test_from_zero_the_learning_rate_only_scales_the_weights():
    X, y = make_blobs(50, std=3.0, seed=1)
    slow, fast = Perceptron(2, lr=0.1, seed=4), Perceptron(2, lr=1.0, seed=4)
    assert slow.fit(X, y, epochs=20) == fast.fit(X, y, epochs=20)
    assert np.allclose(10 * slow.weights.data, fast.weights.data)
    assert np.array_equal(slow.predict(X), fast.predict(X))


def test_fitting_is_reproducible_from_a_seed():
    X, y = make_blobs(40, std=3.0, seed=2)
    a, b = Perceptron(2, seed=9), Perceptron(2, seed=9)
    assert a.fit(X, y, epochs=10) == b.fit(X, y, epochs=10)
    assert np.array_equal(a.weights.data, b.weights.data)


def test_the_step_gives_gradient_descent_nothing_to_follow():
    perceptron = and_perceptron()
    out = perceptron(Value(INPUTS.astype(float)))
    (out * Value([1.0, 2.0, 3.0, 4.0])).sum().backward()
    assert np.array_equal(perceptron.weights.grad, [0.0, 0.0]) and perceptron.bias.grad == 0.0


def test_bad_settings_and_data_are_refused():
    with pytest.raises(ValueError, match="Perceptron: lr must be a finite number > 0, got 0"):
        Perceptron(2, lr=0)
    with pytest.raises(ValueError, match="n_inputs must be a whole number >= 1"):
        Perceptron(0)
    with pytest.raises(ValueError, match=r"labels must be 0 or 1, got \[-1  1\]"):
        Perceptron(2).fit(INPUTS, [-1, 1, 1, -1])
    with pytest.raises(ValueError, match=r"X must have shape \(N, 2\) and y shape \(N,\), got "
                                         r"\(4, 2\) and \(3,\)"):
        Perceptron(2).fit(INPUTS, [0, 1, 1])
    with pytest.raises(ValueError, match=r"X must have shape \(N, 3\) .* got \(4, 2\)"):
        Perceptron(3).fit(INPUTS, [0, 1, 1, 0])
    with pytest.raises(ValueError, match=r"Perceptron: expected inputs with 3 features"):
        Perceptron(3).predict(INPUTS)
