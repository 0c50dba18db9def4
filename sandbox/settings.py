"""How an app is built: its database and the layers of its request pipeline, typed and frozen."""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from npq_sandbox.store.db import MEMORY, Database
from npq_sandbox.store.journal import MAX_ROWS

_LIMIT = re.compile(r"(\d+)/(\d+)")
# The administrator's token, a documented default like the providers' own (`npq-sandbox tokens`).
ADMIN_TOKEN = "admin-token"


@dataclass(frozen=True)
class Limit:
    """A rate limit: at most `requests` per window of `seconds`, per Authorization value."""

    requests: int
    seconds: int

    @classmethod
    def parse(cls, spec: str) -> Limit:
        """Read ``"<requests>/<seconds>"``, both positive whole numbers."""
        match = _LIMIT.fullmatch(spec.strip())
        if match is None or int(match[1]) < 1 or int(match[2]) < 1:
            raise ValueError(f"a rate limit is <requests>/<seconds>, e.g. 1000/300; got {spec!r}")
        return cls(int(match[1]), int(match[2]))


@dataclass(frozen=True)
class Settings:
    """What `create_app` builds: the defaults are a throwaway in-memory sandbox, as served.

    `database` is a `Database` (apps may share one; tests do) or a SQLite path. The answer
    cache only works on a file, and a rate limit, which counts every request, turns it off.
    """

    database: Database | str = MEMORY
    # Replay a repeated GET's answer until anything commits to the database file.
    cache: bool = True
    # Record every /api/v3 request of a lead provider (GET /sandbox/journal).
    journal: bool = True
    # The journal's entries kept per provider; older ones are dropped.
    journal_max_rows: int = MAX_ROWS
    # DfE's throttle on /api/v3, off unless given.
    rate_limit: Limit | None = None
    # The random source of faults' probability draws, giving a float in [0, 1).
    fault_random: Callable[[], float] = random.random
    # The token of the administrator, who alone may touch every provider (POST /sandbox/reset-all).
    admin_token: str = ADMIN_TOKEN
    # Names besides loopback that a request's Host may give (DNS rebinding): the address served
    # and each --allowed-host. A wildcard address (0.0.0.0, ::) admits any IP address.
    allowed_hosts: tuple[str, ...] = ()
    # The folder of the conformance kit's reports the dashboard lists (`serve --reports`).
    reports: Path | None = None
    # Flask's TESTING flag, as tests and the exporter's test client set it.
    testing: bool = False

    def open_database(self) -> Database:
        """The database itself, opened here when the settings name a path."""
        if isinstance(self.database, Database):
            return self.database
        return Database(self.database)
