"""Handlers are type-checked against their use cases: a wrong argument to ``execute`` in a
handler fails ``mypy`` (the use cases were once ``Any`` at the HTTP edge)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

HANDLER = '''\
"""A handler as the controllers write them: one right call, one wrong."""

from litestar import post

from social.adapters.http.dependencies import Injected
from social.domain.posts.create_post import CreatePost, CreatePostCommand
from social.domain.shared.identity import Viewer


@post("/posts")
async def create(create_post: Injected[CreatePost], viewer: Injected[Viewer]) -> None:
    command = CreatePostCommand(caption="hi", media_ids=(), tags=(), place=None)
    await create_post.execute(viewer, command)
    await create_post.execute(viewer, "a caption")  # line 14: not a command
'''


def test_a_wrong_argument_to_a_use_case_fails_mypy(tmp_path: Path) -> None:
    handler = tmp_path / "handler.py"
    handler.write_text(HANDLER)
    mypy = Path(sys.executable).with_name("mypy")
    result = subprocess.run(
        [str(mypy), "--config-file", str(ROOT / "pyproject.toml"), str(handler)],
        cwd=ROOT,
        env={**os.environ, "MYPYPATH": str(ROOT / "src")},  # the project's source, checked
        capture_output=True,
        text=True,
        check=False,
    )
    errors = [line for line in result.stdout.splitlines() if ": error:" in line]
    assert result.returncode == 1, result.stdout + result.stderr
    assert len(errors) == 1, errors  # the right call passes: the check is not blind
    # (mypy may name the file of an earlier run when it reuses its cache: the line says enough)
    assert 'handler.py:14: error: Argument 2 to "execute" of "CreatePost"' in errors[0], errors
