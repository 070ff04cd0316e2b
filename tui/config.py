"""User settings in config.yaml: remapped keys (by binding id) and the chosen theme."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from search.paths import config_dir, write_atomic

FILE_NAME = "config.yaml"
DEFAULT_THEME = "textual-dark"


def default_path() -> Path:
    return config_dir() / FILE_NAME


@dataclass
class Config:
    path: Path
    theme: str = DEFAULT_THEME
    keys: dict[str, str] = field(default_factory=dict)    # binding id -> "key1,key2"
    problem: str | None = None                            # why the file could not be read

    def save(self) -> None:
        """Write the file atomically, keeping other keys a user may have added."""
        import yaml
        data = _read(self.path)[0] or {}
        data["theme"] = self.theme
        if self.keys:
            data["keys"] = dict(self.keys)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        text = "# vnexplore settings. keys: binding id -> keys, e.g. reader.next_hit: n,ctrl+n\n"
        text += yaml.safe_dump(data, sort_keys=True, allow_unicode=True)
        write_atomic(self.path, text)


def _read(path: Path) -> tuple[dict | None, str | None]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None, None
    except (OSError, UnicodeDecodeError) as e:
        return None, f"cannot read {path}: {e}"
    from search.yamlsafe import load_yaml     # only when there is a file: a faster first paint
    data, problem = load_yaml(text)
    if problem:
        return None, problem.about(path, "")
    if data is None:
        return {}, None
    if not isinstance(data, dict):
        return None, f"{path} should be a mapping of settings"
    return data, None


def load(path: Path | None = None) -> Config:
    """The settings, or defaults with a `problem` when the file is unreadable. Never raises."""
    path = Path(path) if path else default_path()
    data, problem = _read(path)
    config = Config(path, problem=problem)
    if not data:
        return config
    theme = data.get("theme")
    if isinstance(theme, str) and theme.strip():
        config.theme = theme.strip()
    keys = data.get("keys")
    if isinstance(keys, dict):
        for binding_id, value in keys.items():
            if isinstance(value, list):
                value = ",".join(str(v) for v in value)
            if isinstance(binding_id, str) and isinstance(value, str) and value.strip():
                config.keys[binding_id] = value.replace(" ", "")
    elif keys is not None:
        config.problem = f"{path}: 'keys' should map binding ids to keys"
    return config
