"""The request pipeline: the layers `create_app` puts around Flask, as the settings ask."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from npq_sandbox import Settings, create_app
from npq_sandbox.middleware.cache import AnswerCache
from npq_sandbox.middleware.faults import Faults
from npq_sandbox.middleware.formats import FormatSuffix
from npq_sandbox.middleware.gate import Gate
from npq_sandbox.middleware.hosts import AllowedHosts
from npq_sandbox.middleware.journal import Journal
from npq_sandbox.middleware.ratelimit import RateLimit
from npq_sandbox.settings import Limit
from npq_sandbox.store.db import Database


@pytest.fixture
def file_db(tmp_path: Path) -> Iterator[Database]:
    db = Database(str(tmp_path / "sandbox.db"))
    yield db
    db.dispose()


def layers(app: Flask) -> list[type]:
    """The middleware classes around the Flask app, outermost first."""
    found, layer = [], app.wsgi_app
    while hasattr(layer, "app"):
        found.append(type(layer))
        layer = layer.app
    return found


def test_a_file_database_is_served_with_the_answer_cache(file_db: Database) -> None:
    assert layers(create_app(Settings(database=file_db))) == [
        AllowedHosts,
        Journal,
        Faults,
        Gate,
        AnswerCache,
        FormatSuffix,
    ]


def test_a_rate_limit_counts_every_request_so_replaces_the_cache(file_db: Database) -> None:
    app = create_app(Settings(database=file_db, rate_limit=Limit(10, 60)))
    assert layers(app) == [AllowedHosts, Journal, Faults, Gate, RateLimit, FormatSuffix]


def test_nothing_to_watch_or_turned_off_means_no_cache(file_db: Database) -> None:
    assert layers(create_app(Settings())) == [AllowedHosts, Journal, Faults, Gate, FormatSuffix]
    assert layers(create_app(Settings(database=file_db, cache=False))) == [
        AllowedHosts,
        Journal,
        Faults,
        Gate,
        FormatSuffix,
    ]


def test_without_the_journal_faults_come_first_after_the_host_check(fresh_db: Database) -> None:
    assert layers(create_app(Settings(database=fresh_db, journal=False))) == [
        AllowedHosts,
        Faults,
        Gate,
        FormatSuffix,
    ]


def test_settings_are_frozen() -> None:
    with pytest.raises(AttributeError):
        Settings().journal = False  # type: ignore[misc]
