"""Data changed behind a recorded graph's back: refused, never a silently wrong gradient.

Assigning a Value's data (`W.data -= 0.1` too) is caught by a version number; writing into a
recorded result's array is refused by numpy (it is read-only); writing into the elements of a
leaf's array or of a plain numpy operand is caught under detect_anomaly(). And the everyday
patterns (a step after backward, an evaluation loss kept around, retain_graph, fit) go on
working without an error.
"""

import numpy as np
import pytest

import nn
from autograd import GraphError, Operation, Value, detect_anomaly, no_grad

CHANGED = "cannot be backpropagated"

# -- assigning data ----------------------------------------------------------------------------


def test_an_augmented_assignment_of_a_weight_after_the_forward_pass_is_refused():
    W = Value([[1.0, 2.0], [3.0, 4.0]], label="W")
    x = Value([[1.0, 1.0]])
    y = ((x @ W) ** 2).sum()
    W.data -= 0.1  # would give x.grad [[30, 70]] instead of [[32, 72]]
    with pytest.raises(GraphError, match=rf"'matmul' {CHANGED}: the data of its input 'W' "
                                         r"\(shape \(2, 2\)\) was assigned"):
        y.backward()


def test_assigning_a_scalar_input_or_an_intermediate_result_is_refused():
    a = Value(2.0, label="a")
    y = a * a
    a.data = 5.0
    with pytest.raises(GraphError, match=rf"'mul' {CHANGED}: the data of its input 'a'"):
        y.backward()
    x = Value(np.array([1.0, 2.0]))
    e = x.exp()
    e.label = "e"
    s = e.sum()
    e.data = np.full(2, 100.0)  # exp's rule uses its own result
    with pytest.raises(GraphError, match=rf"'sum' {CHANGED}: the data of its input 'e'"):
        s.backward()
    e = x.exp()
    e.data = np.full(2, 100.0)
    with pytest.raises(GraphError, match=rf"'exp' {CHANGED}: the data of its result"):
        e.backward(gradient=np.ones(2))


def test_a_constant_value_assigned_after_use_is_refused_too():
    w = Value(np.ones(2))
    c = Value(np.array([3.0, 4.0]), requires_grad=False)
    y = (w * c).sum()
    c.data = np.zeros(2)  # w's gradient is c: it would read the zeros
    with pytest.raises(GraphError, match=CHANGED):
        y.backward()


def test_a_refused_pass_adds_nothing_to_any_leaf():
    w1, w2 = Value([1.0, 2.0]), Value([3.0, 4.0])
    c = Value([1.0, 1.0], requires_grad=False)
    loss = (w2 * c).sum() + (w1 * w1).sum()
    (w1 * 3).sum().backward()  # an earlier gradient, which must stay as it is
    c.data = np.full(2, 5.0)  # the w2 * c branch can no longer be backpropagated
    with pytest.raises(GraphError, match=CHANGED):
        loss.backward()  # every leaf is reached after every operation: none was reached yet
    assert w1.grad.tolist() == [3.0, 3.0] and w2.grad.tolist() == [0.0, 0.0]


def test_data_assigned_before_the_forward_pass_is_what_backward_uses():
    W = Value([[1.0, 2.0], [3.0, 4.0]])
    W.data -= 0.1
    x = Value([[1.0, 1.0]])
    ((x @ W) ** 2).sum().backward()
    np.testing.assert_allclose(x.grad, [[2 * 3.8 * 0.9 + 2 * 5.8 * 1.9,
                                         2 * 3.8 * 2.9 + 2 * 5.8 * 3.9]])


def test_a_retained_graph_refuses_a_second_pass_after_a_step():
    w = Value(np.array([1.0, -2.0]))
    loss = (w * w).sum()
    loss.backward(retain_graph=True)
    optimizer = nn.SGD([w], lr=0.1)
    optimizer.step()
    with pytest.raises(GraphError, match=CHANGED):
        loss.backward()


def test_a_detached_leaf_keeps_its_numbers_when_the_leaf_is_updated_in_place():
    w = Value(np.ones(3), label="w")
    target = w.detach()  # say, a frozen copy of a parameter
    x = Value(np.ones(3))
    y = (x * target).sum()
    w.data -= 1.0  # in place: the detached Value used to hold the very same array
    y.backward()
    np.testing.assert_array_equal(x.grad, [1.0, 1.0, 1.0])
    view = w.reshape(3, 1).detach()  # a read-only view of w's writable array: copied too
    w.data += 5.0
    np.testing.assert_array_equal(view.data, [[0.0], [0.0], [0.0]])
    result = w * 2.0
    assert np.shares_memory(result.detach().data, result.data)  # read-only: nothing to copy


# -- writing into arrays -------------------------------------------------------------------------


def test_a_recorded_result_is_read_only():
    x = Value(np.array([1.0, 2.0]))
    e = x.exp()
    with pytest.raises(ValueError, match="read-only"):
        e.data[:] = 100.0
    np.testing.assert_array_equal(e.numpy(), np.exp([1.0, 2.0]))  # a copy to change at will
    copy = e.numpy()
    copy[:] = 0.0
    assert e.data[0] == np.exp(1.0)
    with no_grad():
        free = x.exp()  # nothing recorded, nothing to protect
    free.data[:] = 0.0
    x.data[0] = 7.0  # a leaf's own array stays writable


def test_an_operation_returning_its_input_array_leaves_the_input_writable():
    from autograd import Operation

    identity = Operation("identity", lambda x: x, lambda g, out, x: g)
    x = Value(np.array([1.0, 2.0]))
    y = identity(x)
    assert not y.data.flags.writeable and x.data.flags.writeable
    x.data += 1.0


@pytest.mark.parametrize("write", [
    lambda x, c: x.data.__setitem__(0, 5.0),  # an element of a leaf's array
    lambda x, c: c.__setitem__(slice(None), 0.0),  # a plain numpy operand
], ids=["leaf element", "numpy operand"])
def test_element_writes_are_caught_under_detect_anomaly(write):
    x = Value(np.array([1.0, 2.0]))
    c = np.array([3.0, 4.0])
    with detect_anomaly():
        y = (x * x * c).sum()
        write(x, c)
        with pytest.raises(GraphError, match=rf"'mul' {CHANGED}: an array that 'mul' uses"):
            y.backward()


def test_an_index_or_labels_array_refilled_before_backward_changes_no_gradient():
    # The gradient rules of indexing and of cross_entropy read the index (the labels) again in
    # the backward pass; a buffer refilled for the next batch must not move the gradient.
    x = Value(np.arange(4.0))
    index = np.array([0, 1])
    mask = np.array([True, False, True, False])
    y = (x[index] * np.array([1.0, 2.0])).sum() + (x[mask] * 10.0).sum() + x[index, ].sum()
    index[:] = [2, 3]
    mask[:] = ~mask
    y.backward()
    np.testing.assert_array_equal(x.grad, [12.0, 3.0, 10.0, 0.0])
    logits = Value(np.zeros((2, 3)))
    labels = np.array([0, 1])
    loss = nn.cross_entropy(logits, labels)
    labels[:] = [2, 2]
    loss.backward()
    np.testing.assert_allclose(logits.grad, [[-1 / 3, 1 / 6, 1 / 6], [1 / 6, -1 / 3, 1 / 6]])


def test_an_array_parameter_written_into_is_caught_under_detect_anomaly():
    weights = np.array([1.0, 2.0])
    weighted = Operation("weighted", lambda x, w: x * w, lambda g, out, x, w: g * w)
    x = Value(np.ones(2))
    with detect_anomaly():
        y = weighted(x, w=weights).sum()
        weights[0] = 5.0
        with pytest.raises(GraphError, match=rf"'weighted' {CHANGED}: an array that"):
            y.backward()


def test_element_writes_go_unseen_without_detect_anomaly():
    # Documented: the default checks see assignments and result writes, not element writes into
    # a leaf's own array (numpy gives no cheap way to see them). detect_anomaly() does.
    x = Value(np.array([1.0, 2.0]))
    y = (x * x).sum()
    x.data[0] = 5.0
    y.backward()
    np.testing.assert_array_equal(x.grad, [10.0, 4.0])


# -- what keeps working --------------------------------------------------------------------------


def test_the_ordinary_training_loop_and_the_micrograd_update_raise_nothing():
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(32, 3)), rng.integers(0, 2, size=32)
    model = nn.Sequential(nn.Linear(3, 8, seed=0), nn.ReLU(), nn.Linear(8, 2, seed=1))
    optimizer = nn.SGD(model.parameters(), lr=0.1, momentum=0.9)
    evaluation = nn.cross_entropy(model(X), y)  # kept in a variable while training goes on
    first = None
    for _ in range(20):
        loss = nn.cross_entropy(model(X), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        first = first if first is not None else loss.item()
    assert loss.item() < first
    assert np.isfinite(evaluation.item())
    w = Value(3.0)
    for _ in range(5):
        w.zero_grad()
        (w * w).backward()
        w.data -= 0.1 * w.grad  # micrograd's update


def test_retain_graph_then_a_second_pass_with_unchanged_data():
    w = Value(np.array([1.0, 2.0]))
    loss = (w * w).sum()
    loss.backward(retain_graph=True)
    loss.backward()
    np.testing.assert_array_equal(w.grad, [4.0, 8.0])


def test_fit_and_load_state_dict_between_passes():
    X, y = nn.make_blobs(60, seed=0)
    model = nn.Sequential(nn.Linear(2, 8, seed=0), nn.Tanh(), nn.Linear(8, 3, seed=1))
    history = nn.fit(model, nn.cross_entropy, nn.Adam(model.parameters(), lr=0.05), X, y,
                     epochs=3, batch_size=16, task="multiclass", progress=False, seed=0)
    assert history.epochs == 3
    state = model.state_dict()
    loss = nn.cross_entropy(model(X), y)
    model.load_state_dict(state)  # writes into the parameters' arrays: a change all the same
    with pytest.raises(GraphError, match=CHANGED):
        loss.backward()
