"""Fixtures shared by the whole suite: `app`, `client`, `runner`, plus seeded data."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from click.testing import CliRunner
from flask import Flask
from flask.testing import FlaskClient

from sandbox import create_app
from sandbox.seeding import SeedSummary, seed_database
from sandbox.store.db import Database

# Enough background participants for several pages, few enough to seed in well under a second.
TEST_PARTICIPANTS = 600


@pytest.fixture(scope="session")
def seeded() -> Iterator[tuple[Database, SeedSummary]]:
    """One seeded in-memory database for tests that only read (never write to it)."""
    db = Database(":memory:")
    summary = seed_database(db, seed=1, participants=TEST_PARTICIPANTS)
    yield db, summary
    db.dispose()


@pytest.fixture
def app(seeded: tuple[Database, SeedSummary]) -> Flask:
    return create_app({"DB": seeded[0], "TESTING": True})


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def cases(seeded: tuple[Database, SeedSummary]) -> dict[str, dict[str, str]]:
    """The seed's guaranteed records, by lead provider id then case name."""
    return seeded[1].cases
