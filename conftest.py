"""Fixtures shared by the whole suite: `app`, `client`, `runner`, plus seeded data.

Read-only tests share one seeded database (`client`, `cases`). Tests that write get their own
copy of a seeded database per test (`fresh_db`, `fresh_client`, `fresh_cases`).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from click.testing import CliRunner
from flask import Flask
from flask.testing import FlaskClient
from npq_sandbox import Settings, create_app
from npq_sandbox.seeding import SeedSummary, seed_database
from npq_sandbox.store.db import Database

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
    return create_app(Settings(database=seeded[0], testing=True))


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


@pytest.fixture(scope="session")
def pristine() -> Iterator[tuple[Database, SeedSummary]]:
    """A seeded database with the guaranteed cases only, copied afresh for each writing test."""
    db = Database(":memory:")
    summary = seed_database(db, seed=1, participants=0)
    yield db, summary
    db.dispose()


@pytest.fixture
def fresh_db(pristine: tuple[Database, SeedSummary]) -> Iterator[Database]:
    """A private copy of the pristine database."""
    db = pristine[0].copy()
    yield db
    db.dispose()


@pytest.fixture
def fresh_app(fresh_db: Database) -> Flask:
    return create_app(Settings(database=fresh_db, testing=True))


@pytest.fixture
def fresh_client(fresh_app: Flask) -> FlaskClient:
    return fresh_app.test_client()


@pytest.fixture
def fresh_cases(pristine: tuple[Database, SeedSummary]) -> dict[str, dict[str, str]]:
    """The guaranteed records of `fresh_db`, by lead provider id then case name."""
    return pristine[1].cases
