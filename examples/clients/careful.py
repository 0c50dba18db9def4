"""A careful NPQ Lead Provider API client, written to the conformance kit's protocol.

Run by `npq-conformance run --client "python examples/clients/careful.py"`. It reads the
instructions file named by NPQ_INSTRUCTIONS, performs each instruction against NPQ_API_BASE_URL
with NPQ_API_TOKEN, and writes what happened, plus its local view of the records, to
NPQ_RESULTS. It needs `requests` (`pip install requests`) and its HTTP layer, `careful_http.py`
beside it: copy both.

What makes it careful, each shown where it happens (retries and error texts in the HTTP layer):
* lists are read page by page until an empty `{"data": []}` page (DfE sends no meta or links);
* later syncs of a resource ask only for changes, with `filter[updated_since]`;
* a refusal (4xx other than 429) is never retried, and its `errors[].detail` text is reported;
* a 429 waits `Retry-After` seconds, a 5xx, a dropped connection or an answer slower than five
  seconds backs off; both are bounded;
* a declaration whose answer was lost is not posted twice: the retry's "already submitted"
  answer sends the client looking for the record the first attempt created;
* a participant id DfE has merged into another (its read answers 410) is followed to the id
  DfE kept, through `participant_id_changes`, hop by hop: a 410 names the id it was merged
  into, which may itself have been merged since;
* the local view is updated from what the API answered, never from what the client expected.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any

from careful_http import Api, Json, Refused

LISTS = {
    "applications": "/npq-applications",
    "participants": "/participants/npq",
    "declarations": "/participant-declarations",
}
MAX_MERGE_HOPS = 10  # a longer chain of merged ids is taken for a loop, and given up
# A re-sync starts a little before where the previous one ended, so a record written while that
# sync was running is not missed. Records seen twice are harmless: the view is keyed by id.
SAFETY_MARGIN = timedelta(seconds=60)
ALREADY_SUBMITTED = (
    "A declaration has already been submitted that will be, or has been, paid for this event"
)
LIVE_STATES = {"submitted", "eligible", "payable", "paid"}  # states that block a duplicate


def replaced_by(participant_id: str, body: Any) -> str | None:
    """The id a 410's `participant_id_changes` gives for a merged-away participant id."""
    errors = body.get("errors") if isinstance(body, dict) else None
    for error in errors if isinstance(errors, list) else []:
        for change in error.get("participant_id_changes") or []:
            if change.get("from_participant_id") == participant_id:
                return str(change["to_participant_id"])
    return None


def request_body(type_: str, **attributes: Any) -> Json:
    """DfE's request shape; attributes left as None are not sent at all."""
    given = {name: value for name, value in attributes.items() if value is not None}
    return {"data": {"type": type_, "attributes": given}}


def utc_z(moment: datetime) -> str:
    """The form `filter[updated_since]` accepts everywhere: seconds and a `Z`."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class Client:
    """Performs instructions and keeps the local view the results file reports."""

    def __init__(self, api: Api) -> None:
        self.api = api
        self.applications: dict[str, str] = {}  # id -> status
        self.enrolments: dict[str, dict[str, str]] = {}  # participant -> course -> status
        self.course_of: dict[str, str] = {}  # participant -> the course last acted on
        self.declarations: dict[str, str] = {}  # id -> state
        self.synced_up_to: dict[str, datetime] = {}  # resource -> where the next sync starts
        self.merged: dict[str, str] = {}  # a participant id DfE merged away -> the one it kept

    # --------------------------------------------------------------------- reading

    def sync(self, resources: list[str] | None = None) -> None:
        """Bring the view up to date, asking only for changes after the first time."""
        for resource in resources or list(LISTS):
            started = datetime.now(UTC)
            filters = {}
            if resource in self.synced_up_to:
                since = self.synced_up_to[resource] - SAFETY_MARGIN
                filters["filter[updated_since]"] = utc_z(since)
            records = self.api.list_all(LISTS[resource], **filters)
            for record in records:
                self.remember(resource, record)
            # `updated_at` is written by the server's clock, which need not agree with ours:
            # never start the next sync later than the newest change this one was shown.
            shown = [datetime.fromisoformat(r["attributes"]["updated_at"]) for r in records]
            newest = max(shown, default=self.synced_up_to.get(resource, started))
            self.synced_up_to[resource] = min(started, newest)

    def remember(self, resource: str, record: Json) -> Json:
        """Take the API's word for one record; return the result's `record` entry."""
        attributes = record["attributes"]
        if resource == "applications":
            self.applications[record["id"]] = attributes["status"]
            return {"id": record["id"], "status": attributes["status"]}
        if resource == "declarations":
            self.declarations[record["id"]] = attributes["state"]
            return {"id": record["id"], "state": attributes["state"]}
        courses = self.enrolments.setdefault(record["id"], {})
        for enrolment in attributes["npq_enrolments"]:
            courses[enrolment["course_identifier"]] = enrolment["training_status"]
        return {"id": record["id"], "training_status": self.training_status(record["id"])}

    def training_status(self, participant_id: str) -> str | None:
        """The status of the enrolment on the course in question (else the first one)."""
        courses = self.enrolments.get(participant_id, {})
        course = self.course_of.get(participant_id)
        return courses.get(course) if course in courses else next(iter(courses.values()), None)

    def refresh(self, resource: str, path: str) -> None:
        """After a refusal, re-read the record: the refusal usually means our view was stale."""
        with contextlib.suppress(Refused):  # e.g. a 404: nothing to refresh
            self.remember(resource, self.api.call("GET", path)["data"])

    # --------------------------------------------------------------------- writing

    def write(self, resource: str, method: str, path: str, body: Json | None = None) -> Json:
        """Send a change; on success take the answer into the view, on refusal re-read."""
        record_path = path.rsplit("/", 1)[0]
        try:
            answer = self.api.call(method, path, body)
        except Refused:
            self.refresh(resource, record_path)
            raise
        return self.remember(resource, answer["data"])

    def accept_application(self, application_id: str, **attributes: Any) -> Json:
        given = {name: value for name, value in attributes.items() if value is not None}
        # The body is optional, but `data` with no attributes is refused: send none at all.
        body = request_body("npq-application-accept", **given) if given else None
        return self.write(
            "applications", "POST", f"/npq-applications/{application_id}/accept", body
        )

    def reject_application(self, application_id: str) -> Json:
        return self.write("applications", "POST", f"/npq-applications/{application_id}/reject")

    def change_funded_place(self, application_id: str, funded_place: bool) -> Json:
        body = request_body("npq-application-change-funded-place", funded_place=funded_place)
        path = f"/npq-applications/{application_id}/change-funded-place"
        return self.write("applications", "PUT", path, body)

    def change_participant(self, action: str, participant_id: str, **attributes: Any) -> Json:
        """Defer, resume, withdraw or change the schedule of one enrolment."""
        self.course_of[participant_id] = attributes["course_identifier"]
        body = request_body(f"participant-{action}", **attributes)
        path = f"/participants/npq/{participant_id}/{action}"
        try:
            return self.write("participants", "PUT", path, body)
        except Refused as refusal:
            kept = self.merged_into(participant_id) if refusal.status == 404 else None
            if kept is None:
                raise
            return self.change_participant(action, kept, **attributes)

    def merged_into(self, participant_id: str) -> str | None:
        """The live id DfE kept for a merged participant id, following the chain of 410s (a
        read of a merged id names the next id; the actions answer 404); None if not merged."""
        chain: list[str] = []
        current = participant_id
        while (following := self.replacement(current)) is not None:
            chain.append(current)
            current = following
            if len(chain) == MAX_MERGE_HOPS:
                return None
        for old in chain:
            self.enrolments.pop(old, None)  # that id is gone for good
            self.merged[old] = current
        return current if chain else None

    def replacement(self, participant_id: str) -> str | None:
        """The id a read's 410 says this one was replaced with; None for any other answer."""
        try:
            self.api.call("GET", f"/participants/npq/{participant_id}")
        except Refused as refusal:
            return replaced_by(participant_id, refusal.body) if refusal.status == 410 else None
        return None

    def void_declaration(self, declaration_id: str) -> Json:
        path = f"/participant-declarations/{declaration_id}/void"
        return self.write("declarations", "PUT", path)

    def submit_declaration(self, **attributes: Any) -> Json:
        """Post a declaration; if an earlier attempt's answer was lost, find what it made."""
        self.course_of[attributes["participant_id"]] = attributes["course_identifier"]
        body = request_body("participant-declaration", **attributes)
        try:
            return self.remember(
                "declarations", self.api.call("POST", "/participant-declarations", body)["data"]
            )
        except Refused as refusal:
            if not (self.api.lost_a_response and refusal.detail == ALREADY_SUBMITTED):
                raise
            existing = self.find_declaration(attributes)
            if existing is None:
                raise
            return self.remember("declarations", existing)

    def find_declaration(self, attributes: Json) -> Json | None:
        """The live declaration of this participant, course and type: our lost one."""
        for record in self.api.list_all(
            "/participant-declarations", **{"filter[participant_id]": attributes["participant_id"]}
        ):
            found = record["attributes"]
            if (
                found["declaration_type"] == attributes["declaration_type"]
                and found["course_identifier"] == attributes["course_identifier"]
                and found["state"] in LIVE_STATES
            ):
                return record
        return None

    def record_outcome(self, participant_id: str, **attributes: Any) -> Json:
        self.course_of[participant_id] = attributes["course_identifier"]
        body = request_body("npq-outcome-confirm", **attributes)
        path = f"/participants/npq/{participant_id}/outcomes"
        try:
            outcome = self.api.call("POST", path, body)["data"]
        except Refused as refusal:
            kept = self.merged_into(participant_id) if refusal.status == 404 else None
            if kept is None:
                raise
            return self.record_outcome(kept, **attributes)
        return {"id": outcome["id"], "state": outcome["attributes"]["state"]}

    # --------------------------------------------------------------------- the protocol

    def perform(self, instruction: Json) -> Json:
        """One instruction in, one result out; a refusal is an outcome, not a crash."""
        parameters = {k: v for k, v in instruction.items() if k not in ("id", "action")}
        actions: dict[str, Callable[..., Json | None]] = {
            "sync": self.sync,
            "accept_application": self.accept_application,
            "reject_application": self.reject_application,
            "change_funded_place": self.change_funded_place,
            "defer_participant": partial(self.change_participant, "defer"),
            "resume_participant": partial(self.change_participant, "resume"),
            "withdraw_participant": partial(self.change_participant, "withdraw"),
            "change_schedule": partial(self.change_participant, "change-schedule"),
            "submit_declaration": self.submit_declaration,
            "void_declaration": self.void_declaration,
            "record_outcome": self.record_outcome,
        }
        result: Json = {"id": instruction["id"]}
        try:
            record = actions[instruction["action"]](**parameters)
        except Refused as refusal:
            believed = self.belief(parameters)
            result.update(outcome="refused", error=refusal.detail)
            return {**result, "record": believed} if believed else result
        except (KeyError, TypeError, ValueError) as error:  # a malformed instruction
            return {**result, "outcome": "refused", "error": f"Cannot perform: {error!r}"}
        result["outcome"] = "done"
        return {**result, "record": record} if record else result

    def belief(self, parameters: Json) -> Json | None:
        """What the view now holds about the record an instruction was about, if anything."""
        if "declaration_id" in parameters:
            state = self.declarations.get(parameters["declaration_id"])
            return {"id": parameters["declaration_id"], "state": state} if state else None
        if "application_id" in parameters:
            status = self.applications.get(parameters["application_id"])
            return {"id": parameters["application_id"], "status": status} if status else None
        participant_id = parameters.get("participant_id")
        participant_id = self.merged.get(participant_id, participant_id)
        training_status = self.training_status(participant_id) if participant_id else None
        if participant_id and training_status and "declaration_type" not in parameters:
            return {"id": participant_id, "training_status": training_status}
        return None

    def view(self) -> Json:
        participants = {pid: self.training_status(pid) for pid in self.enrolments}
        participants = {pid: status for pid, status in participants.items() if status}
        return {
            "applications": dict(self.applications),
            "participants": participants,
            "declarations": dict(self.declarations),
        }


def main() -> int:
    with open(os.environ["NPQ_INSTRUCTIONS"]) as file:
        instructions = json.load(file)["instructions"]
    client = Client(Api(os.environ["NPQ_API_BASE_URL"], os.environ["NPQ_API_TOKEN"]))
    results = [client.perform(instruction) for instruction in instructions]
    with open(os.environ["NPQ_RESULTS"], "w") as file:
        json.dump({"results": results, "view": client.view()}, file, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
