"""/records/...: the provider's records by kind and state, and one record's page."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request
from flask.typing import ResponseReturnValue
from npq_sandbox.web import journal, operations, records
from npq_sandbox.web.calls import call
from npq_sandbox.web.provider import chosen, to_choose

bp = Blueprint("web_records", __name__)
# The control plane's admin operations on a kind of record, shown on each record's page.
ADMIN_GROUPS = {"participants": "participant", "applications": "application"}


@bp.get("/records/<kind_name>")
def list_records(kind_name: str) -> ResponseReturnValue:
    kind, caller = _kind(kind_name), chosen()
    if caller is None:
        return to_choose()
    state = request.args.get("state") or None
    found = records.listed(kind, caller.token, state)
    return render_template(
        "web/records.html", provider=caller, kind=kind, state=state, records=found
    )


@bp.get("/records/<kind_name>/<record_id>")
def show_record(kind_name: str, record_id: str) -> ResponseReturnValue:
    kind, caller = _kind(kind_name), chosen()
    if caller is None:
        return to_choose()
    answer = call("GET", f"{kind.path}/{record_id}", caller.token)
    record = answer.data if answer.ok else None
    page = render_template(
        "web/record.html",
        provider=caller,
        kind=kind,
        record=record,
        problems=answer.problems,
        history=records.history(kind, record, caller.token) if record else [],
        entries=journal.newest(caller.id, {"path": f"*{_glob_safe(record_id)}*"}, limit=50),
        mover=operations.BY_KEY["PUT /sandbox/participant-declarations/{id}/state"],
        admin=operations.in_group(ADMIN_GROUPS.get(kind.name, "")),
        admin_title=operations.GROUPS.get(ADMIN_GROUPS.get(kind.name, ""), ""),
    )
    return page, answer.status


def _kind(name: str) -> records.Kind:
    found = records.KINDS.get(name)
    if found is None:
        abort(404)
    return found


def _glob_safe(text: str) -> str:
    # A glob's special characters in an id match themselves only inside brackets.
    return "".join(f"[{c}]" if c in "*?[]" else c for c in text)
