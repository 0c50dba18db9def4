"""What a record was at a moment of the traffic, from the journal and the sandbox's truth now.

The sandbox keeps no history, so the audit (`npq_conformance.audit`) works it out:

* a participant's training status changes only by its own provider's defer, resume and
  withdraw, which the journal holds: before a moment, the last of them that succeeded says it;
  with none before and none after, it is what the sandbox holds now;
* an application leaves `rejected` never: it was rejected at a moment when a journaled answer
  showed it rejected by then, when the provider's own reject succeeded by then, or when the
  sandbox holds it rejected and has not changed it since (its `updated_at`, read on the
  provider's clock as it stands now, is no later); an accept or reject that succeeded after
  the moment says it was not rejected yet.

Anything else is unknown (None), and the rules that ask judge nothing on it: a finding is never
made from a guess.
"""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import datetime, timedelta
from typing import Any

from npq_conformance import journal as j

Json = dict[str, Any]
APPLICATION_WRITE = re.compile(r"^/api/v3/npq-applications/([^/]+)/(accept|reject)/?$")
TRAINING_WRITE = re.compile(r"^/api/v3/participants/npq/([^/]+)/(defer|resume|withdraw)/?$")
TRAINING = {"defer": "deferred", "resume": "active", "withdraw": "withdrawn"}


def succeeded(entry: Json) -> bool:
    """Whether the request was carried out (its answer may have been lost on the way)."""
    return 200 <= int(entry["status"]) < 300


def attributes(entry: Json) -> Json:
    """The `data.attributes` of a request's body, or nothing."""
    body = entry.get("request_body")
    data = body.get("data") if isinstance(body, dict) else None
    found = data.get("attributes") if isinstance(data, dict) else None
    return found if isinstance(found, dict) else {}


class History:
    """The traffic's entries (oldest first), the truth now and the provider's clock offset."""

    def __init__(self, items: list[Json], truth: Json, offset_seconds: float = 0.0) -> None:
        self.items, self.truth = items, truth
        self.offset = timedelta(seconds=offset_seconds)
        # Indexed once: an audit asks about every request of a journal of up to 100,000.
        self._training: dict[tuple[str, Any], list[tuple[datetime, str]]] = defaultdict(list)
        self._decisions: dict[str, list[tuple[datetime, str]]] = defaultdict(list)
        self.first_shown_rejected: dict[str, Json] = {}  # the answer, by application id
        for entry in items:
            self._index(entry)
        self._applications: dict[str, list[tuple[str, Any]]] = defaultdict(list)
        for id_, record in truth.get("applications", {}).items():
            course = record.get("course_identifier")
            self._applications[str(record.get("participant_id"))].append((id_, course))

    def applications(self, participant_id: str, course: str | None = None) -> list[str]:
        """The ids of a participant's applications (on `course`, when given), as held now."""
        found = self._applications.get(participant_id, [])
        return [id_ for id_, on in found if course is None or on == course]

    def _index(self, entry: Json) -> None:
        moment = j.moment(entry)
        if entry["method"] == "GET":
            for id_ in shown_rejected(entry):
                self.first_shown_rejected.setdefault(id_, entry)
        if not succeeded(entry):
            return
        if found := TRAINING_WRITE.match(entry["path"]):
            key = (found.group(1), attributes(entry).get("course_identifier"))
            self._training[key].append((moment, found.group(2)))
        elif found := APPLICATION_WRITE.match(entry["path"]):
            self._decisions[found.group(1)].append((moment, found.group(2)))

    def training_status(self, participant_id: str, course: str, when: datetime) -> str | None:
        """The participant's training status on `course` at `when`, or None when unknown."""
        writes = self._training.get((participant_id, course), [])
        before = [action for moment, action in writes if moment < when]
        if before:
            return TRAINING[before[-1]]
        if writes:  # only a defer says what came before it
            return "active" if writes[0][1] == "defer" else None
        return self.enrolments(participant_id).get(course)

    def enrolments(self, participant_id: str) -> dict[str, Any]:
        """The training status the sandbox holds now for each course of a participant."""
        record = self.truth.get("participants", {}).get(participant_id) or {}
        found = [e for e in record.get("npq_enrolments") or [] if isinstance(e, dict)]
        return {str(e.get("course_identifier")): e.get("training_status") for e in found}

    def rejected(self, application_id: str, when: datetime) -> bool | None:
        """Whether the application was rejected at `when`; None when that is unknown."""
        shown = self.first_shown_rejected.get(application_id)
        if shown is not None and j.moment(shown) < when:
            return True
        writes = self._decisions.get(application_id, [])
        if any(moment < when and action == "reject" for moment, action in writes):
            return True
        if any(moment >= when for moment, _ in writes):
            return False  # nothing leaves `rejected`, so it was not rejected yet
        record = self.truth.get("applications", {}).get(application_id)
        if record is None:
            return None
        if record.get("status") != "rejected":
            return False
        changed = self.changed_at(record)
        return True if changed is not None and changed <= when else None

    def changed_at(self, record: Json) -> datetime | None:
        """When the sandbox last changed a record, in real time (the journal's)."""
        try:
            stamp = datetime.fromisoformat(str(record.get("updated_at")).replace("Z", "+00:00"))
        except ValueError:
            return None
        return stamp - self.offset if stamp.tzinfo else None


def shown_rejected(entry: Json) -> list[str]:
    """The ids of the applications an answer the client got showed as rejected."""
    if j.is_lost(entry) or not succeeded(entry):
        return []
    body = entry.get("response_body")
    data = body.get("data") if isinstance(body, dict) else None
    return [
        str(record["id"])
        for record in (data if isinstance(data, list) else [data])
        if isinstance(record, dict)
        and "id" in record
        and (record.get("attributes") or {}).get("status") == "rejected"
    ]
