"""One small export shared by the tests that only read it."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from npq_sandbox.cli import main


def export(out: Path, *options: str) -> Path:
    """Run `npq-sandbox fixtures export` as a user would; fail the test if it fails."""
    result = CliRunner().invoke(main, ["fixtures", "export", "--out", str(out), *options])
    assert result.exit_code == 0, result.output
    return out


def files(root: Path) -> dict[str, bytes]:
    """Every file under `root` by relative path, with its bytes."""
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return export(tmp_path_factory.mktemp("export") / "out", "--seed", "3", "--participants", "16")
