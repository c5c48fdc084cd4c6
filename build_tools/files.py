"""Writing files atomically: a temporary file in the same folder, flushed, then renamed."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_atomic(path: Path, data: str | bytes, *, overwrite: bool = True,
                 durable: bool = True) -> None:
    """Write `data` to `path` so that readers see the old file or the new one, never half.

    With overwrite=False, raise FileExistsError when `path` exists (checked again at the
    moment of the rename, with a hard link, so two writers cannot both win). durable=False
    skips the fsync: for caches, which are rebuilt when lost, the rename alone is enough.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
        if overwrite:
            os.replace(tmp, path)
        else:
            os.link(tmp, path)  # fails with FileExistsError if someone got there first
            os.unlink(tmp)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
