"""Shared pytest configuration.

Hypothesis profiles, chosen with the environment variable HYPOTHESIS_PROFILE:

    dev       (default) 50 examples per property, quick local runs
    ci        150 examples, derandomized (reproducible), prints failure blobs
    thorough  1000 examples, for hunting rare bugs

e.g. ``HYPOTHESIS_PROFILE=thorough bash run.sh test``.
"""

import fcntl
import os
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager

import pytest
from hypothesis import HealthCheck, settings

_SUPPRESS = [HealthCheck.too_slow]

settings.register_profile("dev", max_examples=50, deadline=None, suppress_health_check=_SUPPRESS)
settings.register_profile(
    "ci",
    max_examples=150,
    derandomize=True,
    deadline=None,
    print_blob=True,
    suppress_health_check=_SUPPRESS,
)
settings.register_profile(
    "thorough", max_examples=1000, deadline=None, suppress_health_check=_SUPPRESS
)

settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE") or "dev")

# One BLAS thread per process, unless the environment asks for more. The suite runs a worker on
# every core (pytest-xdist), and numpy's OpenBLAS would start a thread per core in each worker
# and in each example, notebook kernel and documentation block they start; on small arrays those
# threads only compete for the same cores, spinning while they wait, which made the examples'
# and notebooks' tests take nearly twice as long. Set here, before any test module imports
# numpy, so the processes the tests start inherit it.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")


@pytest.fixture
def examples_output_lock(
        tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], AbstractContextManager[None]]:
    """`with examples_output_lock(name):` holds the lock of example `name`'s files in
    examples/output/ while the block runs.

    An example and its notebook write the same files there, and pytest-xdist may run their two
    tests at the same time, in two workers: each takes the lock, so one waits for the other. The
    lock files are in this run's temporary folder, which all its workers share.
    """
    basetemp = tmp_path_factory.getbasetemp()  # under xdist, one folder per worker in the run's
    run_folder = basetemp.parent if os.environ.get("PYTEST_XDIST_WORKER") else basetemp

    @contextmanager
    def hold(name: str) -> Iterator[None]:
        with open(run_folder / f"examples-output-{name}.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file is closed
            yield

    return hold
