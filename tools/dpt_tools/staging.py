"""Write a model folder all at once: build it under a hidden sibling, rename it into place when complete."""

import contextlib
import os
import shutil
from pathlib import Path


@contextlib.contextmanager
def staged_folder(out: Path, force: bool):
    """Yields a temporary folder next to `out`; on success it becomes `out` (replacing it only with force), on any
    error it is deleted, so a failed or interrupted export never leaves a half-written model folder behind."""
    if out.exists() and not force:
        raise FileExistsError(f"{out} exists; pass --force to replace it")
    out.parent.mkdir(parents=True, exist_ok=True)
    stage = out.parent / f".{out.name}.partial-{os.getpid()}"
    shutil.rmtree(stage, ignore_errors=True)
    stage.mkdir()
    try:
        yield stage
    except BaseException:
        shutil.rmtree(stage, ignore_errors=True)
        raise
    old = out.parent / f".{out.name}.old-{os.getpid()}"
    if out.exists():
        out.rename(old)
    stage.rename(out)  # same directory, so the same file system: an atomic rename
    shutil.rmtree(old, ignore_errors=True)
