"""Losses and penalties: values worked out by hand, agreement between the different routes to
the same loss, stability at extreme inputs, gradient checks, and the errors for inputs that do
not fit."""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from autograd import Value, gradcheck, gradgradcheck
from nn import (
    binary_cross_entropy,
    binary_cross_entropy_with_logits,
    cross_entropy,
    hinge_loss,
    l1_penalty,
    l2_penalty,
    mse_loss,
)

finite = {"allow_nan": False, "allow_infinity": False, "allow_subnormal": False}


def floats(low, high, size):
    return hnp.arrays(np.float64, size, elements=st.floats(low, high, **finite))


def sigmoid(x):
    return 1 / (1 + math.exp(-x))


# -- values worked out by hand ------------------------------------------------------------------


def test_mse_by_hand():
    assert mse_loss(Value([1.0, 2.0, -1.0]), [0.0, 4.0, -1.0]).item() == pytest.approx(5 / 3)
    assert mse_loss(Value(3.0), 1.0).item() == 4.0


def test_binary_cross_entropy_by_hand():
    loss = binary_cross_entropy(Value([0.8, 0.4, 0.5]), [1, 0, 1])
    assert loss.item() == pytest.approx(-(math.log(0.8) + math.log(0.6) + math.log(0.5)) / 3)


def test_binary_cross_entropy_with_logits_by_hand():
    loss = binary_cross_entropy_with_logits(Value([0.0, 2.0, -3.0]), [1, 0, 1])
    by_hand = [math.log(2), -math.log(1 - sigmoid(2.0)), -math.log(sigmoid(-3.0))]
    assert loss.item() == pytest.approx(sum(by_hand) / 3)


def test_cross_entropy_by_hand_with_integer_and_one_hot_labels():
    logits = Value([[1.0, 2.0, 3.0], [0.0, 0.0, 0.0]])
    first = -math.log(math.exp(3) / (math.exp(1) + math.exp(2) + math.exp(3)))
    by_hand = (first + math.log(3)) / 2
    assert cross_entropy(logits, [2, 0]).item() == pytest.approx(by_hand)
    assert cross_entropy(logits, np.array([[0, 0, 1], [1, 0, 0]])).item() == pytest.approx(by_hand)
    assert cross_entropy(logits, np.array([2.0, 0.0])).item() == pytest.approx(by_hand)
    assert cross_entropy(Value([1.0, 2.0, 3.0]), 2).item() == pytest.approx(first)  # one example


def test_hinge_by_hand():
    loss = hinge_loss(Value([2.0, 0.5, -1.0, -3.0]), [1, 1, 1, -1])
    assert loss.item() == pytest.approx((0 + 0.5 + 2 + 0) / 4)


def test_penalties_by_hand():
    params = [Value([1.0, -2.0]), Value([[0.5], [0.0]]), Value(-3.0)]
    assert l1_penalty(params, 0.1).item() == pytest.approx(0.1 * (1 + 2 + 0.5 + 0 + 3))
    assert l2_penalty(params, 0.1).item() == pytest.approx(0.1 * (1 + 4 + 0.25 + 0 + 9))
    l2_penalty(params, 0.1).backward()
    assert params[0].grad.tolist() == pytest.approx([0.2, -0.4])  # 2 lam w
    for p in params:
        p.zero_grad()
    l1_penalty(params, 0.1).backward()
    assert params[1].grad[:, 0].tolist() == pytest.approx([0.1, 0.0])  # lam sign(w), 0 at 0


# -- the same loss by different routes ---------------------------------------------------------


@given(x=floats(-15, 15, 6), y=hnp.arrays(np.int64, 6, elements=st.integers(0, 1)))
def test_bce_on_logits_equals_bce_on_their_sigmoid(x, y):
    from_logits = binary_cross_entropy_with_logits(Value(x), y).item()
    from_probabilities = binary_cross_entropy(Value(x).sigmoid(), y).item()
    assert from_logits == pytest.approx(from_probabilities, rel=1e-6, abs=1e-9)


@given(x=floats(-30, 30, 5), y=hnp.arrays(np.int64, 5, elements=st.integers(0, 1)))
def test_cross_entropy_of_two_classes_is_binary_cross_entropy_of_the_difference(x, y):
    two_classes = np.stack([np.zeros_like(x), x], axis=1)  # p(class 1) = sigmoid(x)
    assert cross_entropy(Value(two_classes), y).item() == pytest.approx(
        binary_cross_entropy_with_logits(Value(x), y).item(), rel=1e-9, abs=1e-12)


def test_micrograd_style_lists_of_scalar_values_are_stacked_and_get_gradients():
    scores = [Value(0.5), Value(-2.0)]
    hinge_loss(scores, [1, 1]).backward()
    assert [s.grad for s in scores] == [-0.5, -0.5]
    predictions = [Value(1.0), Value(3.0)]
    mse_loss(predictions, [0.0, 0.0]).backward()
    assert [p.grad for p in predictions] == [1.0, 3.0]


@pytest.mark.parametrize("loss, targets, refill", [
    (binary_cross_entropy_with_logits, [1.0, 0.0], [0.0, 1.0]),
    (lambda x, y: binary_cross_entropy(x.sigmoid(), y), [1.0, 0.0], [0.0, 1.0]),
    (hinge_loss, [1.0, -1.0], [-1.0, 1.0]),
    (mse_loss, [1.0, 0.0], [0.0, 1.0]),
    (lambda x, y: cross_entropy(x.reshape(1, 2), y.reshape(1, 2)), [1.0, 0.0], [0.0, 1.0]),
    (lambda x, y: cross_entropy(x.reshape(1, 2), y), [1], [0]),
], ids=["bce with logits", "bce", "hinge", "mse", "one-hot", "class indices"])
def test_targets_refilled_before_backward_change_no_gradient(loss, targets, refill):
    # The gradient rules read the targets again in the backward pass: a batch buffer refilled
    # between the loss and backward() must not change the gradient.
    buffer = np.array(targets)
    x = Value(np.array([0.3, -0.2]))
    total = loss(x, buffer)
    buffer[:] = refill
    total.backward()
    expected = Value(np.array([0.3, -0.2]))
    loss(expected, np.array(targets)).backward()
    np.testing.assert_allclose(x.grad, expected.grad, rtol=1e-15)


def test_mse_targets_may_require_gradients():
    prediction, target = Value([1.0, 2.0]), Value([0.0, 0.0])
    mse_loss(prediction, target).backward()
    assert target.grad.tolist() == [-1.0, -2.0]


# -- stability at extreme inputs ----------------------------------------------------------------


def test_bce_with_logits_is_exact_for_huge_logits_and_right_at_zero():
    x = Value([1000.0, -1000.0, 1000.0, -1000.0])
    loss = binary_cross_entropy_with_logits(x, [0, 1, 1, 0])
    assert loss.item() == pytest.approx((1000 + 1000 + 0 + 0) / 4)
    loss.backward()
    assert x.grad.tolist() == [0.25, -0.25, 0.0, 0.0]  # (sigmoid(x) - y) / N
    zero = Value([0.0])
    binary_cross_entropy_with_logits(zero, [1]).backward()
    assert zero.grad.tolist() == [-0.5]  # sigmoid(0) - 1, although |x| and relu kink there


def test_bce_on_probabilities_clips_certain_predictions_to_a_finite_loss_and_gradient():
    p = Value([0.0, 1.0, 1.0, 0.0])
    loss = binary_cross_entropy(p, [1, 0, 1, 0])
    assert loss.item() == pytest.approx(-2 * math.log(1e-7) / 4, rel=1e-6)
    loss.backward()
    assert np.all(np.isfinite(p.grad))
    assert p.grad[0] < 0 and p.grad[1] > 0  # pushed away from the wrong certainty


def test_cross_entropy_is_stable_for_logits_in_the_thousands():
    logits = Value([[1000.0, 0.0, -1000.0], [5000.0, 5000.0, 0.0]])
    loss = cross_entropy(logits, [1, 0])
    assert loss.item() == pytest.approx((1000 + math.log(2)) / 2)
    loss.backward()
    assert np.all(np.isfinite(logits.grad))
    assert logits.grad[1].tolist() == pytest.approx([-0.25, 0.25, 0.0])


# -- gradient checks ----------------------------------------------------------------------------


@given(pred=floats(-5, 5, (4, 2)), target=floats(-5, 5, (4, 2)))
def test_mse_passes_the_gradient_check(pred, target):
    assert gradcheck(mse_loss, [Value(pred), Value(target)])


@given(p=floats(0.05, 0.95, 5), y=floats(0.01, 0.99, 5))
def test_bce_on_probabilities_passes_the_gradient_check(p, y):
    assert gradcheck(binary_cross_entropy, [Value(p), Value(y)])


@given(x=floats(-10, 10, 5), y=floats(0.01, 0.99, 5))
def test_bce_on_logits_passes_the_gradient_and_second_derivative_checks(x, y):
    assert gradcheck(binary_cross_entropy_with_logits, [Value(x), Value(y)])
    assert gradgradcheck(lambda v: binary_cross_entropy_with_logits(v, y), [Value(x)])


@given(logits=floats(-10, 10, (4, 3)),
       labels=hnp.arrays(np.int64, 4, elements=st.integers(0, 2)))
def test_cross_entropy_passes_the_gradient_check_with_both_kinds_of_labels(logits, labels):
    assert gradcheck(lambda z: cross_entropy(z, labels), [Value(logits)])
    assert gradgradcheck(lambda z: cross_entropy(z, labels), [Value(logits)])
    one_hot = np.eye(3)[labels]
    assert gradcheck(lambda z: cross_entropy(z, one_hot), [Value(logits)])


@given(scores=floats(-5, 5, 6), y=hnp.arrays(np.int64, 6, elements=st.sampled_from([-1, 1])))
def test_hinge_passes_the_gradient_check_away_from_its_kink(scores, y):
    margin = 1 - y * scores
    scores = np.where(np.abs(margin) < 0.01, scores + 0.02, scores)
    assert gradcheck(lambda s: hinge_loss(s, y), [Value(scores)])


@pytest.mark.parametrize("penalty", [l1_penalty, l2_penalty])
@given(w=floats(-3, 3, (2, 3)), b=floats(1, 3, ()))
def test_penalties_pass_the_gradient_check(penalty, w, b):
    w = w + 0.01 * np.sign(w) + 0.01 * (w == 0)  # |w| has a kink at 0
    assert gradcheck(lambda *params: penalty(params, 0.3), [Value(w), Value(float(b))])


# -- errors -------------------------------------------------------------------------------------


@pytest.mark.parametrize("loss", [mse_loss, binary_cross_entropy,
                                  binary_cross_entropy_with_logits, hinge_loss])
def test_predictions_and_targets_of_different_shapes_are_refused(loss):
    with pytest.raises(ValueError, match=rf"{loss.__name__}: predictions have shape \(4, 1\) "
                                         r"but targets have shape \(4,\); they must be equal"):
        loss(Value(np.full((4, 1), 0.5)), np.ones(4))


def test_probabilities_and_targets_outside_zero_one_are_refused():
    with pytest.raises(ValueError, match=r"binary_cross_entropy: probabilities must lie in "
                                         r"\[0, 1\], got \[ 1\.5 -0\.2\]; for raw scores use"):
        binary_cross_entropy(Value([1.5, -0.2]), [1, 0])
    with pytest.raises(ValueError, match=r"probabilities must lie in \[0, 1\], got \[nan\]"):
        binary_cross_entropy(Value([np.nan]), [1])
    with pytest.raises(ValueError, match=r"binary_cross_entropy_with_logits: targets must lie "
                                         r"in \[0, 1\], got \[-1  1\]"):
        binary_cross_entropy_with_logits(Value([1.0, 2.0]), [-1, 1])


def test_cross_entropy_refuses_labels_that_do_not_fit_the_logits():
    logits = Value(np.zeros((2, 3)))
    with pytest.raises(ValueError, match=r"class indices in \[0, 2\] for 3 classes, got values "
                                         r"from 0 to 3"):
        cross_entropy(logits, [0, 3])
    with pytest.raises(ValueError, match=r"labels must be integer class indices .* got dtype "
                                         r"float64"):
        cross_entropy(logits, [0.5, 1.0])
    with pytest.raises(ValueError, match=r"logits of shape \(2, 3\) need labels of shape "
                                         r"\(2,\) \(class indices\) or \(2, 3\) \(one-hot\), "
                                         r"got shape \(3,\)"):
        cross_entropy(logits, [0, 1, 2])
    with pytest.raises(ValueError, match="each row of one-hot labels must sum to 1"):
        cross_entropy(logits, np.ones((2, 3)))
    with pytest.raises(ValueError, match="logits need a last axis of classes"):
        cross_entropy(Value(1.0), 0)


def test_hinge_refuses_zero_one_labels_and_says_how_to_convert():
    with pytest.raises(ValueError, match=r"hinge_loss: targets must be -1 or \+1, got \[0 1\]; "
                                         r"convert 0/1 labels with 2 \* y - 1"):
        hinge_loss(Value([1.0, 2.0]), [0, 1])


def test_an_empty_batch_is_refused():
    with pytest.raises(ValueError, match=r"mse_loss: got no predictions \(shape \(0,\)\)"):
        mse_loss(Value(np.zeros(0)), np.zeros(0))


def test_penalties_refuse_a_bad_lambda_no_parameters_and_non_values():
    with pytest.raises(ValueError, match="l2_penalty: lam must be a finite number >= 0, got -1"):
        l2_penalty([Value(1.0)], -1)
    with pytest.raises(ValueError, match="l1_penalty: no parameters were given"):
        l1_penalty(iter([]), 0.1)
    with pytest.raises(TypeError, match="params must be Values, .* item 1 is a ndarray"):
        l2_penalty([Value(1.0), np.ones(2)], 0.1)
