"""Shared pytest configuration.

Hypothesis profiles, chosen with the environment variable HYPOTHESIS_PROFILE:

    dev       (default) 50 examples per property, quick local runs
    ci        150 examples, derandomized (reproducible), prints failure blobs
    thorough  1000 examples, for hunting rare bugs

e.g. ``HYPOTHESIS_PROFILE=thorough bash run.sh test``.
"""

import os

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
