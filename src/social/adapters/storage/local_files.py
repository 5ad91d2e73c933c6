"""The files behind the local-disk storage: where a key's bytes and metadata live, atomic
writes, and the folder walk that lists keys. Everything here is blocking file I/O; the storage
runs it in worker threads.

Key ``media/42/original`` lives in ``root/media/42/original@object`` with its content type in
``root/media/42/original@meta.json``. Keys never contain ``@`` (see ``object_keys``), so no key's
files can collide with another key's folders (``a`` and ``a/b`` may coexist), and temp files
(``.original@object.<random>.tmp``) can never be mistaken for objects.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import BinaryIO

from social.adapters.storage.object_keys import is_valid_key

__all__ = [
    "PendingFile",
    "commit_object",
    "list_folder",
    "object_paths",
    "probe_writable",
    "read_content_type",
    "remove_object",
]

_DATA_SUFFIX = "@object"
_META_SUFFIX = "@meta.json"
_DEFAULT_CONTENT_TYPE = "application/octet-stream"


def object_paths(root: Path, key: str) -> tuple[Path, Path]:
    """The files of a (valid) key: its bytes and its metadata."""
    *folders, name = key.split("/")
    folder = root.joinpath(*folders)
    return folder / f"{name}{_DATA_SUFFIX}", folder / f"{name}{_META_SUFFIX}"


class PendingFile:
    """A temp file beside its target; ``commit`` makes it visible atomically (temp file, fsync,
    ``os.replace``): readers see the old bytes or the new ones, never half of them."""

    __slots__ = ("_file", "_path", "_target")

    def __init__(self, target: Path) -> None:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
        self._file: BinaryIO = os.fdopen(fd, "wb")
        self._path = Path(name)
        self._target = target

    def write(self, data: bytes | bytearray | memoryview) -> None:
        self._file.write(data)

    def commit(self) -> None:
        self._file.flush()
        os.fsync(self._file.fileno())
        self._file.close()
        os.replace(self._path, self._target)

    def discard(self) -> None:
        self._file.close()
        self._path.unlink(missing_ok=True)


def commit_object(pending: PendingFile, meta_path: Path, content_type: str) -> None:
    """Metadata first, then the bytes: an object is visible only once both are in place."""
    meta = PendingFile(meta_path)
    try:
        meta.write(json.dumps({"content_type": content_type}).encode())
        meta.commit()
    except BaseException:
        meta.discard()
        raise
    pending.commit()


def read_content_type(meta_path: Path) -> str:
    try:
        meta = json.loads(meta_path.read_bytes())
    except (OSError, ValueError):
        return _DEFAULT_CONTENT_TYPE
    content_type = meta.get("content_type") if isinstance(meta, dict) else None
    return content_type if isinstance(content_type, str) else _DEFAULT_CONTENT_TYPE


def remove_object(data_path: Path, meta_path: Path) -> None:
    # Bytes first: once they are gone the object no longer exists, whatever happens next.
    data_path.unlink(missing_ok=True)
    meta_path.unlink(missing_ok=True)


def list_folder(root: Path, folder: str) -> tuple[list[str], list[str]]:
    """The keys stored directly in ``folder`` (a key prefix without its trailing slash, or
    "" for the root) and the keys of its subfolders, each sorted; only ``…@object`` files whose
    names make valid keys count (never metadata, temp files or anything else in the tree)."""
    path = root.joinpath(*folder.split("/")) if folder else root
    keys: list[str] = []
    folders: list[str] = []
    try:
        with os.scandir(path) as listing:
            entries = sorted(listing, key=lambda entry: entry.name)
    except (FileNotFoundError, NotADirectoryError):
        return keys, folders
    for entry in entries:
        if entry.is_dir(follow_symlinks=False):
            found, name = folders, entry.name
        elif entry.name.endswith(_DATA_SUFFIX) and entry.is_file(follow_symlinks=False):
            found, name = keys, entry.name.removesuffix(_DATA_SUFFIX)
        else:
            continue
        child = f"{folder}/{name}" if folder else name
        if is_valid_key(child):  # no valid key is (or lives under) anything else
            found.append(child)
    return keys, folders


def probe_writable(root: Path) -> None:
    """Readiness: the root is a folder and a file can actually be created in it."""
    if not root.is_dir():
        raise RuntimeError(f"storage root {root} is not a directory")
    with tempfile.NamedTemporaryFile(dir=root, prefix=".probe@", suffix=".tmp") as probe:
        probe.write(b"ok")
        probe.flush()
