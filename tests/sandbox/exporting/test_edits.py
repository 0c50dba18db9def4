"""`fixtures load` applies edits to per-resource files and refuses edits to computed values."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from npq_sandbox.cli import main

from tests.sandbox.exporting.conftest import export, files

FOLDER = "ambition-institute"


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("small") / "out"
    return export(out, "--participants", "0", "--provider", FOLDER)


def copy(small: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(small, tmp_path / "edited"))


def edit(export_dir: Path, resource: str, change: Any) -> Path:
    """Rewrite one resource file, one record per line as the exporter writes it."""
    path = export_dir / FOLDER / f"{resource}.json"
    records = json.loads(path.read_bytes())["data"]
    change(records)
    lines = ",\n".join(json.dumps(r, ensure_ascii=False, separators=(",", ":")) for r in records)
    path.write_bytes(('{"data":[\n' + lines + "\n]}\n").encode())
    return path


def by_id(path: Path) -> dict[str, Any]:
    return {r["id"]: r for r in json.loads(path.read_bytes())["data"]}


def load(source: Path, db: Path) -> Result:
    return CliRunner().invoke(main, ["fixtures", "load", str(source), "--db", str(db)])


def test_plain_edits_load_back_and_export_again_as_edited(small: Path, tmp_path: Path) -> None:
    edited = copy(small, tmp_path)

    def rename(records: list[Any]) -> None:
        records[0]["attributes"].update(
            full_name="Ada Lovelace",
            email="ada@example.com",
            school_urn="123456",
            employer_name="Analytical Engines Ltd",
        )

    edit(edited, "applications", rename)
    edit(edited, "delivery-partners", lambda r: r[0]["attributes"].update(name="Demo Partners"))
    person = json.loads((edited / FOLDER / "applications.json").read_bytes())["data"][0]
    result = load(edited, tmp_path / "sandbox.db")
    assert result.exit_code == 0, result.output
    again = export(tmp_path / "again", "--db", str(tmp_path / "sandbox.db"), "--provider", FOLDER)
    name = "applications.json"
    assert (again / FOLDER / name).read_bytes() == (edited / FOLDER / name).read_bytes()
    # Delivery partners are listed by name, so a new name may move its record.
    name = "delivery-partners.json"
    assert by_id(again / FOLDER / name) == by_id(edited / FOLDER / name)
    participants = json.loads((again / FOLDER / "participants.json").read_bytes())["data"]
    names = {p["id"]: p["attributes"]["full_name"] for p in participants}
    if person["attributes"]["participant_id"] in names:
        assert names[person["attributes"]["participant_id"]] == "Ada Lovelace"


def test_an_unedited_export_loads_to_the_same_bytes(small: Path, tmp_path: Path) -> None:
    assert load(small, tmp_path / "sandbox.db").exit_code == 0
    again = export(tmp_path / "again", "--db", str(tmp_path / "sandbox.db"), "--provider", FOLDER)
    assert files(again) == files(small)


REFUSED = {
    "a status": (
        "applications",
        lambda r: r[0]["attributes"].update(status="not-a-status"),
        "attribute status is computed by the API",
    ),
    "a timestamp": (
        "participants",
        lambda r: r[0]["attributes"].update(updated_at="2020-01-01T00:00:00Z"),
        "attribute updated_at is computed by the API",
    ),
    "a statement link": (
        "declarations",
        lambda r: r[0]["attributes"].update(statement_id="no-such-statement"),
        "attribute statement_id is computed by the API",
    ),
    "a nested state": (
        "participants",
        lambda r: r[0]["attributes"]["npq_enrolments"][0].update(training_status="x"),
        "attribute npq_enrolments.0.training_status is computed by the API",
    ),
    "an id": (
        "statements",
        lambda r: r[0].update(id="00000000-0000-4000-8000-000000000000"),
        "was removed; records cannot be removed",
    ),
    "a name that is no text": (
        "applications",
        lambda r: r[0]["attributes"].update(full_name=7),
        "attribute full_name must be text",
    ),
}


@pytest.mark.parametrize("case", REFUSED, ids=list(REFUSED))
def test_edits_to_computed_values_are_refused_naming_file_record_and_attribute(
    small: Path, tmp_path: Path, case: str
) -> None:
    resource, change, problem = REFUSED[case]
    edited = copy(small, tmp_path)
    record = json.loads((edited / FOLDER / f"{resource}.json").read_bytes())["data"][0]["id"]
    edit(edited, resource, change)
    db = tmp_path / "sandbox.db"
    CliRunner().invoke(main, ["seed", "--db", str(db), "--seed", "9", "--participants", "0"])
    before = db.read_bytes()
    result = load(edited, db)
    assert result.exit_code == 2
    line = result.output.splitlines()[-1]
    assert line.startswith(f"Error: {FOLDER}/{resource}.json: record {record}"), line
    assert problem in line and "Traceback" not in result.output
    assert db.read_bytes() == before  # nothing loaded


def test_one_value_edited_two_ways_is_refused(small: Path, tmp_path: Path) -> None:
    edited = copy(small, tmp_path)
    applications = json.loads((edited / FOLDER / "applications.json").read_bytes())["data"]
    person = applications[0]["attributes"]["participant_id"]
    theirs = [i for i, a in enumerate(applications) if a["attributes"]["participant_id"] == person]
    participants = json.loads((edited / FOLDER / "participants.json").read_bytes())["data"]
    if not any(p["id"] == person for p in participants):
        pytest.fail("the first application's person should be a participant in this seed")
    edit(edited, "applications", lambda r: r[theirs[0]]["attributes"].update(full_name="One"))
    edit(
        edited,
        "participants",
        lambda r: next(p for p in r if p["id"] == person)["attributes"].update(full_name="Two"),
    )
    result = load(edited, tmp_path / "sandbox.db")
    assert result.exit_code == 2
    assert "'Two'" in result.output and "'One'" in result.output
