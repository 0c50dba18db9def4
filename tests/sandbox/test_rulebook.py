"""docs/rules.md: its generated blocks are current, and what cites it finds its sections."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from npq_sandbox import rulebook
from npq_sandbox.domain import messages

ROOT = Path(__file__).resolve().parents[2]
HEADING = re.compile(r"^#{2,3} (\d+(?:\.\d+)?)[. ]", re.MULTILINE)
CITATION = re.compile(r"§(\d+(?:\.\d+)?)")
SCENARIO_TEST = re.compile(r"def test_([a-i]\d+)_")


def rules_text() -> str:
    return rulebook.RULES.read_text(encoding="utf-8")


def sources(*folders: str) -> list[Path]:
    return [path for folder in folders for path in sorted((ROOT / folder).rglob("*.py"))]


def test_generated_blocks_are_current() -> None:
    assert rulebook.stale_blocks(rules_text()) == [], "run `make docs`"


def test_every_block_is_in_the_rules_once() -> None:
    names = rulebook.block_names(rules_text())
    assert sorted(names) == sorted(rulebook.BLOCKS)


def test_a_stale_block_is_found_and_rewritten(tmp_path: Path) -> None:
    current = rules_text()
    copy = tmp_path / "rules.md"
    copy.write_text(current.replace("| `ambition-token` |", "| `old-token` |"), encoding="utf-8")
    assert rulebook.stale_blocks(copy.read_text(encoding="utf-8")) == ["lead-providers"]
    assert rulebook.main(["--check", str(copy)]) == 1
    assert rulebook.main([str(copy)]) == 0
    assert copy.read_text(encoding="utf-8") == current
    assert rulebook.main(["--check", str(copy)]) == 0


def test_a_new_message_shows_in_the_catalogue(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(messages, "A_NEW_TEXT", "A new text", raising=False)
    assert "| `A_NEW_TEXT` | `A new text` |" in rulebook.messages_dfe()
    assert rulebook.stale_blocks(rules_text()) == ["messages-dfe"]


def test_an_unknown_block_is_refused() -> None:
    with pytest.raises(KeyError, match="nothing-like-this"):
        rulebook.refresh("<!-- generated: nothing-like-this -->\n<!-- end generated -->\n")


def test_message_functions_render_with_placeholders() -> None:
    rendered = rulebook.messages_dfe()
    assert "`The participant_id '<from_id>' has been replaced with '<to_id>'.`" in rendered
    assert '`The filter \'#/training_status\' must be ["active", "deferred", "withdrawn"]`' in (
        rendered
    )


def test_every_cited_section_exists() -> None:
    """A `§N.N` in the code, the tests or the rules themselves names a heading of the rules."""
    sections = set(HEADING.findall(rules_text()))
    texts = [rules_text(), *(p.read_text(encoding="utf-8") for p in sources("sandbox", "tests"))]
    cited = {found for text in texts for found in CITATION.findall(text)}
    assert cited - sections == set()


def test_every_scenario_id_in_a_test_name_is_listed() -> None:
    """Tests named after an edge case (`test_c7_...`) find it under "Edge cases by id"."""
    edge_cases = rules_text().split("## 20. Edge cases by id", 1)[1]
    listed = set(re.findall(r"^\* \*\*([A-I]\d+)\*\*", edge_cases, re.MULTILINE))
    named = {m.upper() for p in sources("tests") for m in SCENARIO_TEST.findall(p.read_text())}
    assert named - listed == set()
