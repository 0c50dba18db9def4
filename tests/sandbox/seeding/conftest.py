"""Seeded worlds shared by the seeder's tests: bare (cases only) and populated."""

from __future__ import annotations

import pytest

from tests.sandbox.seeding.world import World


@pytest.fixture(scope="module")
def bare() -> World:
    return World(participants=0)


@pytest.fixture(scope="module")
def populated() -> World:
    return World(participants=400)


@pytest.fixture(params=["bare", "populated"])
def world(request: pytest.FixtureRequest) -> World:
    """Guaranteed cases must hold with and without the background population."""
    found: World = request.getfixturevalue(request.param)
    return found
