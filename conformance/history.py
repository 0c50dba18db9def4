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

    def training_status(self, participant_id: str, course: str, when: datetime) -> str | None:
        """The participant's training status on `course` at `when`, or None when unknown."""
        writes = [
            (j.moment(e), found.group(2))
            for e in self.items
            if (found := TRAINING_WRITE.match(e["path"]))
            and found.group(1) == participant_id
            and attributes(e).get("course_identifier") == course
            and succeeded(e)
        ]
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
        if self._shown_rejected(application_id, when):
            return True
        writes = [
            (j.moment(e), found.group(2))
            for e in self.items
            if (found := APPLICATION_WRITE.match(e["path"]))
            and found.group(1) == application_id
            and succeeded(e)
        ]
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

    def _shown_rejected(self, application_id: str, when: datetime) -> bool:
        """Whether a journaled answer before `when` showed the application rejected."""
        return any(
            j.moment(e) < when and self.shown_status(e, application_id) == "rejected"
            for e in self.items
            if application_id in str(e.get("path")) or e["method"] == "GET"
        )

    @staticmethod
    def shown_status(entry: Json, application_id: str) -> str | None:
        """The status an answer the client got showed for the application, if it showed one."""
        if j.is_lost(entry) or not succeeded(entry):
            return None
        body = entry.get("response_body")
        data = body.get("data") if isinstance(body, dict) else None
        for record in data if isinstance(data, list) else [data]:
            if isinstance(record, dict) and record.get("id") == application_id:
                status = (record.get("attributes") or {}).get("status")
                return status if isinstance(status, str) else None
        return None
