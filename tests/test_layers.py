"""The package boundaries (.importlinter), checked with import-linter: search never imports
Textual, only search.cli imports Rich, only search.index imports Whoosh, the layers inside
search (cli > engine > entities > timeline > index > corpus > model, paths, yamlsafe), tui
above search, and no import cycles between sibling packages or modules. Imports made inside
functions count. The second test breaks each contract in a copy of the code and checks that
the failure names the contract and the offending module."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LINT = Path(sys.executable).with_name("lint-imports")


def lint(folder: Path) -> subprocess.CompletedProcess:
    """lint-imports on the code in `folder` (it puts the folder first on the path)."""
    return subprocess.run([str(LINT), "--no-cache", "--no-logo"], cwd=folder, text=True,
                          capture_output=True, timeout=120)


def test_the_import_contracts_hold():
    out = lint(ROOT)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "0 broken" in out.stdout


BREAKS = {   # contract's name: (file in a copy of the code, what it holds, module named)
    "only search.index imports whoosh":
        ("search/corpus/probe.py", "import whoosh\n", "search.corpus.probe -> whoosh"),
    "only search.cli imports rich":
        ("search/timeline/probe.py", "from rich.text import Text\n",
         "search.timeline.probe -> rich"),
    "search never imports textual":     # inside a function: seen all the same
        ("search/index/probe.py", "def later():\n    import textual\n",
         "search.index.probe -> textual"),
    "layers inside search":             # the index reaching up into the entities
        ("search/index/probe.py", "def hook():\n    from search.entities import mentions\n",
         "search.index.probe -> search.entities.mentions"),
    "tui above search":
        ("search/corpus/probe.py", "import tui.config\n", "search.corpus.probe -> tui.config"),
    "no import cycles":                 # common is below main: a way back up is a cycle
        ("search/cli/common.py", "def later():\n    from search.cli import main\n",
         ".common -> .main"),
}


@pytest.fixture(scope="module")
def copy(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("code")
    for name in ("search", "tui"):
        shutil.copytree(ROOT / name, folder / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / ".importlinter", folder)
    return folder


@pytest.mark.parametrize("contract", sorted(BREAKS))
def test_a_broken_contract_fails_with_its_name_and_the_import(copy, contract):
    path, code, named = BREAKS[contract]
    target = copy / path
    before = target.read_text(encoding="utf-8") if target.exists() else None
    target.write_text((before or "") + code, encoding="utf-8")
    try:
        out = lint(copy)
    finally:
        if before is None:
            target.unlink()
        else:
            target.write_text(before, encoding="utf-8")
    assert out.returncode == 1, out.stdout + out.stderr
    broken = out.stdout.split("Broken contracts", 1)[-1]
    assert contract in broken and named in broken, out.stdout
    assert "1 broken" in out.stdout, out.stdout     # that one only


def test_a_new_module_in_search_must_be_given_a_layer(copy):
    (copy / "search" / "probe.py").write_text("X = 1\n", encoding="utf-8")
    try:
        out = lint(copy)
    finally:
        (copy / "search" / "probe.py").unlink()
    assert out.returncode == 1 and "search.probe" in out.stdout.split("Broken contracts", 1)[-1]


def test_the_index_keeps_only_what_the_engine_hands_it(tmp_path):
    """The store no longer reaches up for the gazetteer: without a hook it indexes no entity
    names and stores no entity records; the engine hands it the gazetteer's hook."""
    from search.engine import Engine
    from search.index.store import IndexStore
    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / "a.txt").write_text("Ties with Japan\n\nVietnam and Japan upgraded their ties to a "
                                  "comprehensive strategic partnership in November 2023.\n",
                                  encoding="utf-8")
    bare = IndexStore([corpus], tmp_path / "bare")
    bare.update()
    assert bare.extracted() is None and bare.analysis == ""
    assert list(bare.searcher().lexicon("entity")) == []
    bare.close()
    engine = Engine([corpus], tmp_path / "ix")
    engine.update()
    records, _ = engine.store.extracted()
    assert list(records) == ["a"] and engine.store.analysis
    assert "japan" in [t.decode() for t in engine.searcher.lexicon("entity")]
    engine.close()
