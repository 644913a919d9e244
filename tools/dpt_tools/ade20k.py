"""ADE20K SceneParsing class names, index = network class index (ADE id - 1).

Read from the project's own list, models/ade20k.json (`classes`), so the tools and the CLI share one copy.
"""

import json
from pathlib import Path

_SOURCE = Path(__file__).resolve().parents[2] / "models" / "ade20k.json"


def _load() -> tuple[str, ...]:
    try:
        classes = json.loads(_SOURCE.read_text(encoding="utf-8"))["classes"]
    except FileNotFoundError as error:
        raise SystemExit(f"{_SOURCE} is missing: the ADE20K class names come from it") from error
    if len(classes) != 150:
        raise SystemExit(f"{_SOURCE}: expected 150 classes, got {len(classes)}")
    return tuple(classes)


ADE20K_CLASSES: tuple[str, ...] = _load()
