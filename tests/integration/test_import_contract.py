"""The dependency rule is enforced: import-linter passes, and fails once the domain is broken."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

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
    assert "Contracts: 3 kept, 0 broken." in result.stdout


def test_a_domain_module_importing_a_framework_breaks_the_build(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "src" / "social", tmp_path / "src" / "social")
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    offender = tmp_path / "src" / "social" / "domain" / "offender.py"
    offender.write_text("import sqlalchemy  # noqa: F401\n")
    result = _lint_imports(tmp_path, tmp_path / "src")
    assert result.returncode != 0
    assert "social.domain.offender -> sqlalchemy" in result.stdout
