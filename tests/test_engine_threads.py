"""The switches hold per thread (and per asyncio task): no_grad, detect_anomaly and name_scope in
one thread change nothing in another, and a backward pass in one thread leaves the other
recording.

Each test makes the threads overlap on purpose: one holds its switch open (waiting on an Event)
while the other works, so the overlap does not depend on the scheduler's luck.
"""

import asyncio
import math
import sys
import threading
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

import nn
from autograd import Value, detect_anomaly, is_grad_enabled, name_scope, no_grad

TIMEOUT = 30


def run_together(first: Callable[[], Any], second: Callable[[], Any]) -> list[Any]:
    """Run both in threads of their own; return their results, re-raising any error."""
    results: list[Any] = [None, None]
    errors: list[BaseException] = []

    def runner(i: int, fn: Callable[[], Any]) -> None:
        try:
            results[i] = fn()
        except BaseException as error:  # noqa: BLE001 - handed back to the test
            errors.append(error)

    threads = [threading.Thread(target=runner, args=(i, fn)) for i, fn in
               enumerate((first, second))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(TIMEOUT)
        assert not thread.is_alive(), "a thread did not finish"
    if errors:
        raise errors[0]
    return results


def test_no_grad_in_one_thread_leaves_another_recording():
    entered, done = threading.Event(), threading.Event()

    def evaluator() -> bool:
        with no_grad():
            entered.set()
            assert done.wait(TIMEOUT)
            return is_grad_enabled()

    def trainer() -> tuple[bool, float]:
        assert entered.wait(TIMEOUT)
        x = Value(3.0)
        y = x * x
        y.backward()
        done.set()
        return y.requires_grad, x.grad

    inside, (recorded, gradient) = run_together(evaluator, trainer)
    assert inside is False and recorded is True and gradient == 6.0
    assert is_grad_enabled()


def test_backward_in_one_thread_does_not_switch_recording_off_in_another():
    started, finished = threading.Event(), threading.Event()

    def recorder() -> list[bool]:
        assert started.wait(TIMEOUT)
        seen = []
        while not finished.is_set():
            seen.append((Value(1.0) * 2).requires_grad)
        return seen

    def backpropagator() -> None:
        started.set()
        try:
            for _ in range(300):
                x = Value(np.ones(50))
                y = x
                for _ in range(20):
                    y = (y * 1.01).tanh()
                y.sum().backward()
        finally:
            finished.set()

    seen, _ = run_together(recorder, backpropagator)
    assert seen and all(seen)


def test_a_trainer_and_an_evaluator_thread_get_the_gradients_of_one_thread_alone():
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(64, 4)), rng.integers(0, 3, size=64)

    def model_and_expected() -> tuple[nn.Module, list[np.ndarray]]:
        model = nn.Sequential(nn.Linear(4, 16, seed=0), nn.Tanh(), nn.Linear(16, 3, seed=1))
        nn.cross_entropy(model(X), y).backward()
        expected = [p.grad.copy() for p in model.parameters()]
        model.zero_grad()
        return model, expected

    model, expected = model_and_expected()
    stop = threading.Event()

    def trainer() -> int:
        try:
            for _ in range(200):
                model.zero_grad()
                nn.cross_entropy(model(X), y).backward()
                for p, want in zip(model.parameters(), expected, strict=True):
                    np.testing.assert_allclose(p.grad, want, rtol=1e-12, atol=1e-12)
            return 200
        finally:
            stop.set()

    def evaluator() -> int:
        count = 0
        while not stop.is_set():
            with no_grad():
                out = model(X)
            assert not out.requires_grad
            count += 1
        return count

    passes, evaluations = run_together(trainer, evaluator)
    assert passes == 200 and evaluations > 0
    assert is_grad_enabled()


@pytest.mark.filterwarnings("ignore:invalid value:RuntimeWarning")
def test_detect_anomaly_in_one_thread_changes_nothing_in_another():
    entered, done = threading.Event(), threading.Event()

    def checked() -> str:
        with detect_anomaly():
            entered.set()
            assert done.wait(TIMEOUT)
            with pytest.raises(FloatingPointError, match="log produced NaN"):
                Value(-1.0).log()
            return "raised"

    def unchecked() -> float:
        assert entered.wait(TIMEOUT)
        try:
            return Value(-1.0).log().data  # NaN, as numpy says, with no error
        finally:
            done.set()

    raised, value = run_together(checked, unchecked)
    assert raised == "raised" and math.isnan(value)


def test_name_scopes_tag_only_their_own_threads_values():
    entered, done = threading.Event(), threading.Event()

    def scoped() -> str | None:
        with name_scope("encoder"):
            entered.set()
            assert done.wait(TIMEOUT)
            return (Value(1.0) * 2).scope

    def unscoped() -> str | None:
        assert entered.wait(TIMEOUT)
        try:
            return (Value(1.0) * 2).scope
        finally:
            done.set()

    inside, outside = run_together(scoped, unscoped)
    assert inside == "encoder" and outside is None


def test_scopes_opened_in_many_threads_never_pile_up():
    def work() -> set[str | None]:
        scopes = set()
        for _ in range(2000):
            with name_scope("a"), name_scope("b"):
                scopes.add((Value(1.0) + 1).scope)
        return scopes

    first, second = run_together(work, work)
    assert first == second == {"a/b"}
    assert (Value(1.0) + 1).scope is None


def test_one_decorated_function_runs_in_two_threads_at_once():
    entered = threading.Barrier(2, timeout=TIMEOUT)

    @no_grad()
    def inference(x: Value) -> Value:
        entered.wait()  # both threads are inside the decorator now
        return x * 2

    first, second = run_together(lambda: inference(Value(1.0)),
                                 lambda: inference(Value(2.0)))
    assert not first.requires_grad and not second.requires_grad
    assert is_grad_enabled()


def test_one_switch_object_entered_in_two_threads_and_two_tasks_at_once():
    # A switch made once (`inference = no_grad()` at module level) and entered by several
    # threads or tasks, the first to enter leaving first: each must get its own mode back,
    # not put back the token of another.
    inference, scope = no_grad(), name_scope("shared")
    first_in, second_in, first_out = threading.Event(), threading.Event(), threading.Event()

    def first() -> tuple[bool, bool]:
        try:
            with inference, scope:
                first_in.set()
                assert second_in.wait(TIMEOUT)
                recording = is_grad_enabled()
            return recording, is_grad_enabled() and (Value(1.0) + 1).scope is None
        finally:
            first_out.set()

    def second() -> tuple[bool, bool]:
        assert first_in.wait(TIMEOUT)
        with inference, scope:
            second_in.set()
            assert first_out.wait(TIMEOUT)
            recording = is_grad_enabled()
        return recording, is_grad_enabled() and (Value(1.0) + 1).scope is None

    assert run_together(first, second) == [(False, True), (False, True)]

    async def task(delay: float) -> tuple[bool, bool]:
        with inference:
            await asyncio.sleep(delay)  # tasks enter in order; the first sleeps less
            recording = is_grad_enabled()
        return recording, is_grad_enabled()

    async def main() -> list[tuple[bool, bool]]:
        return list(await asyncio.gather(task(0.0), task(0.05)))

    assert asyncio.run(main()) == [(False, True), (False, True)]
    assert is_grad_enabled()


def test_asyncio_tasks_each_have_their_own_switches():
    async def evaluating(inside: asyncio.Event, leave: asyncio.Event) -> bool:
        with no_grad():
            inside.set()
            await leave.wait()
            return is_grad_enabled()

    async def training(inside: asyncio.Event, leave: asyncio.Event) -> bool:
        await inside.wait()
        recorded = (Value(1.0) * 2).requires_grad
        leave.set()
        return recorded

    async def main() -> list[bool]:
        inside, leave = asyncio.Event(), asyncio.Event()
        return list(await asyncio.gather(evaluating(inside, leave), training(inside, leave)))

    assert asyncio.run(main()) == [False, True]


def test_backward_passes_in_two_threads_add_into_shared_gradients_without_losing_any():
    w = Value(np.ones(100_000), label="w")  # large enough for numpy to let other threads run
    passes = 100
    switch = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads as often as possible, to provoke a race
    try:
        def work() -> None:
            for _ in range(passes):
                ((w * 2.0).tanh() * w).sum().backward()

        run_together(work, work)
    finally:
        sys.setswitchinterval(switch)
    one = Value(np.ones(100_000))
    ((one * 2.0).tanh() * one).sum().backward()
    np.testing.assert_allclose(w.grad, 2 * passes * one.grad, rtol=1e-12)
