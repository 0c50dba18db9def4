"""Guidance findings: traffic DfE's published data-state rules forbid though its API allows it.

DfE's guidance says a provider must not submit declarations for a deferred participant (it
notifies DfE when the participant resumes), and must send no request about a participant
whose application was rejected. The API checks neither for deferrals, and the sandbox answers
as the API does; DfE's payment checks find such traffic later. The audit reports it as its own
kind of finding, each rule's name starting `guidance-`: a warning, or with `--strict` a
failure. What a record was at a request's moment comes from `npq_conformance.history`, and a
request about a record whose state then is unknown is not reported.

Rules: docs/rules.md §21.
"""

from __future__ import annotations

from npq_conformance import journal as j
from npq_conformance.evidence import Failure
from npq_conformance.history import attributes
from npq_conformance.judging import Findings
from npq_conformance.traffic import Audited, AuditRule, is_declaring, participant_of

PREFIX = "guidance-"


def no_declarations_while_deferred(audited: Audited) -> Findings | None:
    """No declaration is submitted for a participant deferred on its course at the time."""
    declaring = [e for e in audited.items if is_declaring(e)]
    if not declaring:
        return None
    failures = []
    for entry in declaring:
        about = participant_of(entry)
        if about is None or about[1] is None:
            continue
        status = audited.history.training_status(about[0], about[1], j.moment(entry))
        if status == "deferred":
            kind = attributes(entry).get("declaration_type")
            failures.append(
                Failure(
                    f"{j.request(entry)} {j.answer(entry)}: a {j.shown(kind)} declaration for "
                    f"participant {about[0]} on {about[1]}, who was deferred; DfE's guidance "
                    "asks for none until the participant is resumed",
                    (entry,),
                )
            )
    return failures, "no declaration was submitted for a deferred participant"


def no_requests_after_rejection(audited: Audited) -> Findings | None:
    """No request is about a participant's course whose application was rejected by then
    (a request naming no course: every application of the participant)."""
    about = [(e, found) for e in audited.items if (found := participant_of(e))]
    if not about:
        return None
    failures = []
    for entry, (participant_id, course) in about:
        rejected = _rejected_applications(audited, participant_id, course, entry)
        if rejected:
            failures.append(
                Failure(
                    f"{j.request(entry)} {j.answer(entry)}: it is about participant "
                    f"{participant_id}{f' on {course}' if course else ''}, whose application "
                    f"{', '.join(rejected)} was rejected; DfE's guidance asks for no request "
                    "about it",
                    (entry,),
                )
            )
    return failures, "no request was about a participant whose application was rejected"


def _rejected_applications(
    audited: Audited, participant_id: str, course: str | None, entry: j.Entry
) -> list[str]:
    """The participant's applications (on `course`, if given), when all were rejected at the
    request's moment; none when any was not, or is not known to have been."""
    applications = audited.history.applications(participant_id, course)
    when = j.moment(entry)
    if applications and all(audited.history.rejected(a, when) for a in applications):
        return applications
    return []


GUIDANCE: dict[str, AuditRule] = {
    f"{PREFIX}no-declarations-while-deferred": no_declarations_while_deferred,
    f"{PREFIX}no-requests-after-rejection": no_requests_after_rejection,
}
