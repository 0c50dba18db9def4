"""Helpers for the web face's tests: pick a provider, parse a page, submit a form."""

from __future__ import annotations

from bs4 import BeautifulSoup, Tag
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

AMBITION_TOKEN = "ambition-token"


def choose(client: FlaskClient, token: str = AMBITION_TOKEN) -> None:
    """Act as a provider, as the choice form does (the browser keeps the cookie)."""
    response = client.post("/provider", data={"token": token})
    assert response.status_code == 303


def page(response: TestResponse, status: int = 200) -> BeautifulSoup:
    """The response parsed as HTML, after checking its status and type."""
    assert response.status_code == status, response.text[:500]
    assert response.mimetype == "text/html"
    return BeautifulSoup(response.text, "html.parser")


def control(soup: BeautifulSoup, key: str) -> Tag:
    """The first form or link that performs the control-plane operation `key`."""
    found = soup.find(attrs={"data-operation": key})
    assert isinstance(found, Tag), f"no control for {key}"
    return found


def submit(client: FlaskClient, form: Tag, **values: str) -> TestResponse:
    """Post a form as a browser would: its hidden and default values, then `values`."""
    data = {
        str(i["name"]): str(i.get("value", "")) for i in form.find_all("input") if i.get("name")
    }
    data.update(values)
    return client.post(str(form["action"]), data=data)


def problems(soup: BeautifulSoup) -> list[str]:
    """The refusal texts a page shows."""
    return [li.get_text(strip=True) for li in soup.select("#problems .problem")]


def unlabelled(soup: BeautifulSoup) -> list[str]:
    """The visible inputs, selects and textareas that no label names."""
    labelled = {str(label.get("for")) for label in soup.find_all("label")}
    fields = soup.find_all(["input", "select", "textarea"])
    return [
        str(f.get("name"))
        for f in fields
        if f.get("type") != "hidden" and str(f.get("id")) not in labelled
    ]
