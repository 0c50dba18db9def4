"""GET /: the dashboard's overview, and choosing the lead provider to act as."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from flask.typing import ResponseReturnValue
from npq_sandbox.domain.reference import LEAD_PROVIDERS, PROVIDERS_BY_TOKEN
from npq_sandbox.web import journal, operations, records
from npq_sandbox.web.calls import call
from npq_sandbox.web.provider import chosen, remember, to_choose

bp = Blueprint(
    "web_dashboard",
    __name__,
    template_folder="templates",
    static_folder="static",
    static_url_path="/dashboard/static",
)


@bp.get("/")
def overview() -> ResponseReturnValue:
    caller = chosen()
    if caller is None:
        return render_template("web/choose.html", providers=LEAD_PROVIDERS, problems=[])
    token = caller.token
    return render_template(
        "web/overview.html",
        provider=caller,
        counts=records.counts(token),
        kinds=records.KINDS,
        clock=call("GET", "/sandbox/clock", token).data,
        faults=call("GET", "/sandbox/faults", token).data or [],
        statements=records.statements(token)[:6],
        contracts=call("GET", "/sandbox/contracts", token).data or [],
        entries=journal.newest(caller.id, {}, limit=10),
        operations=operations,
    )


@bp.post("/provider")
def choose_provider() -> ResponseReturnValue:
    token = request.form.get("token", "").strip()
    if token in PROVIDERS_BY_TOKEN:
        return remember(to_choose(), token)
    # The API's own refusal of the token, as a client would get it.
    problems = call("GET", "/sandbox/clock", token).problems
    page = render_template("web/choose.html", providers=LEAD_PROVIDERS, problems=problems)
    return page, 401


@bp.post("/provider/forget")
def forget_provider() -> ResponseReturnValue:
    return remember(to_choose(), "")
