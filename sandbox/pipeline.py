"""The request pipeline: the WSGI layers around the Flask app, composed here and only here.

A request goes in through the outermost layer; the answer comes back out through each one::

    server (Werkzeug threads, gunicorn workers, or Flask's test client)
      │
      ▼
    AllowedHosts refuses a request for a Host the sandbox does not answer to (DNS rebinding)
      │
    Journal      queues an entry for each /api/v3 request of a lead provider, with its answer
      │          (after the request's transaction has ended; a refused request is recorded too)
    Faults       fires the caller's injected faults: a 401, 429, 500 or 503 answers here; latency
      │          sleeps; a lost response runs below, then drops the connection
    Gate         reads a POST's body, then runs what is below for one POST at a time per process
      │
    AnswerCache  replays a GET's answer until anything commits (file databases only)
      │   or
    RateLimit    DfE's throttle, when the settings set one (it counts every request: no cache)
      │
    FormatSuffix routes /api/v3/statements.json as /api/v3/statements, as Rails does
      │
      ▼
    Flask        routing, the request's one transaction, the views (sandbox.api, .control)

Faults and the journal sit outside the cache: a replayed answer is journaled and can be
faulted too. They sit outside the gate as well, so that a latency fault's sleep holds up only
its own request. The layers share only `sandbox.middleware.wsgi`.
"""

from __future__ import annotations

from flask import Flask
from npq_sandbox.middleware.cache import AnswerCache
from npq_sandbox.middleware.faults import Faults
from npq_sandbox.middleware.formats import FormatSuffix
from npq_sandbox.middleware.gate import Gate
from npq_sandbox.middleware.hosts import AllowedHosts
from npq_sandbox.middleware.journal import Journal
from npq_sandbox.middleware.ratelimit import RateLimit
from npq_sandbox.middleware.wsgi import WsgiApp
from npq_sandbox.settings import Settings
from npq_sandbox.store.db import MEMORY, Database
from npq_sandbox.store.journal import JournalWriter


def init_app(app: Flask, settings: Settings, db: Database, writer: JournalWriter) -> None:
    """Wrap `app.wsgi_app` in the layers the settings ask for, in the order drawn above."""
    layers: WsgiApp = FormatSuffix(app.wsgi_app)
    if settings.rate_limit is not None:
        layers = RateLimit(layers, settings.rate_limit)
    elif settings.cache and db.path != MEMORY:  # only a file's commits can be watched
        layers = AnswerCache(layers, db)
    layers = Faults(Gate(layers, app.config["MAX_CONTENT_LENGTH"]), db, settings.fault_random)
    if settings.journal:
        layers = Journal(layers, writer, app.config["MAX_CONTENT_LENGTH"])
    layers = AllowedHosts(layers, settings.allowed_hosts)
    app.wsgi_app = layers  # type: ignore[method-assign]
