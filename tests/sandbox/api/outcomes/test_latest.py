"""Which outcome is the latest when several are recorded in one second: docs/rules.md §9.2.

Timestamps are kept to the second, as the API shows them; DfE's are finer, so its newest
outcome is the one recorded last. Ties here are broken by the order of recording.
"""

from __future__ import annotations

from flask.testing import FlaskClient

from tests.helpers import Cases, data, mine
from tests.sandbox.api.outcomes.test_record import completed, record, result, shown


def test_the_outcome_recorded_last_in_the_same_second_is_the_latest(
    fresh_client: FlaskClient, fresh_cases: Cases
) -> None:
    declaration_id = mine(fresh_cases, "outcome_passed_declaration")
    person, course = completed(fresh_client, fresh_cases, "outcome_passed_declaration")
    # Every call runs at the same frozen instant; each state differs from the one before, so
    # each records a new outcome.
    for state in ("failed", "passed") * 4:
        recorded = data(record(fresh_client, person, result(course, state=state)))
        assert recorded["attributes"]["state"] == state
        assert shown(fresh_client, declaration_id)["has_passed"] is (state == "passed")
