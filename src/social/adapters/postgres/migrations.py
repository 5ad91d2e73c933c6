"""Apply Alembic migrations from ``migrations/`` (``social migrate`` and embedded start-up)."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory

__all__ = ["alembic_config", "downgrade", "revisions", "upgrade"]


def _script_location() -> Path:
    """The repository's ``migrations/`` (source checkout) or the copy packaged in the wheel."""
    source = Path(__file__).resolve().parents[4] / "migrations"
    if (source / "env.py").exists():
        return source
    packaged = Path(str(resources.files("social") / "_migrations"))
    if (packaged / "env.py").exists():
        return packaged
    raise FileNotFoundError("migrations/ not found next to the source or in the package")


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(_script_location()))
    config.attributes["url"] = url
    return config


def upgrade(url: str, revision: str = "head") -> None:
    """Blocking; run it in a thread from async code (Alembic starts its own event loop)."""
    command.upgrade(alembic_config(url), revision)


def downgrade(url: str, revision: str) -> None:
    command.downgrade(alembic_config(url), revision)


def revisions(url: str = "postgresql+asyncpg://unused") -> list[str]:
    """Every revision id from base to head, oldest first."""
    script = ScriptDirectory.from_config(alembic_config(url))
    return [rev.revision for rev in reversed(list(script.walk_revisions()))]
