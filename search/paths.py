"""Where bundled and user files live."""
from __future__ import annotations

from pathlib import Path

_HERE = Path(__file__).resolve().parent


def _bundled(name: str) -> Path:
    """`search/<name>` inside an installed wheel, else `<name>/` at the top of a source checkout."""
    inside = _HERE / name
    return inside if inside.is_dir() else _HERE.parent / name


def bundled_seeds() -> Path:
    return _bundled("seeds")


def bundled_data() -> Path:
    return _bundled("data")


def config_dir() -> Path:
    from platformdirs import user_config_dir
    return Path(user_config_dir("vnexplore"))
