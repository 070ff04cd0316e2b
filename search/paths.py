"""Where bundled and user files live."""
from __future__ import annotations

import os
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


def write_atomic(path: Path, text: str) -> None:
    """Write a file so a reader sees the old or the new content, never half (user data, manifests)."""
    import os
    import tempfile
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def child_env() -> dict:
    """The environment for a `python -m search...` child: this very copy of vnexplore first
    on its import path (an installed one elsewhere must not answer instead)."""
    here = str(Path(__file__).resolve().parent.parent)
    return dict(os.environ, PYTHONPATH=os.pathsep.join(
        filter(None, [here, os.environ.get("PYTHONPATH")])))
