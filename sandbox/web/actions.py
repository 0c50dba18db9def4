"""/dashboard/operations/<slug>: each control-plane operation as a form, sent to the API.

A form posts here; its values become the API's request (`Operation.request`), sent through
the API itself (`web.calls`). Success redirects back (POST-redirect-GET) with a notice; a
refusal shows the form again with the API's own words, under the API's status.
"""

from __future__ import annotations

from urllib.parse import urlencode

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from npq_sandbox.web.calls import Answer, call
from npq_sandbox.web.operations import BY_SLUG, Operation
from npq_sandbox.web.provider import chosen, local, to_choose

bp = Blueprint("web_actions", __name__)


@bp.get("/dashboard/operations/<slug>")
def show_operation(slug: str) -> ResponseReturnValue:
    """A write's form on its own page, or a read's answer from the API."""
    operation, caller = _operation(slug), chosen()
    if caller is None:
        return to_choose()
    answer = call("GET", operation.path, caller.token) if operation.reads else None
    return _page(operation, answer, request.args)


@bp.post("/dashboard/operations/<slug>")
def perform_operation(slug: str) -> ResponseReturnValue:
    operation, caller = _operation(slug), chosen()
    if caller is None:
        return to_choose()
    token = request.form.get("admin_token", "") if operation.admin else caller.token
    path, attributes = operation.request(request.form)
    answer = call(operation.method, path, token, attributes=attributes)
    if not answer.ok:
        return _page(operation, answer, request.form), answer.status
    back = local(request.form.get("back"), url_for("web_dashboard.overview"))
    separator = "&" if "?" in back else "?"
    return redirect(f"{back}{separator}{urlencode({'done': operation.label})}", 303)


def _operation(slug: str) -> Operation:
    found = BY_SLUG.get(slug)
    if found is None:
        abort(404)
    return found


def _page(operation: Operation, answer: Answer | None, values: object) -> str:
    return render_template(
        "web/operation.html",
        provider=chosen(),
        operation=operation,
        answer=answer,
        values=values,
        back=local(request.values.get("back"), url_for("web_dashboard.overview")),
    )
