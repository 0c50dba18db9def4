"""The one place that turns domain errors and routing failures into DfE's JSON bodies.

Rules: docs/rules.md §2.4 and §2.5.
"""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask, Response, jsonify
from npq_sandbox.api.serializers import id_change
from npq_sandbox.domain import messages
from npq_sandbox.domain.errors import (
    BadRequest,
    Forbidden,
    NotFound,
    ParticipantIdChanged,
    SandboxError,
    Unauthenticated,
    UnpermittedParameter,
    ValidationFailed,
)
from werkzeug.exceptions import HTTPException

log = logging.getLogger(__name__)


def init_app(app: Flask) -> None:
    app.register_error_handler(SandboxError, render_domain_error)
    app.register_error_handler(HTTPException, render_http_error)
    app.register_error_handler(Exception, render_unexpected)


def json_response(body: Any, status: int) -> Response:
    response = jsonify(body)
    response.status_code = status
    return response


def _errors(status: int, *entries: tuple[str, str]) -> Response:
    return json_response({"errors": [{"title": t, "detail": d} for t, d in entries]}, status)


def render_domain_error(error: SandboxError) -> Response:
    if isinstance(error, Unauthenticated):
        return json_response({"error": messages.ACCESS_DENIED}, 401)
    if isinstance(error, NotFound):
        return json_response({"error": messages.RESOURCE_NOT_FOUND}, 404)
    if isinstance(error, UnpermittedParameter):
        return _errors(422, (messages.UNPERMITTED_PARAMETERS_TITLE, error.detail))
    if isinstance(error, BadRequest):
        return _errors(400, (messages.BAD_REQUEST_TITLE, error.detail))
    if isinstance(error, ParticipantIdChanged):
        return _participant_id_changed(error)
    if isinstance(error, Forbidden):
        return _errors(403, (error.title, error.detail))
    if isinstance(error, ValidationFailed):
        return _errors(422, *error.errors)
    return render_unexpected(error)


def _participant_id_changed(error: ParticipantIdChanged) -> Response:
    change = error.change
    detail = messages.participant_id_replaced(change.from_participant_id, change.to_participant_id)
    entry = {
        "title": messages.PARTICIPANT_ID_CHANGED_TITLE,
        "detail": detail,
        "participant_id_changes": [id_change(change)],
    }
    return json_response({"errors": [entry]}, 410)


def render_http_error(error: HTTPException) -> Response:
    """Routing failures answer as DfE's do: an unknown route or wrong verb is a JSON 404."""
    status = error.code or 500
    if status in (404, 405):
        return json_response({"error": messages.RESOURCE_NOT_FOUND}, 404)
    if status == 413:
        return _errors(
            413, (messages.SANDBOX_PAYLOAD_TOO_LARGE_TITLE, messages.SANDBOX_PAYLOAD_TOO_LARGE)
        )
    return _errors(
        status,
        (
            messages.BAD_REQUEST_TITLE if status == 400 else error.name,
            error.description or error.name,
        ),
    )


def render_unexpected(error: Exception) -> Response:
    log.exception("unexpected error", exc_info=error)
    return _errors(500, (messages.SANDBOX_INTERNAL_ERROR_TITLE, messages.SANDBOX_INTERNAL_ERROR))
