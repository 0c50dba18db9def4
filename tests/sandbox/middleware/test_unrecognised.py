"""What is kept of the Authorization header of a request without a provider's token.

docs/rules.md §18.17; the requests themselves are shown on the dashboard's journal page
(tests/sandbox/web/test_journal.py).
"""

from __future__ import annotations

import pytest
from npq_sandbox.middleware.journal import credential


@pytest.mark.parametrize(
    ("header", "kept"),
    [
        ("", None),
        ("   ", None),
        ("Bearer ambition-tokn", "Bearer ambi… (13 characters)"),
        ("Basic dXNlcjpwYXNz", "Basic dXNl… (12 characters)"),
        ("Bearer abcdef", "Bearer ab… (6 characters)"),
        ("Bearer ab", "Bearer … (2 characters)"),
        ("Token x", "Token … (1 character)"),
        ("ambition-token", "ambi… (14 characters), without a scheme such as Bearer"),
        ("Bearer", "Bearer, without a token"),
    ],
)
def test_a_header_is_kept_without_its_token(header: str, kept: str | None) -> None:
    assert credential(header) == kept
