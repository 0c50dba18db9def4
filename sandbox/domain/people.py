"""DfE's admin operations on a person: edit, archive, and merge two records of one person.

A change to a person stamps their `updated_at`, which plays DfE's `significantly_updated_at`
(DfE's user model touches it after every committed change), so the person and their
applications come back in every provider's next `filter[updated_since]` sync.

Rules: docs/rules.md §18.10 and §18.11.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from npq_sandbox.domain import messages as m
from npq_sandbox.domain.errors import Problems, ValidationFailed
from npq_sandbox.domain.records import Application, Participant, ParticipantIdChange

EDIT = ("full_name", "email", "trn", "trn_verified")
MERGE = ("from_participant_id", "to_participant_id")
_TRN = re.compile(r"\d{7}")


def edit(
    person: Participant, given: Mapping[str, Any], *, email_taken: bool, now: datetime
) -> Participant:
    """Change a person's name, e-mail, TRN or TRN verification.

    A new name keeps the old one in `previous_names`. A new TRN without `trn_verified` counts
    as verified, as DfE's ChangeTrn marks it. `email_taken`: another person has that e-mail.
    """
    problems = Problems()
    if not any(name in given for name in EDIT):
        problems.add("base", m.SANDBOX_PERSON_ATTRIBUTES)
    name = _text(given, "full_name", person.full_name, problems)
    email = _text(given, "email", person.email, problems)
    if email_taken and "email" in given:
        problems.add("email", m.SANDBOX_EMAIL_TAKEN)
    trn = _trn(given, person.trn, problems)
    verified = _verified(given, person, problems)
    problems.raise_any()
    renamed = name != person.full_name
    previous = (*person.previous_names, person.full_name) if renamed else person.previous_names
    return replace(
        person,
        full_name=name or person.full_name,
        email=email,
        trn=trn,
        trn_verified=verified,
        previous_names=previous,
        updated_at=now,
    )


def _text(given: Mapping[str, Any], name: str, current: Any, problems: Problems) -> Any:
    if name not in given:
        return current
    value = given[name]
    if isinstance(value, str) and value.strip():
        return value.strip()
    problems.add(name, m.sandbox_must_be_text(name))
    return current


def _trn(given: Mapping[str, Any], current: str | None, problems: Problems) -> str | None:
    if "trn" not in given:
        return current
    value = given["trn"]
    # DfE's ChangeTrn strips the spaces a TRN is often typed with.
    if isinstance(value, str) and _TRN.fullmatch(value.replace(" ", "")):
        return value.replace(" ", "")
    problems.add("trn", m.SANDBOX_PERSON_TRN)
    return current


def _verified(given: Mapping[str, Any], person: Participant, problems: Problems) -> bool:
    value = given.get("trn_verified")
    if value is None:
        return True if "trn" in given else person.trn_verified
    if isinstance(value, bool):
        return value
    problems.add("trn_verified", m.sandbox_must_be_boolean("trn_verified"))
    return person.trn_verified


def archive(person: Participant, *, now: datetime) -> Participant:
    """Archive a person: their e-mail goes (it may be reused), so their records show none.

    DfE keeps the archived address aside, out of the API's sight; a person without an e-mail
    counts as archived here, so archiving twice is refused.
    """
    if person.email is None:
        raise ValidationFailed([("base", m.SANDBOX_ALREADY_ARCHIVED)])
    return replace(person, email=None, updated_at=now)


@dataclass(frozen=True)
class Merge:
    """What a merge saves: the moved applications and id changes, the new change, the archived."""

    applications: tuple[Application, ...]
    id_changes: tuple[ParticipantIdChange, ...]
    archived: Participant


def check_merge(given: Mapping[str, Any]) -> tuple[str, str]:
    """Read the two ids of a merge; they must be two different strings."""
    problems = Problems()
    ids = [given.get(name) for name in MERGE]
    for name, value in zip(MERGE, ids, strict=True):
        if not isinstance(value, str) or not value.strip():
            problems.add(name, m.sandbox_must_be_text(name))
    if not problems and ids[0] == ids[1]:
        problems.add("to_participant_id", m.SANDBOX_MERGE_SAME)
    problems.raise_any()
    return str(ids[0]), str(ids[1])


def merge(
    source: Participant,
    kept: Participant,
    *,
    applications: Sequence[Application],
    id_changes: Sequence[ParticipantIdChange],
    change_id: str,
    now: datetime,
) -> Merge:
    """Merge `source` into `kept`, as DfE's merge of two users does (docs/rules.md §18.10).

    The source's applications and the id changes it owns move to the kept person, a change
    `source -> kept` is added, and the source is archived.
    """
    moved = tuple(replace(a, participant_id=kept.id, updated_at=now) for a in applications)
    # DfE's `Users::MergeAndArchive` moves a change with `update!(user: to_user)`: its owner
    # changes, its own `from` and `to` do not. After A into B then B into C, A still answers
    # 410 naming B, and B names C: a client follows the chain.
    earlier = tuple(replace(c, participant_id=kept.id, updated_at=now) for c in id_changes)
    change = ParticipantIdChange(change_id, source.id, kept.id, kept.id, now, now)
    archived = replace(source, email=None, updated_at=now)
    return Merge(moved, (*earlier, change), archived)
