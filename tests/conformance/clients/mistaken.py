"""A throwaway integration doing one behaviour right or wrong: `mistaken.py BEHAVIOUR right|wrong`.

Run by `npq-conformance watch` (stdlib only). It arranges its own case through the control plane
(as the kit does: `X-Sandbox-Kit`, so the arranging is not journaled), then sends the traffic of
one behaviour, the careful way or with the mistake a traffic verdict names.
"""

from __future__ import annotations

import json
import os
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

BASE, TOKEN = os.environ["NPQ_API_BASE_URL"], os.environ["NPQ_API_TOKEN"]
ROOT = BASE.removesuffix("/api/v3")
ALREADY = "A declaration has already been submitted that will be, or has been, paid for this event"
Json = dict[str, Any]


def call(method: str, path: str, attributes: Json | None = None, *, kit: bool = False) -> Any:
    """One request; (status, answer), or (None, None) when the answer never came."""
    url = (ROOT if path.startswith("/sandbox") else BASE) + path
    data = None if attributes is None else json.dumps({"data": {"attributes": attributes}})
    request = urllib.request.Request(url, data=data and data.encode(), method=method)
    request.add_header("Authorization", f"Bearer {TOKEN}")
    request.add_header("Content-Type", "application/json")
    if kit:
        request.add_header("X-Sandbox-Kit", "mistaken")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, _parsed(response.read(), response.headers)
    except urllib.error.HTTPError as error:
        return error.code, _parsed(error.read(), error.headers)
    except (urllib.error.URLError, ConnectionError):
        return None, None


def _parsed(raw: bytes, headers: Any) -> Any:
    try:
        answer = json.loads(raw)
    except ValueError:
        answer = {"text": raw.decode()}
    if isinstance(answer, dict):
        answer["_retry_after"] = headers.get("Retry-After")
    return answer


def accepted_participant() -> tuple[str, str]:
    """A new application, accepted: (participant id, delivery partner id)."""
    _, partners = call("GET", "/delivery-partners?filter[cohort]=2025", kit=True)
    wanted = {"course_identifier": "npq-headship", "cohort": "2025"}
    _, made = call("POST", "/sandbox/npq-applications", wanted, kit=True)
    application = made["data"][0]
    call("POST", f"/npq-applications/{application['id']}/accept", {"funded_place": True}, kit=True)
    return application["attributes"]["participant_id"], partners["data"][0]["id"]


def declaration(participant: str, partner: str, kind: str = "started", day: str = "01") -> Json:
    return {
        "participant_id": participant,
        "course_identifier": "npq-headship",
        "declaration_type": kind,
        "declaration_date": f"2026-10-{day}T10:00:00Z",
        "delivery_partner_id": partner,
    }


def applications(status: str) -> list[str]:
    _, answer = call("GET", "/npq-applications?page[per_page]=3000")
    return [r["id"] for r in answer["data"] if r["attributes"]["status"] == status]


def paging(right: bool) -> None:
    page = 1
    while True:
        _, answer = call("GET", f"/npq-applications?page[page]={page}&page[per_page]=2")
        if not right or len(answer["data"]) < 2:
            return
        page += 1


def resync(right: bool) -> None:
    call("GET", "/npq-applications?page[per_page]=3000")
    since = "filter[updated_since]=2026-01-01T00:00:00Z&" if right else ""
    call("GET", f"/npq-applications?{since}page[per_page]=3000")


def throttle(right: bool) -> None:
    fault = {"method": "GET", "path": "/api/v3/npq-applications", "status": 429, "retry_after": 2}
    call("POST", "/sandbox/faults", fault)
    status, answer = call("GET", "/npq-applications?page[per_page]=3000")
    if status == 429 and right:
        time.sleep(float(answer["_retry_after"]))
    call("GET", "/npq-applications?page[per_page]=3000")


def storm(right: bool) -> None:
    rejected = applications("rejected")[0]
    for _ in range(1 if right else 5):
        call("POST", f"/npq-applications/{rejected}/reject")


def lost(right: bool) -> None:
    participant, partner = accepted_participant()
    fault = {"method": "POST", "path": "/api/v3/participant-declarations", "lost_response": True}
    call("POST", "/sandbox/faults", fault)
    body = declaration(participant, partner)
    call("POST", "/participant-declarations", body)  # the answer is lost
    status, answer = call("POST", "/participant-declarations", body)  # the retry: 422
    if right and status == 422 and ALREADY in json.dumps(answer):
        call("GET", f"/participant-declarations?filter[participant_id]={participant}")


def merged(right: bool) -> None:
    _, answer = call("GET", "/participants/npq?page[per_page]=3000")
    record = next(r for r in answer["data"] if r["attributes"]["participant_id_changes"])
    old = record["attributes"]["participant_id_changes"][0]["from_participant_id"]
    course = record["attributes"]["npq_enrolments"][0]["course_identifier"]
    status, _ = call("GET", f"/participants/npq/{old}")
    assert status == 410, status
    target = record["id"] if right else old
    call(
        "PUT", f"/participants/npq/{target}/defer", {"reason": "other", "course_identifier": course}
    )


def rejected(right: bool) -> None:
    chosen = applications("pending" if right else "rejected")[0]
    call("POST", f"/npq-applications/{chosen}/accept", {"funded_place": True})


def invalid(right: bool) -> None:
    call("GET", "/npq-applications?filter[cohort]=2025" if right else "/npq-applications?colour=1")


def deferred(right: bool) -> None:
    participant, partner = accepted_participant()
    call("POST", "/participant-declarations", declaration(participant, partner), kit=True)
    if not right:
        reason = {"reason": "other", "course_identifier": "npq-headship"}
        call("PUT", f"/participants/npq/{participant}/defer", reason)
    call("POST", "/participant-declarations", declaration(participant, partner, "retained-1", "02"))


def after_rejection(right: bool) -> None:
    participant, _ = accepted_participant()
    _, answer = call("GET", f"/participants/npq/{participant}")
    application = answer["data"]["attributes"]["npq_enrolments"][0]["npq_application_id"]
    call("POST", f"/npq-applications/{application}/reject")
    if not right:
        call("GET", f"/participants/npq/{participant}")


BEHAVIOURS = {
    "paging": paging,
    "resync": resync,
    "throttle": throttle,
    "storm": storm,
    "lost": lost,
    "merged": merged,
    "rejected": rejected,
    "invalid": invalid,
    "deferred": deferred,
    "after-rejection": after_rejection,
}

if __name__ == "__main__":
    BEHAVIOURS[sys.argv[1]](sys.argv[2] == "right")
