"""The data set under construction: seeded randomness plus every record built so far."""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, TypeVar

from npq_sandbox.domain.applications import stamps_person
from npq_sandbox.domain.records import (
    Application,
    Contract,
    Declaration,
    DeliveryPartner,
    Outcome,
    Participant,
    ParticipantIdChange,
    Partnership,
    Statement,
    StatementItem,
    TrainingStatusChange,
)
from npq_sandbox.domain.reference import LEAD_PROVIDERS, seed_contracts
from npq_sandbox.seeding.books import PartnerBook, StatementBook

if TYPE_CHECKING:
    from faker import Faker

T = TypeVar("T")
_POOL_SIZE = 250


@dataclass(frozen=True)
class Pools:
    """Values drawn from Faker once, then picked with the seeded generator (Faker is slow)."""

    first_names: tuple[str, ...]
    last_names: tuple[str, ...]
    companies: tuple[str, ...]
    jobs: tuple[str, ...]

    @classmethod
    def draw(cls, fake: Faker) -> Pools:
        """Draw every pool from a seeded Faker."""
        return cls(
            _distinct(fake.first_name),
            _distinct(fake.last_name),
            _distinct(fake.company),
            _distinct(fake.job),
        )


def _distinct(draw: Callable[[], str]) -> tuple[str, ...]:
    found: dict[str, None] = {}
    for _ in range(_POOL_SIZE * 4):
        found.setdefault(draw(), None)
        if len(found) == _POOL_SIZE:
            break
    return tuple(found)


def uuid4_text(bits: int) -> str:
    """`str(uuid.UUID(int=bits, version=4))`, without building a UUID (seeding makes many)."""
    bits = (bits & ~(0xC000 << 48) | 0x8000 << 48) & ~(0xF000 << 64) | 4 << 76
    h = f"{bits:032x}"
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def revise(record: T, **changes: Any) -> T:
    """`dataclasses.replace` for the frozen records, which have no `__post_init__` to re-run.

    Copying the attributes is ten times cheaper than calling `__init__`, and seeding revises
    records hundreds of thousands of times.
    """
    copy = object.__new__(type(record))
    copy.__dict__.update(record.__dict__, **changes)
    return copy


@dataclass
class Dataset:
    """Records in creation order, keyed where later steps replace them (frozen values)."""

    rng: random.Random
    fake: Faker
    pools: Pools
    participants: dict[str, Participant] = field(default_factory=dict)
    id_changes: list[ParticipantIdChange] = field(default_factory=list)
    applications: dict[str, Application] = field(default_factory=dict)
    history: list[TrainingStatusChange] = field(default_factory=list)
    delivery_partners: list[DeliveryPartner] = field(default_factory=list)
    partnerships: list[Partnership] = field(default_factory=list)
    statements: list[Statement] = field(default_factory=list)
    declarations: dict[str, Declaration] = field(default_factory=dict)
    items: dict[str, list[StatementItem]] = field(default_factory=dict)
    outcomes: dict[str, list[Outcome]] = field(default_factory=dict)
    contracts: list[Contract] = field(default_factory=list)
    statement_book: StatementBook = field(default_factory=StatementBook)
    partner_book: PartnerBook = field(default_factory=PartnerBook)
    applications_by_person: dict[str, list[str]] = field(default_factory=dict)
    declarations_by_application: dict[str, list[str]] = field(default_factory=dict)
    people_by_trn: dict[str, list[str]] = field(default_factory=dict)
    trns: set[str] = field(default_factory=set)
    written_participants: int = 0

    @classmethod
    def start(cls, seed: int) -> Dataset:
        """Return an empty data set whose every random choice follows from `seed`."""
        # Imported here: Faker takes a tenth of a second to import, and serving needs none.
        from faker import Faker

        fake = Faker("en_GB")
        fake.seed_instance(seed)
        contracts = [
            Contract(provider.id, cohort, course)
            for provider in LEAD_PROVIDERS
            for cohort, course in sorted(seed_contracts())
        ]
        return cls(rng=random.Random(seed), fake=fake, pools=Pools.draw(fake), contracts=contracts)

    def people_made(self) -> int:
        """Count every participant created, including those already written and forgotten."""
        return self.written_participants + len(self.participants)

    def forget_written(self) -> None:
        """Drop the records just written: later steps never revise them, and memory is finite.

        The books (statements, partnerships) and the TRNs in use are kept.
        """
        self.written_participants += len(self.participants)
        for records in (
            self.participants,
            self.id_changes,
            self.applications,
            self.history,
            self.delivery_partners,
            self.partnerships,
            self.statements,
            self.declarations,
            self.items,
            self.outcomes,
            self.contracts,
            self.applications_by_person,
            self.declarations_by_application,
            self.people_by_trn,
        ):
            records.clear()

    def new_id(self) -> str:
        """Draw a UUID4 from the seeded generator (never from the OS)."""
        return uuid4_text(self.rng.getrandbits(128))

    def chance(self, probability: float) -> bool:
        return self.rng.random() < probability

    def pick(self, choices: Sequence[T]) -> T:
        return self.rng.choice(choices)

    def digits(self, count: int) -> str:
        return f"{self.rng.randrange(10**count):0{count}d}"

    def moment(self, start: datetime, end: datetime) -> datetime:
        """Return a whole-second time in [start, end]; an empty window is a seeding bug."""
        span = int((end - start).total_seconds())
        if span < 0:
            raise ValueError(f"empty time window {start.isoformat()} .. {end.isoformat()}")
        return start + timedelta(seconds=self.rng.randint(0, span))

    def new_trn(self) -> str:
        """Return a 7-digit TRN no one else holds, so duplicates arise only on purpose."""
        while (trn := str(self.rng.randint(1_000_000, 9_999_999))) in self.trns:
            pass
        self.trns.add(trn)
        return trn

    def add_person(self, person: Participant) -> Participant:
        """Store a new person, found again by their TRN when it is verified."""
        self.participants[person.id] = person
        if person.trn and person.trn_verified:
            self.people_by_trn.setdefault(person.trn, []).append(person.id)
        return person

    def add_application(self, application: Application) -> Application:
        """Store a new or changed application, stamping its person as DfE does; return it."""
        before = self.applications.get(application.id)
        if before is None:
            self.applications_by_person.setdefault(application.participant_id, []).append(
                application.id
            )
        if stamps_person(before.status if before else None, application):
            self._stamp(application.participant_id, application.updated_at)
        self.applications[application.id] = application
        return application

    def _stamp(self, person_id: str, at: datetime) -> None:
        # The seed draws each person's timeline out of order; played in order, the person's
        # stamp would end at the latest change, so the latest is kept.
        person = self.participants[person_id]
        if at > person.updated_at:
            self.participants[person_id] = revise(person, updated_at=at)

    def applications_of(self, participant_id: str) -> list[Application]:
        """Return a person's applications, oldest first."""
        ids = self.applications_by_person.get(participant_id, [])
        return [self.applications[i] for i in ids]

    def add_declaration(self, declaration: Declaration) -> Declaration:
        """Store a new or changed declaration and return it."""
        if declaration.id not in self.declarations:
            on = self.declarations_by_application.setdefault(declaration.application_id, [])
            on.append(declaration.id)
        self.declarations[declaration.id] = declaration
        return declaration

    def declarations_of(self, application_id: str) -> list[Declaration]:
        """Return the declarations on an application, oldest first."""
        ids = self.declarations_by_application.get(application_id, [])
        return [self.declarations[i] for i in ids]

    def related(self, application: Application) -> list[Application]:
        """Return the other applications of the person and of anyone sharing their verified TRN.

        These are what the accept rule weighs (see `domain.applications.accept`).
        """
        person = self.participants[application.participant_id]
        twins = self.people_by_trn.get(person.trn or "", []) if person.trn_verified else []
        people = dict.fromkeys([person.id, *twins])
        return [
            other
            for someone in people
            for other in self.applications_of(someone)
            if other.id != application.id
        ]
