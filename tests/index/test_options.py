"""How the index is written is a value (IndexOptions) handed from the Engine down, and
importing the engine does no work (no fork hook installed until a parallel build)."""
from __future__ import annotations

import json
import os
import subprocess
import sys

from conftest import ROOT
from search import buildchild
from search.engine import Engine
from search.index import buildproc
from search.index.score import bulk
from search.index.write.options import IndexOptions
from search.paths import bundled_seeds


def _blocks(engine: Engine, word: str) -> list[int]:
    """How many postings each block of a word holds, segment by segment."""
    reader = engine.searcher.reader()
    out = []
    for leaf in [reader] if reader.is_atomic() else [r for r, _ in reader.leaf_readers()]:
        m = bulk.matcher(leaf, "text", word)[0]
        out += [len(m.read_block(offset)[0]) for _, _, offset in m.block_bounds()]
    return out


def test_block_size_comes_from_the_options_not_a_module_constant(tmp_path):
    small = Engine([bundled_seeds()], tmp_path / "small", options=IndexOptions(block_postings=3))
    usual = Engine([bundled_seeds()], tmp_path / "usual")
    try:
        blocks = _blocks(small, "vietnam")
        assert len(blocks) > 10 and set(blocks[:-1]) == {3} and blocks[-1] <= 3
        assert sum(_blocks(usual, "vietnam")) == sum(blocks)
        assert max(_blocks(usual, "vietnam")) > 3
        assert small.search("Vietnam", limit=5).hits == usual.search("Vietnam", limit=5).hits
    finally:
        small.close()
        usual.close()


def test_the_child_process_writes_with_the_parents_options(tmp_path, capsys):
    """The app hands a big update to `python -m search.buildchild`: with its options."""
    options = IndexOptions(block_postings=5)
    assert options.to_args() == {"block_postings": 5} and IndexOptions().to_args() == {}
    assert IndexOptions.from_args(options.to_args()) == options
    code = buildproc.main(["--index-dir", str(tmp_path / "ix"),
                           "--options", json.dumps(options.to_args()), "--",
                           str(bundled_seeds())], buildchild.open_store)
    assert code == 0 and json.loads(capsys.readouterr().out.splitlines()[-1])["built"]
    engine = Engine([bundled_seeds()], tmp_path / "ix", options=options)
    try:
        assert not engine.update().built               # the child's index, current
        assert set(_blocks(engine, "vietnam")[:-1]) == {5}
    finally:
        engine.close()


IMPORT_ONLY = """
import os
calls = []
real = os.register_at_fork
os.register_at_fork = lambda **kw: calls.append(kw) or real(**kw)
import search.engine, search.index.store, search.index.write.writer as writer, tui.main
print(sum(f.__module__.startswith("search") for kw in calls for f in kw.values()))
"""


def test_importing_the_engine_installs_no_fork_hook():
    out = subprocess.run([sys.executable, "-c", IMPORT_ONLY], capture_output=True, text=True,
                         cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["0"]


def test_a_parallel_build_installs_the_fork_hook_once(tmp_path):
    """From the first parallel build on, children forked by the building process die with it."""
    script = IMPORT_ONLY.replace("print(", "before = (") + f"""
from search.index.write.options import IndexOptions
for name in ("a", "b"):
    e = search.engine.Engine([{str(bundled_seeds())!r}], {str(tmp_path)!r} + "/" + name,
                             options=IndexOptions(parallel_from=1, max_procs=2))
    e.update()
    e.close()
print(before, sum(f.__module__.startswith("search") for kw in calls for f in kw.values()))
"""
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=300)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["0", "1" if (os.cpu_count() or 1) > 1 else "0"]
