"""`error-surfaced` judges the text, not the punctuation (issue item 3)."""

from __future__ import annotations

from typing import Any

import pytest
from npq_conformance.judging import Verdict, judge

from tests.conformance.journals import (
    ACCEPT,
    ACCEPTED,
    APP,
    REJECTED,
    Journal,
    accept,
    refusal,
    result,
    results,
    scenario,
    verdict,
)

OTHER = "The participant has already had an application accepted for this course."
STORY = (
    f"step accept (application {APP}): POST /api/v3{ACCEPT} answered 422 "
    f'"{REJECTED}", "{OTHER}" but the client'
)


def surfaced(error: Any) -> Verdict:
    journal = Journal().add("POST", ACCEPT, 422, answer=refusal(REJECTED, OTHER))
    reported = result("accept", "refused")
    if error is not None:
        reported["error"] = error
    found = judge(scenario(accept()), journal.items, results(reported), ACCEPTED)
    return verdict(found, "error-surfaced")


@pytest.mark.parametrize(
    "error",
    [
        f"{REJECTED}\n{OTHER}",
        f"{OTHER}; {REJECTED}",
        f"HTTP 422: {REJECTED} | {OTHER}",
        [REJECTED, OTHER],
        [OTHER, REJECTED],
    ],
    ids=["newline", "any-order", "own-words-around", "list", "list-any-order"],
)
def test_every_detail_verbatim_passes_whatever_the_separator(error: Any) -> None:
    assert surfaced(error).passed


@pytest.mark.parametrize(
    ("error", "ending"),
    [
        (REJECTED, f' reported the error "{REJECTED}", which lacks "{OTHER}"'),
        ([OTHER], f' reported the error ["{OTHER}"], which lacks "{REJECTED}"'),
        (
            f"{REJECTED.lower()}\n{OTHER}",
            f' reported the error "{REJECTED.lower()}\\n{OTHER}", which lacks "{REJECTED}"',
        ),
        (
            "HTTP 422",
            f' reported the error "HTTP 422", which lacks "{REJECTED}", "{OTHER}"',
        ),
        (None, " reported no error"),
        (
            {"error": REJECTED},
            f' reported the error {{"error": "{REJECTED}"}}, which is not text',
        ),
    ],
    ids=["one-missing", "list-missing", "changed", "own-words", "no-error", "not-text"],
)
def test_a_missing_or_changed_detail_fails_naming_it(error: Any, ending: str) -> None:
    found = surfaced(error)
    assert (found.passed, found.reason) == (False, STORY + ending)
    assert [e["status"] for e in found.evidence] == [422]
