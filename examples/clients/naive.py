"""A naive NPQ Lead Provider API client: the usual mistakes, on purpose, for the kit to catch.

Run by `npq-conformance run --client "python examples/clients/naive.py"`; it needs `requests`.
It speaks the protocol correctly (environment variables, instructions, a well-formed results
file) and every request it sends is valid against openapi.yaml: its mistakes are in behaviour.
Each one is marked `MISTAKE:` where it happens. Compare with careful.py, which gets them right.
"""

from __future__ import annotations

import json
import os
import sys
from typing import Any

import requests

Json = dict[str, Any]

LISTS = {
    "applications": "/npq-applications",
    "participants": "/participants/npq",
    "declarations": "/participant-declarations",
}
# What each write makes of its record, according to the client (see `assume` below).
ASSUMED = {
    "accept_application": ("status", "accepted"),
    "reject_application": ("status", "rejected"),
    "change_funded_place": ("status", "accepted"),
    "defer_participant": ("training_status", "deferred"),
    "resume_participant": ("training_status", "active"),
    "withdraw_participant": ("training_status", "withdrawn"),
    "change_schedule": ("training_status", "active"),
    "submit_declaration": ("state", "submitted"),
    "void_declaration": ("state", "voided"),
}


class Failed(Exception):
    pass


class NaiveClient:
    def __init__(self, base_url: str, token: str) -> None:
        self.base_url = base_url.rstrip("/")
        self.headers = {"Authorization": f"Bearer {token}"}
        self.view: dict[str, dict[str, str]] = {name: {} for name in LISTS}

    def send(self, method: str, path: str, body: Json | None = None) -> Json:
        url = self.base_url + path
        try:
            response = requests.request(method, url, json=body, headers=self.headers, timeout=30)
        except requests.ConnectionError:
            # MISTAKE: a dropped connection is answered by posting the same thing again at
            # once, without asking whether the first attempt went through.
            response = requests.request(method, url, json=body, headers=self.headers, timeout=30)
        for _ in range(3):
            if response.status_code == 429 or response.status_code >= 500:
                # MISTAKE: ignores Retry-After and retries immediately.
                response = requests.request(
                    method, url, json=body, headers=self.headers, timeout=30
                )
            elif response.status_code != 200 and method != "GET":
                # MISTAKE: a retry storm: a refused write is sent again, identically, three
                # more times, as if the answer could change.
                response = requests.request(
                    method, url, json=body, headers=self.headers, timeout=30
                )
        if response.status_code != 200:
            # MISTAKE: throws away the API's explanation (errors[].detail).
            raise Failed(f"Request failed with status {response.status_code}")
        answer: Json = response.json()
        return answer

    def sync(self, resources: list[str] | None = None) -> None:
        for resource in resources or list(LISTS):
            # MISTAKE: never uses filter[updated_since]: every sync downloads everything again.
            # MISTAKE: reads only the first page; DfE has no page count, so the remaining
            # pages (until an empty one) are silently missed.
            for record in self.send("GET", LISTS[resource])["data"]:
                # MISTAKE: trusts its own bookkeeping over the API: a record it already
                # knows keeps the state the client gave it.
                self.view[resource].setdefault(record["id"], status_of(resource, record))

    def perform(self, instruction: Json) -> Json:
        action, params = instruction["action"], dict(instruction)
        try:
            if action == "sync":
                self.sync(params.get("resources"))
                return {"id": instruction["id"], "outcome": "done"}
            answer = self.send(*request_for(action, params))
        except (Failed, requests.RequestException) as failure:
            return {"id": instruction["id"], "outcome": "refused", "error": str(failure)}
        record = self.assume(action, answer["data"]["id"])
        return {"id": instruction["id"], "outcome": "done", "record": record}

    def assume(self, action: str, record_id: str) -> Json | None:
        """Record what the write was meant to do.

        MISTAKE: the view says what the client expected, not what the API answered: a voided
        paid declaration is recorded `voided` though DfE made it `awaiting-clawback`, a new
        declaration `submitted` though DfE made it `eligible`.
        """
        if action not in ASSUMED:
            return None  # outcomes are not part of the view
        key, value = ASSUMED[action]
        resource = {"status": "applications", "training_status": "participants"}
        self.view[resource.get(key, "declarations")][record_id] = value
        return {"id": record_id, key: value}


def status_of(resource: str, record: Json) -> str:
    attributes = record["attributes"]
    if resource == "participants":
        return str(attributes["npq_enrolments"][0]["training_status"])
    return str(attributes["status" if resource == "applications" else "state"])


def request_for(action: str, params: Json) -> tuple[str, str, Json | None]:
    """The method, path and body of a write, with the API's own attribute names."""
    ids = {"id", "action", "application_id", "declaration_id", "participant_id"}
    attributes = {k: v for k, v in params.items() if k not in ids}
    body = {"data": {"type": action, "attributes": attributes}}
    application = f"/npq-applications/{params.get('application_id')}"
    participant = f"/participants/npq/{params.get('participant_id')}"
    if action == "accept_application":
        return "POST", f"{application}/accept", body if attributes else None
    if action == "reject_application":
        return "POST", f"{application}/reject", None
    if action == "change_funded_place":
        return "PUT", f"{application}/change-funded-place", body
    if action == "submit_declaration":
        attributes["participant_id"] = params["participant_id"]
        return "POST", "/participant-declarations", body
    if action == "void_declaration":
        return "PUT", f"/participant-declarations/{params['declaration_id']}/void", None
    if action == "record_outcome":
        return "POST", f"{participant}/outcomes", body
    verb = action.removesuffix("_participant").replace("_", "-")  # defer, change-schedule...
    return "PUT", f"{participant}/{verb}", body


def main() -> int:
    with open(os.environ["NPQ_INSTRUCTIONS"]) as file:
        instructions = json.load(file)["instructions"]
    client = NaiveClient(os.environ["NPQ_API_BASE_URL"], os.environ["NPQ_API_TOKEN"])
    results = [client.perform(instruction) for instruction in instructions]
    with open(os.environ["NPQ_RESULTS"], "w") as file:
        json.dump({"results": results, "view": client.view}, file, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
