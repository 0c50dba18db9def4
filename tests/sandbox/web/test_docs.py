"""/api/docs, /openapi.yaml, /openapi.json and the /api/v3 index, as a browser fetches them."""

from __future__ import annotations

import yaml
from flask.testing import FlaskClient
from npq_sandbox.web import contract

from tests.sandbox.web.pages import page


def test_the_api_index_links_to_the_docs_and_the_contract(client: FlaskClient) -> None:
    response = client.get("/api/v3")
    assert response.status_code == 200
    assert response.json == {
        "name": "NPQ Lead Provider API v3 (npq-sandbox)",
        "version": "3",
        "links": {
            "docs": "http://localhost/api/docs/",
            "openapi_yaml": "http://localhost/openapi.yaml",
            "openapi_json": "http://localhost/openapi.json",
            "dashboard": "http://localhost/",
        },
    }


def test_the_served_contract_names_the_serving_sandbox_as_its_server(client: FlaskClient) -> None:
    served = client.get("/openapi.json", base_url="http://127.0.0.1:8123").json
    assert served["servers"] == [{"url": "http://127.0.0.1:8123", "description": "This sandbox"}]
    assert served["paths"] == contract.document()["paths"]


def test_the_yaml_and_json_contracts_are_the_same_document(client: FlaskClient) -> None:
    as_yaml = client.get("/openapi.yaml")
    assert as_yaml.mimetype == "application/yaml"
    assert yaml.safe_load(as_yaml.text) == client.get("/openapi.json").json


def test_the_docs_page_loads_swagger_ui_from_the_sandbox_itself(client: FlaskClient) -> None:
    soup = page(client.get("/api/docs/"))
    assert soup.find(id="swagger-ui") is not None
    assets = [s["src"] for s in soup.find_all("script", src=True)]
    assets += [link["href"] for link in soup.find_all("link", href=True)]
    assert assets and all(str(a).startswith("/api/docs/") for a in assets)
    for asset in assets:
        with client.get(str(asset)) as response:  # files are streamed: closed once read
            assert response.status_code == 200, asset


def test_the_docs_send_nothing_to_an_online_validator(client: FlaskClient) -> None:
    script = page(client.get("/api/docs/")).find_all("script")[-1].get_text()
    assert '"validatorUrl": null' in script
