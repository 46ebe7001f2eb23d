"""Property-based tests of every way in (hypothesis) and their shared helpers.

Example counts come from a hypothesis profile: ``ci`` (the default) keeps the
whole folder to about a minute on SQLite; ``long`` tries many more inputs::

    SKM_FUZZ_PROFILE=long .venv/bin/python -m pytest tests/fuzz

Each target's own ``max_examples`` is a share of the profile's (see
:func:`examples`), so the long run scales every target together.
"""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, settings

#: Examples per target in each profile; a target may ask for a fraction.
PROFILE_EXAMPLES = {"ci": 40, "long": 2000}

for name, count in PROFILE_EXAMPLES.items():
    settings.register_profile(
        name,
        max_examples=count,
        # Requests take a few milliseconds, a first one on PostgreSQL longer.
        deadline=None,
        # The app and its database are built once per test; examples share
        # them on purpose (every example checks that a refusal changed nothing).
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
        derandomize=name == "ci",
        print_blob=True,
    )
PROFILE = os.environ.get("SKM_FUZZ_PROFILE", "ci")
settings.load_profile(PROFILE)


def examples(share: float = 1.0) -> int:
    """``share`` of the active profile's examples per target (at least 5)."""
    return max(5, int(PROFILE_EXAMPLES[PROFILE] * share))


@pytest.fixture
def relaxed(app):
    """Fuzzing the fields and bodies, not the CSRF check or the rate limits (tested on
    their own). test_imports.py keeps the rate limits on with a fixture of its own."""
    app.config.update(WTF_CSRF_ENABLED=False, SKM_RATE_LIMITS_ENABLED=False)
    return app
