"""The dependency rules are enforced: import-linter keeps every contract of pyproject.toml, and
each contract breaks the build once a module breaks its rule (shown on a copy of the tree with
one offending module added)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _lint_imports(cwd: Path, pythonpath: Path) -> subprocess.CompletedProcess[str]:
    lint = Path(sys.executable).with_name("lint-imports")
    return subprocess.run(
        [str(lint), "--no-cache"],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(pythonpath), "PATH": str(lint.parent)},
        check=False,
    )


def test_the_contracts_hold() -> None:
    result = _lint_imports(ROOT, ROOT / "src")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts: 4 kept, 0 broken." in result.stdout


@pytest.mark.parametrize(
    ("offender", "imports", "named"),
    [
        pytest.param(
            "domain/offender.py",
            "import sqlalchemy",
            "social.domain.offender -> sqlalchemy",
            id="the domain imports a driver",
        ),
        pytest.param(
            "adapters/offender.py",
            "import social.bootstrap",
            "social.adapters.offender -> social.bootstrap",
            id="an adapter reaches into the composition root",
        ),
        pytest.param(
            "domain/accounts/offender.py",
            "import social.domain.posts.model",
            "social.domain.accounts.offender -> social.domain.posts.model",
            id="a low context imports a higher one",
        ),
        pytest.param(
            "adapters/http/offender.py",
            "import redis",
            "social.adapters.http.offender -> redis",
            id="the HTTP edge imports a driver",
        ),
    ],
)
def test_each_contract_breaks_the_build_when_broken(
    tmp_path: Path, offender: str, imports: str, named: str
) -> None:
    shutil.copytree(ROOT / "src" / "social", tmp_path / "src" / "social")
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    (tmp_path / "src" / "social" / offender).write_text(f"{imports}  # noqa: F401\n")
    result = _lint_imports(tmp_path, tmp_path / "src")
    assert result.returncode != 0
    assert "Contracts: 3 kept, 1 broken." in result.stdout, result.stdout
    assert named in result.stdout, result.stdout
