"""Optimizers and learning-rate schedulers: steps worked out by hand, PyTorch's formulas,
convergence, and the errors for bad settings."""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import nn
from autograd import Value
from nn.optim import SGD, Adam, ExponentialLR, ReduceLROnPlateau, StepLR


def minimize(function, start, optimizer_class, steps, **settings):
    """Run `steps` optimizer steps on function(x) from x = start; return x's data."""
    x = Value(start)
    optimizer = optimizer_class([x], **settings)
    for _ in range(steps):
        optimizer.zero_grad()
        function(x).backward()
        optimizer.step()
    return x.data


def square(x):
    return x * x



# -- SGD ------------------------------------------------------------------------------------------


def test_plain_sgd_step_is_lr_times_gradient_for_scalars_and_arrays():
    scalar, array = Value(3.0), Value(np.array([1.0, -2.0]))
    (scalar * 2 + (array * array).sum()).backward()  # gradients 2 and 2 * array
    SGD([scalar, array], lr=0.25).step()
    assert scalar.data == 3.0 - 0.25 * 2
    assert type(scalar.data) is float
    np.testing.assert_array_equal(array.data, [1.0 - 0.5, -2.0 + 1.0])


@pytest.mark.parametrize("make", [
    lambda params: SGD(params, lr=0.1, momentum=0.9, nesterov=True, weight_decay=0.01),
    lambda params: Adam(params, lr=0.1, weight_decay=0.01),
])
def test_optimizers_update_float32_arrays_in_place_keeping_the_dtype(make):
    weight = Value(np.ones(3, dtype=np.float32))
    before = weight.data
    optimizer = make([weight])
    for _ in range(3):
        optimizer.zero_grad()
        (weight * 2).sum().backward()
        optimizer.step()
    assert weight.data is before and weight.data.dtype == np.float32
    assert all(buffer.dtype == np.float32 for buffer in optimizer.state[0].values())
    assert np.all(weight.data < 1.0)


def test_momentum_two_steps_by_hand():
    # f = x^2, f' = 2x, from x = 1 with lr 0.1, momentum 0.9:
    # step 1: g = 2,   b = 2,               x = 1 - 0.1 * 2     = 0.8
    # step 2: g = 1.6, b = 0.9 * 2 + 1.6 = 3.4, x = 0.8 - 0.1 * 3.4 = 0.46
    assert minimize(square, 1.0, SGD, 1, lr=0.1, momentum=0.9) == pytest.approx(0.8, abs=1e-15)
    assert minimize(square, 1.0, SGD, 2, lr=0.1, momentum=0.9) == pytest.approx(0.46, abs=1e-15)


def test_nesterov_two_steps_by_hand():
    # As above, but stepping by g + momentum * b:
    # step 1: g = 2,    b = 2,                 x = 1 - 0.1 * (2 + 1.8)           = 0.62
    # step 2: g = 1.24, b = 1.8 + 1.24 = 3.04, x = 0.62 - 0.1 * (1.24 + 2.736) = 0.2224
    settings = {"lr": 0.1, "momentum": 0.9, "nesterov": True}
    assert minimize(square, 1.0, SGD, 1, **settings) == pytest.approx(0.62, abs=1e-15)
    assert minimize(square, 1.0, SGD, 2, **settings) == pytest.approx(0.2224, abs=1e-15)


def test_weight_decay_shrinks_a_parameter_that_got_no_gradient():
    # No backward pass reached the parameter, so its gradient reads zero and only weight decay
    # (added to the gradient: lr * weight_decay * p) moves it.
    p = Value(np.array([2.0, -4.0]))
    optimizer = SGD([p], lr=0.1, weight_decay=0.5)
    optimizer.step()
    np.testing.assert_allclose(p.data, np.array([2.0, -4.0]) * (1 - 0.1 * 0.5))


def test_weight_decay_is_added_to_the_gradient_before_momentum():
    # f = x^2 from 1, weight decay 0.5: g = 2 + 0.5 = 2.5 then 2 * 0.75 + 0.375 = 1.875.
    # b1 = 2.5, x1 = 1 - 0.25 = 0.75; b2 = 0.9 * 2.5 + 1.875 = 4.125, x2 = 0.75 - 0.4125.
    x = minimize(square, 1.0, SGD, 2, lr=0.1, momentum=0.9, weight_decay=0.5)
    assert x == pytest.approx(0.3375, abs=1e-15)


@pytest.mark.parametrize("settings", [
    {},
    {"momentum": 0.9},
    {"momentum": 0.9, "nesterov": True},
])
def test_sgd_converges_on_a_convex_quadratic(settings):
    # f(w) = 1/2 w.A.w - b.w with A positive definite has its minimum at A^-1 b.
    A = np.array([[3.0, 0.5], [0.5, 1.0]])
    b = np.array([1.0, -2.0])
    w = minimize(lambda w: 0.5 * (w @ (A @ w)) - (b @ w), np.zeros(2), SGD, 300, lr=0.1,
                 **settings)
    np.testing.assert_allclose(w, np.linalg.solve(A, b), atol=1e-6)


def bumpy(x):
    """A wide bowl with its minimum at 0 and a shallow dip (a local minimum near 2.9) on it."""
    return 0.05 * x * x - 0.4 * (-4.0 * (x - 3.0) ** 2).exp()


def test_momentum_carries_past_a_local_minimum_where_plain_gradient_descent_stalls():
    plain = minimize(bumpy, 6.0, SGD, 300, lr=0.1)
    assert plain == pytest.approx(2.906, abs=1e-3)  # stuck in the dip
    for nesterov in (False, True):
        with_momentum = minimize(bumpy, 6.0, SGD, 300, lr=0.1, momentum=0.9, nesterov=nesterov)
        assert abs(with_momentum) < 1e-4


# -- Adam -----------------------------------------------------------------------------------------


def test_adam_first_step_is_lr_times_the_sign_of_the_gradient():
    p = Value(np.array([1.0, 1.0, 1.0, 1.0]))
    (p * np.array([1e-3, -5.0, 100.0, -0.25])).sum().backward()
    Adam([p], lr=0.01).step()
    np.testing.assert_allclose(1.0 - p.data, 0.01 * np.array([1, -1, 1, -1]), rtol=1e-4)


def adam_reference(gradients, p, lr, beta1, beta2, eps, weight_decay):
    """Adam as written in Kingma and Ba's paper (Algorithm 1), plus L2 weight decay."""
    m = v = 0.0
    for t, g in enumerate(gradients, start=1):
        g = g + weight_decay * p
        m = beta1 * m + (1 - beta1) * g
        v = beta2 * v + (1 - beta2) * g * g
        m_hat, v_hat = m / (1 - beta1**t), v / (1 - beta2**t)
        p = p - lr * m_hat / (math.sqrt(v_hat) + eps)
    return p


@pytest.mark.parametrize("weight_decay", [0.0, 0.1])
def test_adam_matches_the_paper_on_a_sequence_of_steps(weight_decay):
    x = Value(2.0)
    optimizer = Adam([x], lr=0.05, betas=(0.8, 0.99), eps=1e-3, weight_decay=weight_decay)
    gradients = []
    for _ in range(5):  # f = x^3
        optimizer.zero_grad()
        (x**3).backward()
        gradients.append(x.grad)
        optimizer.step()
    # The reference, fed the same gradients, must land on the same x (weight decay uses its
    # own copy of x, which follows the same path only if the rules agree).
    expected = adam_reference(gradients, 2.0, lr=0.05, beta1=0.8, beta2=0.99, eps=1e-3,
                              weight_decay=weight_decay)
    assert x.data == pytest.approx(expected, rel=1e-12)


def test_adam_converges_on_a_convex_quadratic():
    A = np.array([[3.0, 0.5], [0.5, 1.0]])
    b = np.array([1.0, -2.0])
    w = minimize(lambda w: 0.5 * (w @ (A @ w)) - (b @ w), np.zeros(2), Adam, 2000, lr=0.01)
    np.testing.assert_allclose(w, np.linalg.solve(A, b), atol=1e-3)


# -- properties -------------------------------------------------------------------------------

finite = st.floats(-1e3, 1e3, allow_nan=False)


@given(st.lists(finite, min_size=1, max_size=6), st.sampled_from([SGD, Adam]),
       st.floats(0.0, 0.99), st.booleans(), st.floats(0.0, 0.5))
def test_scalar_and_array_parameters_follow_the_same_rule(gradients, optimizer_class, momentum,
                                                            nesterov, weight_decay):
    # One update function serves both kinds of parameter: fed the same gradients, a scalar
    # parameter and a one-element array parameter take the same path.
    scalar, array = Value(1.5), Value(np.array([1.5]))
    settings = {"lr": 0.01, "weight_decay": weight_decay}
    if optimizer_class is SGD:
        settings.update(momentum=momentum, nesterov=nesterov and momentum > 0)
    optimizer = optimizer_class([scalar, array], **settings)
    for g in gradients:
        scalar.grad, array.grad = g, np.array([g])
        optimizer.step()
    assert type(scalar.data) is float
    assert scalar.data == pytest.approx(float(array.data[0]), rel=1e-12, abs=1e-12)


@given(st.lists(finite, min_size=1, max_size=8))
def test_adam_never_moves_a_parameter_further_than_lr_on_its_first_step(gradient):
    p = Value(np.zeros(len(gradient)))
    p.grad = np.array(gradient)
    Adam([p], lr=0.1).step()
    assert np.all(np.abs(p.data) <= 0.1 + 1e-15)


def test_a_gradient_recorded_with_create_graph_is_used_by_its_data():
    x = Value(3.0)
    (x**2).backward(create_graph=True)  # x.grad is then a Value (6)
    assert isinstance(x.grad, Value)
    SGD([x], lr=0.5).step()
    assert x.data == 0.0


def test_zero_grad_clears_every_parameter():
    a, b = Value(1.0), Value(np.ones(2))
    (a * b).sum().backward()
    optimizer = SGD([a, b], lr=0.1)
    optimizer.zero_grad()
    assert a.grad == 0.0 and np.all(b.grad == 0.0)


def test_optimizers_train_a_micrograd_mlp_of_scalar_parameters():
    model = nn.MLP(2, [4, 1], seed=0)
    X = np.array([[0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    target = np.array([[1.0], [-1.0], [0.5]])
    optimizer = Adam(model.parameters(), lr=0.05)
    losses = []
    for _ in range(100):
        optimizer.zero_grad()
        loss = ((model(X) - target) ** 2).mean()
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    assert all(type(p.data) is float for p in model.parameters())
    assert losses[-1] < 0.01 * losses[0]


def test_repr_shows_the_settings():
    text = repr(SGD([Value(1.0)], lr=0.1, momentum=0.9))
    assert text.startswith("SGD(1 parameters") and "momentum=0.9" in text


# -- bad settings -----------------------------------------------------------------------------


@pytest.mark.parametrize("params, message", [
    ([], "empty parameter list"),
    ([Value(1.0), 2.0], "parameter 1 is a float"),
    ([Value(1.0, requires_grad=False)], "requires_grad=False"),
    ([Value(1.0) * 2], "computed by 'mul'"),
])
def test_optimizer_refuses_what_it_cannot_update(params, message):
    with pytest.raises((ValueError, TypeError), match=message):
        SGD(params, lr=0.1)


def test_optimizer_refuses_a_parameter_given_twice():
    p = Value(1.0)
    with pytest.raises(ValueError, match="appears more than once"):
        Adam([p, p])


def test_a_parameter_holding_a_read_only_array_is_refused_at_once():
    result = Value(np.ones(3)) * 2.0  # a recorded result's array is read-only
    shared = Value(result.data, copy=False)
    with pytest.raises(ValueError, match=r"SGD: parameter 1 holds a read-only array"):
        SGD([Value(np.ones(2)), shared], lr=0.1)


@pytest.mark.parametrize("make, message", [
    (lambda p: SGD(p, lr=-0.1), r"SGD: lr must be a finite number >= 0"),
    (lambda p: SGD(p, lr=0.1, momentum=1.5),
     r"momentum must be a finite number in \[0, 1\], got 1.5"),
    (lambda p: SGD(p, lr=0.1, nesterov=True), "nesterov=True needs a momentum"),
    (lambda p: SGD(p, lr=0.1, weight_decay=-1), "weight_decay must be a finite number >= 0"),
    (lambda p: SGD(p, lr="fast"), "lr must be a number"),
    (lambda p: Adam(p, betas=(0.9, 1.0)),
     r"betas\[1\] must be a finite number in \[0, 1\), got 1.0"),
    (lambda p: Adam(p, betas=0.9), "betas must be a pair"),
    (lambda p: Adam(p, eps=-1e-8), "eps must be a finite number >= 0"),
])
def test_bad_optimizer_settings_are_named(make, message):
    with pytest.raises((ValueError, TypeError), match=message):
        make([Value(1.0)])


@pytest.mark.parametrize("lr", [math.inf, -math.inf, math.nan, pytest.param(10**400, id="10**400")])
def test_a_learning_rate_that_is_not_finite_is_refused_at_once_and_later(lr):
    with pytest.raises(ValueError, match="SGD: lr must be a finite number >= 0"):
        SGD([Value(1.0)], lr=lr)
    optimizer = Adam([Value(1.0)], lr=0.1)
    with pytest.raises(ValueError, match="Adam: lr must be a finite number >= 0"):
        optimizer.lr = lr  # as a scheduler or a user would set it
    assert optimizer.lr == 0.1


def test_numpy_numbers_are_numbers():
    optimizer = SGD([Value(1.0)], lr=np.float32(0.5), momentum=np.float64(0.9))
    assert optimizer.lr == 0.5 and type(optimizer.lr) is float
    optimizer.lr = np.int64(1)
    assert optimizer.lr == 1.0
    with pytest.raises(TypeError, match="lr must be a number, got bool"):
        SGD([Value(1.0)], lr=np.bool_(True))


# -- schedulers -------------------------------------------------------------------------------


def learning_rates(scheduler, epochs, metrics=None):
    """The lr of each epoch, stepping the scheduler after each (with its metric if given)."""
    rates = []
    for epoch in range(epochs):
        rates.append(scheduler.optimizer.lr)
        if metrics is None:
            scheduler.step()
        else:
            scheduler.step(metrics[epoch])
    return rates


def test_step_lr_multiplies_by_gamma_every_step_size_epochs():
    optimizer = SGD([Value(0.0)], lr=0.8)
    rates = learning_rates(StepLR(optimizer, step_size=3, gamma=0.5), 8)
    assert rates == [0.8, 0.8, 0.8, 0.4, 0.4, 0.4, 0.2, 0.2]


def test_exponential_lr_multiplies_by_gamma_every_epoch():
    optimizer = Adam([Value(0.0)], lr=1.0)
    rates = learning_rates(ExponentialLR(optimizer, gamma=0.9), 4)
    assert rates == pytest.approx([1.0, 0.9, 0.81, 0.729], rel=1e-15)


def test_reduce_on_plateau_waits_for_more_than_patience_bad_epochs():
    optimizer = SGD([Value(0.0)], lr=1.0)
    scheduler = ReduceLROnPlateau(optimizer, factor=0.5, patience=2)
    losses = [5.0, 4.0, 4.0, 4.0, 4.0, 3.0, 3.5, 3.5, 3.5, 3.5]
    rates = learning_rates(scheduler, len(losses), losses)
    # bad epochs: 2, 3, 4 (the third bad one, epoch 4, halves the rate); 6, 7, 8 (halves again)
    assert rates == [1.0, 1.0, 1.0, 1.0, 1.0, 0.5, 0.5, 0.5, 0.5, 0.25]


def test_reduce_on_plateau_threshold_is_relative_to_the_best():
    optimizer = SGD([Value(0.0)], lr=1.0)
    scheduler = ReduceLROnPlateau(optimizer, factor=0.5, patience=0, threshold=0.1)
    scheduler.step(-10.0)
    scheduler.step(-10.5)   # better, but by less than 10% of |best|: a bad epoch
    assert optimizer.lr == 0.5 and scheduler.best == -10.0
    scheduler.step(-11.5)   # better by more than 1.0
    assert optimizer.lr == 0.5 and scheduler.best == -11.5


def test_reduce_on_plateau_mode_max_cooldown_and_min_lr():
    optimizer = SGD([Value(0.0)], lr=1.0)
    scheduler = ReduceLROnPlateau(optimizer, mode="max", factor=0.1, patience=0, cooldown=1,
                                  min_lr=0.05)
    accuracies = [0.5, 0.9, 0.8, 0.8, 0.8, 0.8, 0.8]
    rates = learning_rates(scheduler, len(accuracies), accuracies)
    # epoch 2 is bad: lr 0.1 and one cooldown epoch (3); epoch 4 is bad: 0.01, floored at 0.05;
    # epoch 5 is cooldown; epoch 6 is bad but the rate is already at min_lr.
    assert rates == pytest.approx([1.0, 1.0, 1.0, 0.1, 0.1, 0.05, 0.05], rel=1e-15)
    assert optimizer.lr == 0.05


@pytest.mark.parametrize("make, message", [
    (lambda o: StepLR(o, step_size=0), "step_size must be a whole number"),
    (lambda o: StepLR(o, step_size=2, gamma=-0.5), "gamma must be a finite number >= 0"),
    (lambda o: StepLR("sgd", step_size=2), "expected an optimizer"),
    (lambda o: ExponentialLR(o, gamma="slow"), "gamma must be a number"),
    (lambda o: ReduceLROnPlateau(o, mode="up"), r"mode must be one of 'min', 'max' \('min' for "
                                                r"a loss, 'max' for an accuracy\), got 'up'"),
    (lambda o: ReduceLROnPlateau(o, factor=1.0), r"factor must be a finite number in \[0, 1\)"),
    (lambda o: ReduceLROnPlateau(o, factor=0.0), "factor must be > 0"),
    (lambda o: ReduceLROnPlateau(o, patience=-1), "patience must be a whole number"),
    (lambda o: ReduceLROnPlateau(o, cooldown=1.5), "cooldown must be a whole number"),
    (lambda o: ReduceLROnPlateau(None), "expected an optimizer"),
])
def test_bad_scheduler_settings_are_named(make, message):
    with pytest.raises((ValueError, TypeError), match=message):
        make(SGD([Value(0.0)], lr=0.1))


# -- gradient clipping ------------------------------------------------------------------------


def with_gradients(*gradients):
    """Parameters whose .grad are the given gradients (arrays or Python floats)."""
    params = []
    for g in gradients:
        p = Value(np.zeros_like(g) if isinstance(g, np.ndarray) else 0.0)
        p.grad = g.copy() if isinstance(g, np.ndarray) else g
        params.append(p)
    return params


def test_clip_grad_norm_scales_every_gradient_in_place_and_returns_the_norm_before():
    array, scalar = with_gradients(np.array([3.0, 4.0], dtype=np.float32), 12.0)
    held = array.grad
    total = nn.clip_grad_norm_([array, scalar], max_norm=6.5)  # norm sqrt(9 + 16 + 144) = 13
    assert total == pytest.approx(13.0) and type(total) is float
    factor = 6.5 / (13.0 + 1e-6)  # PyTorch's formula
    assert array.grad is held and array.grad.dtype == np.float32  # in its own array
    np.testing.assert_allclose(array.grad, [3.0 * factor, 4.0 * factor], rtol=1e-6)
    assert type(scalar.grad) is float and scalar.grad == pytest.approx(12.0 * factor, rel=1e-12)
    after = math.sqrt(float(np.sum(array.grad.astype(np.float64) ** 2)) + scalar.grad**2)
    assert after == pytest.approx(6.5, rel=1e-6)


def test_gradients_within_the_limit_are_left_exactly_as_they_are():
    array, scalar = with_gradients(np.array([0.3, -0.4]), -1.2)
    assert nn.clip_grad_norm_([array, scalar], max_norm=5.0) == pytest.approx(1.3)
    assert array.grad.tolist() == [0.3, -0.4] and scalar.grad == -1.2


@pytest.mark.parametrize("norm_type, expected", [
    (2.0, 13.0), (1, 3.0 + 4.0 + 12.0), (math.inf, 12.0), ("inf", 12.0),
    (3, (27 + 64 + 1728) ** (1 / 3)),
])
def test_the_total_norm_of_each_order_is_that_of_all_gradients_as_one_vector(norm_type, expected):
    params = with_gradients(np.array([[3.0], [-4.0]]), -12.0)
    assert nn.clip_grad_norm_(params, max_norm=100.0, norm_type=norm_type) == pytest.approx(
        expected)


def test_a_parameter_no_backward_pass_reached_counts_as_zero_and_stays_zero():
    reached, untouched, scalar = Value([1.0, 2.0]), Value([5.0, 5.0]), Value(7.0)
    (reached * np.array([6.0, 8.0])).sum().backward()  # gradient [6, 8]: norm 10
    total = nn.clip_grad_norm_([reached, untouched, scalar], max_norm=1.0)
    assert total == pytest.approx(10.0)
    np.testing.assert_allclose(reached.grad, [0.6, 0.8], rtol=1e-6)
    assert untouched.grad.tolist() == [0.0, 0.0] and scalar.grad == 0.0


def test_a_single_value_and_a_generator_are_accepted_as_in_pytorch():
    (p,) = with_gradients(np.array([6.0, 8.0]))
    assert nn.clip_grad_norm_(p, 1.0) == pytest.approx(10.0)
    model = nn.Linear(2, 1, seed=0)
    model(np.ones((3, 2))).sum().backward()
    norm = math.sqrt(sum(float(np.sum(q.grad**2)) for q in model.parameters()))
    assert nn.clip_grad_norm_((q for q in model.parameters()), 0.1) == pytest.approx(norm)


def test_a_non_finite_norm_is_returned_and_scales_as_pytorchs_default_does():
    finite, infinite = with_gradients(np.array([1.0, 2.0]), np.array([np.inf, 1.0]))
    with np.errstate(invalid="ignore"):  # inf * 0 is NaN, as in PyTorch
        assert nn.clip_grad_norm_([finite, infinite], max_norm=1.0) == math.inf
    assert finite.grad.tolist() == [0.0, 0.0]  # multiplied by 1 / (inf + 1e-6) = 0
    assert math.isnan(infinite.grad[0]) and infinite.grad[1] == 0.0
    (nan,) = with_gradients(np.array([np.nan, 1.0]))
    assert math.isnan(nn.clip_grad_norm_([nan], max_norm=1.0))
    assert np.isnan(nan.grad).all()


def test_error_if_nonfinite_raises_and_changes_nothing():
    finite, nan = with_gradients(np.array([1.0, 2.0]), float("nan"))
    with pytest.raises(RuntimeError, match=r"clip_grad_norm_: the total norm of order 2.0 of the "
                                           r"gradients is nan, so they cannot be clipped"):
        nn.clip_grad_norm_([finite, nan], max_norm=1.0, error_if_nonfinite=True)
    assert finite.grad.tolist() == [1.0, 2.0]


@pytest.mark.parametrize("call, error, message", [
    (lambda p: nn.clip_grad_norm_(p, -1.0), ValueError, "max_norm must be a finite number >= 0"),
    (lambda p: nn.clip_grad_norm_(p, "1"), TypeError, "max_norm must be a number, got str"),
    (lambda p: nn.clip_grad_norm_(p, 1.0, norm_type=0), ValueError,
     r"norm_type must be a finite number > 0 \(or math.inf"),
    (lambda p: nn.clip_grad_norm_([*p, np.ones(2)], 1.0), TypeError,
     "parameters must be Values, e.g. model.parameters\\(\\); item 1 is a ndarray"),
    (lambda p: nn.clip_grad_norm_([*p, *p], 1.0), ValueError,
     "parameter 1 appears more than once in the list"),
    (lambda p: nn.clip_grad_norm_(nn.Linear(1, 1), 1.0), TypeError,
     "parameters must be a Value or an iterable of Values, e.g. model.parameters\\(\\), "
     "got Linear"),
])
def test_clip_grad_norm_refuses_bad_arguments_by_name(call, error, message):
    with pytest.raises(error, match=f"clip_grad_norm_: {message}"):
        call(with_gradients(np.array([1.0])))


def test_clipping_bounds_the_step_an_optimizer_takes():
    w = Value(np.array([0.0, 0.0]))
    optimizer = SGD([w], lr=1.0)
    (w * np.array([300.0, 400.0])).sum().backward()  # gradient of norm 500
    nn.clip_grad_norm_([w], max_norm=1.0)
    optimizer.step()
    assert np.linalg.norm(w.data) == pytest.approx(1.0, rel=1e-5)


@pytest.mark.parametrize("dtype, size", [(np.float32, 1e20), (np.float16, 300.0)])
def test_a_low_precision_gradient_of_finite_norm_is_clipped_not_zeroed(dtype, size):
    # its square overflows its own dtype: the norm was inf, and every gradient was set to 0
    (p,) = with_gradients(np.array([size, 0.0], dtype=dtype))
    assert nn.clip_grad_norm_([p], max_norm=1.0) == pytest.approx(float(dtype(size)), rel=1e-6)
    np.testing.assert_allclose(p.grad.astype(np.float64), [1.0, 0.0], rtol=1e-3)
    assert p.grad.dtype == dtype


def test_an_infinite_max_norm_measures_without_clipping_as_in_pytorch():
    array, scalar = with_gradients(np.array([3.0, 4.0]), 12.0)
    assert nn.clip_grad_norm_([array, scalar], max_norm=math.inf) == pytest.approx(13.0)
    assert array.grad.tolist() == [3.0, 4.0] and scalar.grad == 12.0
