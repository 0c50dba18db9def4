"""Which lead provider the person at the dashboard acts as: their token, kept in a cookie.

The cookie is `SameSite=Strict`, so a page of another site cannot post a form as them.
"""

from __future__ import annotations

from flask import redirect, request, url_for
from npq_sandbox.domain.reference import PROVIDERS_BY_TOKEN, LeadProvider
from werkzeug.wrappers import Response

COOKIE = "npq_sandbox_token"
YEAR = 365 * 24 * 3600


def chosen() -> LeadProvider | None:
    """The provider whose token the browser remembers, if it is one of theirs."""
    return PROVIDERS_BY_TOKEN.get(request.cookies.get(COOKIE, ""))


def remember(response: Response, token: str) -> Response:
    """Make the browser remember `token` (or forget any, given "")."""
    if token:
        response.set_cookie(COOKIE, token, max_age=YEAR, httponly=True, samesite="Strict")
    else:
        response.delete_cookie(COOKIE, httponly=True, samesite="Strict")
    return response


def to_choose() -> Response:
    """Send the browser to the page where a provider is picked."""
    return redirect(url_for("web_dashboard.overview"), 303)


def local(target: str | None, fallback: str) -> str:
    """`target` when it is a path on this sandbox (never another site), else `fallback`."""
    if target and target.startswith("/") and not target.startswith(("//", "/\\")):
        return target
    return fallback
