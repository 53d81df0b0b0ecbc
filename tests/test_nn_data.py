"""Data: one_hot, mini-batches, the train/validation/test split and the data set generators."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from sklearn import datasets

from nn.data import (
    batches,
    make_blobs,
    make_circles,
    make_moons,
    make_xor,
    one_hot,
    train_val_test_split,
)

# -- one_hot --------------------------------------------------------------------------------------


def test_one_hot_with_given_and_inferred_number_of_classes():
    np.testing.assert_array_equal(one_hot([1, 0], num_classes=3), [[0, 1, 0], [1, 0, 0]])
    assert one_hot(np.array([0, 3])).shape == (2, 4)
    assert one_hot([2.0, 0.0]).dtype == np.float64  # whole-number floats are class indices


def test_one_hot_keeps_the_shape_of_the_labels():
    assert one_hot(np.zeros((2, 5), dtype=int), 3).shape == (2, 5, 3)


@given(st.lists(st.integers(0, 6), min_size=1, max_size=30))
def test_one_hot_rows_have_a_single_one_at_the_label(labels):
    encoded = one_hot(labels, 7)
    np.testing.assert_array_equal(encoded.sum(axis=1), 1.0)
    np.testing.assert_array_equal(encoded.argmax(axis=1), labels)


@pytest.mark.parametrize("labels, num_classes, message", [
    ([0.5, 1.0], None, "whole numbers"),
    ([np.inf], 2, "whole numbers"),
    (["a"], None, "whole numbers"),
    ([0, 3], 3, r"labels must be in 0..2 for num_classes=3, got labels from 0 to 3"),
    ([-1, 0], 2, "labels must be in 0..1"),
    ([0], 0, "num_classes must be a whole number >= 1"),
    ([], None, "cannot infer num_classes"),
])
def test_one_hot_errors(labels, num_classes, message):
    with pytest.raises(ValueError, match=message):
        one_hot(labels, num_classes)


# -- batches --------------------------------------------------------------------------------------


def numbered(n):
    """X whose row i is (i, -i) and y = i, so a batch shows which samples it holds."""
    return np.stack([np.arange(n), -np.arange(n)], axis=1).astype(float), np.arange(n)


@given(st.integers(1, 40), st.integers(1, 50), st.integers(0, 2**32 - 1))
def test_batches_cover_every_sample_once_and_keep_pairs_together(n, batch_size, seed):
    X, y = numbered(n)
    sizes, seen = [], []
    for xb, yb in batches(X, y, batch_size, seed=seed):
        np.testing.assert_array_equal(xb[:, 0], yb)
        np.testing.assert_array_equal(xb[:, 1], -yb)
        sizes.append(len(yb))
        seen.extend(yb.tolist())
    assert sorted(seen) == list(range(n))
    full, rest = divmod(n, batch_size)
    assert sizes == [batch_size] * full + ([rest] if rest else [])


def test_batch_sizes_give_batch_stochastic_and_mini_batch_descent():
    X, y = numbered(10)
    assert [len(yb) for _, yb in batches(X, y)] == [10]                   # batch
    assert [len(yb) for _, yb in batches(X, y, batch_size=25)] == [10]
    assert [len(yb) for _, yb in batches(X, y, batch_size=1)] == [1] * 10  # stochastic
    assert [len(yb) for _, yb in batches(X, y, batch_size=4)] == [4, 4, 2]  # mini-batch


def test_batches_order_is_kept_without_shuffle_and_reproducible_with_a_seed():
    X, y = numbered(20)
    unshuffled = np.concatenate([yb for _, yb in batches(X, y, 6, shuffle=False)])
    np.testing.assert_array_equal(unshuffled, np.arange(20))

    def order(seed):
        return np.concatenate([yb for _, yb in batches(X, y, 6, seed=seed)]).tolist()

    assert order(3) == order(3)
    assert order(3) != order(4)
    assert order(3) != list(range(20))


def test_batches_draw_from_a_shared_generator_so_epochs_differ():
    X, y = numbered(20)
    rng = np.random.default_rng(0)
    first = [yb.tolist() for _, yb in batches(X, y, 5, seed=rng)]
    second = [yb.tolist() for _, yb in batches(X, y, 5, seed=rng)]
    assert first != second


@pytest.mark.parametrize("X, y, batch_size, message", [
    (np.zeros((4, 2)), np.zeros(4), 0, "batch_size must be a whole number >= 1"),
    (np.zeros((4, 2)), np.zeros(4), 2.5, "batch_size must be a whole number >= 1"),
    (np.zeros((4, 2)), np.zeros(4), True, "batch_size must be a whole number >= 1"),
    (np.zeros((4, 2)), np.zeros(3), 2, r"X has 4 samples \(shape \(4, 2\)\) but y has 3"),
    (np.zeros((0, 2)), np.zeros(0), 2, "X and y are empty"),
    (np.float64(3.0), np.zeros(1), 2, "X must be an array of samples"),
])
def test_batches_errors_are_raised_at_the_call(X, y, batch_size, message):
    with pytest.raises((ValueError, TypeError), match=message):
        batches(X, y, batch_size)  # no iteration needed to see the error


# -- train_val_test_split -------------------------------------------------------------------------


def test_split_sizes_are_disjoint_cover_everything_and_keep_pairs():
    X, y = numbered(50)
    (X_train, y_train), (X_val, y_val), (X_test, y_test) = train_val_test_split(
        X, y, val=0.2, test=0.1, seed=0)
    assert (len(y_train), len(y_val), len(y_test)) == (35, 10, 5)
    assert sorted(np.concatenate([y_train, y_val, y_test]).tolist()) == list(range(50))
    for Xp, yp in ((X_train, y_train), (X_val, y_val), (X_test, y_test)):
        np.testing.assert_array_equal(Xp[:, 0], yp)
    assert y_train.tolist() != sorted(y_train.tolist())  # shuffled


def test_split_is_reproducible_from_a_seed():
    X, y = numbered(30)
    first = train_val_test_split(X, y, seed=5)
    second = train_val_test_split(X, y, seed=5)
    for (Xa, ya), (Xb, yb) in zip(first, second, strict=True):
        np.testing.assert_array_equal(Xa, Xb)
        np.testing.assert_array_equal(ya, yb)


def test_split_rounds_small_fractions_up_to_one_sample_and_zero_to_none():
    X, y = numbered(10)
    train, val, test = train_val_test_split(X, y, val=0.01, test=0.0)
    assert (len(train[1]), len(val[1]), len(test[1])) == (9, 1, 0)


@pytest.mark.parametrize("n, val, test, message", [
    (10, 0.6, 0.4, r"val \+ test must be below 1.*= 1.0"),
    (10, -0.1, 0.2, r"val must be a fraction in \[0, 1\)"),
    (10, 0.2, 1.0, r"test must be a fraction in \[0, 1\)"),
    (2, 0.3, 0.3, "2 samples are too few to hold out 1 for validation and 1 for testing"),
])
def test_split_errors(n, val, test, message):
    X, y = numbered(n)
    with pytest.raises(ValueError, match=message):
        train_val_test_split(X, y, val=val, test=test)


# -- generators -----------------------------------------------------------------------------------

GENERATORS = [make_blobs, make_moons, make_circles, make_xor]


@pytest.mark.parametrize("make", GENERATORS)
def test_generators_return_float_points_and_int_labels_reproducibly(make):
    X, y = make(101, seed=7)
    assert X.shape == (101, 2) and X.dtype == np.float64
    assert y.shape == (101,) and y.dtype == np.int64
    assert set(np.unique(y)) == {0, 1}
    assert abs(int(np.sum(y == 0)) - int(np.sum(y == 1))) <= 1  # balanced classes
    X_again, y_again = make(101, seed=7)
    np.testing.assert_array_equal(X, X_again)
    np.testing.assert_array_equal(y, y_again)
    assert not np.array_equal(make(101, seed=8)[0], X)
    assert y[:20].tolist() != sorted(y[:20].tolist())  # shuffled, not class after class


def sorted_rows(X):
    return X[np.lexsort(X.T[::-1])]


def test_moons_and_circles_without_noise_match_scikit_learn():
    for ours, theirs in ((make_moons(31, noise=0.0, seed=0),
                          datasets.make_moons(31, shuffle=False)),
                         (make_circles(31, noise=0.0, factor=0.3, seed=0),
                          datasets.make_circles(31, shuffle=False, factor=0.3))):
        for label in (0, 1):
            np.testing.assert_allclose(sorted_rows(ours[0][ours[1] == label]),
                                       sorted_rows(theirs[0][theirs[1] == label]), atol=1e-12)


def test_moons_lie_on_their_half_circles():
    X, y = make_moons(40, noise=0.0, seed=0)
    upper, lower = X[y == 0], X[y == 1]
    np.testing.assert_allclose(np.hypot(upper[:, 0], upper[:, 1]), 1.0)
    assert np.all(upper[:, 1] >= -1e-12)
    np.testing.assert_allclose(np.hypot(lower[:, 0] - 1, lower[:, 1] - 0.5), 1.0)
    assert np.all(lower[:, 1] <= 0.5 + 1e-12)


def test_circles_have_radius_one_and_factor():
    X, y = make_circles(40, noise=0.0, factor=0.25, seed=0)
    radii = np.hypot(X[:, 0], X[:, 1])
    np.testing.assert_allclose(radii[y == 0], 1.0)
    np.testing.assert_allclose(radii[y == 1], 0.25)


def test_xor_labels_are_the_xor_of_the_signs():
    X, y = make_xor(400, noise=0.1, seed=0)  # 10 standard deviations from the axes
    np.testing.assert_array_equal(y, (X[:, 0] > 0) ^ (X[:, 1] > 0))
    X0, y0 = make_xor(8, noise=0.0, seed=0)
    np.testing.assert_array_equal(y0, (X0[:, 0] * X0[:, 1] < 0).astype(int))


def test_xor_noise_is_the_standard_deviation_around_the_corners():
    X, _ = make_xor(4000, noise=0.2, seed=0)
    assert np.std(X - np.sign(X)) == pytest.approx(0.2, rel=0.05)


def test_two_blobs_are_split_by_the_line_x0_equals_zero():
    X, y = make_blobs(500, seed=0)
    np.testing.assert_array_equal(y, (X[:, 0] < 0).astype(int))


def test_blobs_around_given_centers_with_given_spread():
    centers = np.array([[0.0, 0.0], [10.0, 0.0], [0.0, 10.0]])
    X, y = make_blobs(3000, centers=centers, std=0.5, seed=0)
    assert sorted(set(y.tolist())) == [0, 1, 2]
    for k, center in enumerate(centers):
        np.testing.assert_allclose(X[y == k].mean(axis=0), center, atol=0.05)
        np.testing.assert_allclose(X[y == k].std(axis=0), 0.5, rtol=0.1)


@pytest.mark.parametrize("call, message", [
    (lambda: make_moons(1), "n must be a whole number >= 2"),
    (lambda: make_xor(3), "n must be a whole number >= 4"),
    (lambda: make_blobs(2, centers=3), "n must be a whole number >= 3"),
    (lambda: make_moons(10.0), "n must be a whole number"),
    (lambda: make_moons(10, noise=-0.1), r"noise must be a finite number >= 0 \(the standard "
                                          r"deviation of the Gaussian noise\), got -0.1"),
    (lambda: make_blobs(10, std=float("nan")), "std must be a finite number >= 0"),
    (lambda: make_circles(10, factor=1.0), r"factor must be a finite number in \(0, 1\) \(the "
                                            r"inner radius over the outer one\), got 1.0"),
    (lambda: make_blobs(10, centers=0), "centers must be >= 1"),
    (lambda: make_blobs(10, centers=np.zeros((2, 3))), r"array of shape \(k, 2\)"),
])
def test_generator_errors(call, message):
    with pytest.raises(ValueError, match=message):
        call()
