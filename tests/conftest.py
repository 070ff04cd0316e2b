"""Shared fixtures: engines over the bundled seeds and over small corpora written per test."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from search.engine import Engine
from search.paths import bundled_seeds

ROOT = Path(__file__).resolve().parent.parent


def vnexplore(*args, cwd=None, env=None):
    """The command line as a user runs it: a new process, its output and exit code."""
    return subprocess.run([sys.executable, "-m", "tui.main", *args], capture_output=True,
                          text=True, cwd=cwd or ROOT, env={**os.environ, **(env or {})},
                          timeout=120)


@pytest.fixture(autouse=True, scope="session")
def _isolated_user_dirs(tmp_path_factory):
    """Never touch the real user's cache or config while testing."""
    home = tmp_path_factory.mktemp("home")
    os.environ["XDG_CACHE_HOME"] = str(home / "cache")
    os.environ["XDG_CONFIG_HOME"] = str(home / "config")
    yield


@pytest.fixture(scope="session")
def seed_index_dir(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("seed-index")
    Engine([bundled_seeds()], path).update()
    return path


@pytest.fixture(scope="session")
def seeds(seed_index_dir) -> Engine:
    """The bundled corpus, indexed once for the whole session."""
    engine = Engine([bundled_seeds()], seed_index_dir)
    engine.update()
    return engine


def write_files(folder: Path, files: dict[str, str | bytes]) -> Path:
    """Write {relative path: text or bytes} below folder; return folder."""
    for rel, content in files.items():
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return folder


def built_engine(tmp_path_factory, files: dict[str, str | bytes]) -> Engine:
    """An engine over `files` written to a fresh folder, its index built (for module fixtures)."""
    root = write_files(tmp_path_factory.mktemp("corpus"), files)
    engine = Engine([root], tmp_path_factory.mktemp("ix"))
    engine.update()
    return engine
