"""YAML a user (or whoever sent them the folder) wrote: values PyYAML cannot build, 3,000 nested
brackets, alias bombs, impossible dates. In every YAML the program reads (front matter,
metadata.yaml, --entities FILE, the user's entities.yaml, partnerships, config.yaml) the result
is a one-line message naming the file and line, and everything else keeps working."""
from __future__ import annotations

import contextlib
import json
import os
import resource
import subprocess
import sys

import pytest

from conftest import ROOT, write_files
from search.entities import gazetteer as G
from search.timeline.build import load_curated
from search.yamlsafe import load_yaml
from tui import config as cfg

NESTED = "[" * 3000 + "]" * 3000
BOMB = "".join(f"l{i}: &l{i} [{', '.join([f'*l{i - 1}' if i else 'lol'] * 9)}]\n" for i in range(9))
TOO_LONG = "9" * 5000                      # int() refuses more than 4,300 digits


CAP = 3 * 2**30      # address space for a command here: an expanding bomb fails, not the machine


def _cap_memory():
    resource.setrlimit(resource.RLIMIT_AS, (CAP, resource.getrlimit(resource.RLIMIT_AS)[1]))


@contextlib.contextmanager
def memory_cap(extra=2 * 2**30):
    """In this process: at most `extra` more bytes of address space while the block runs, so a
    regression that expands a bomb raises MemoryError instead of exhausting a shared machine."""
    with open("/proc/self/statm") as f:
        used = int(f.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    resource.setrlimit(resource.RLIMIT_AS, (used + extra, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def vnexplore(*args, env=None, timeout=120):
    """The installed entry point as a user runs it, with its memory capped."""
    r = subprocess.run([sys.executable, "-m", "tui.main", *args], capture_output=True,
                       text=True, cwd=ROOT, env={**os.environ, **(env or {})}, timeout=timeout,
                       preexec_fn=_cap_memory)
    assert "Traceback" not in r.stderr, r.stderr
    return r


@memory_cap()
def test_the_loader_reports_instead_of_raising():
    for text, line, reason in [
        (f"title: ok\nlist: {NESTED}\n", 2, "nested too deeply"),
        ("title: ok\n" + BOMB + "name: *l8\n", 6, "too many repeated references (YAML aliases)"),
        ("a: 1\nb: [unclosed\n", 3, "not valid YAML"),
        ("a: !!python/object/apply:os.system ['true']\n", 1, "not valid YAML"),
        ("a: 1\nb: bell\x07\n", 2, "unacceptable character #x0007"),
    ]:
        data, problem = load_yaml(text)
        assert data is None and problem.line == line and reason in problem.reason, problem
    # values PyYAML raises ValueError for stay as their text; valid ones keep their type
    data, problem = load_yaml(f"d: 2024-02-30\nm: 2024-13-45\nt: 25:61:00\nbig: {TOO_LONG}\n"
                              "ok: 2024-02-29\nn: 12\nx: &x [1, 2]\ny: *x\n")
    assert problem is None
    assert data["d"] == "2024-02-30" and data["m"] == "2024-13-45" and data["big"] == TOO_LONG
    assert str(data["ok"]) == "2024-02-29" and data["n"] == 12 and data["y"] == [1, 2]
    # small anchors and merges (as in real settings files) are well under the bound
    data, problem = load_yaml("base: &b {a: 1, b: 2}\n" + "".join(
        f"k{i}: {{<<: *b, c: {i}}}\n" for i in range(100)))
    assert problem is None and data["k99"] == {"a": 1, "b": 2, "c": 99}


def test_front_matter_bad_values_warn_and_the_body_is_loaded(tmp_path):
    fm = lambda meta, word: f"---\n{meta}\n---\nMekong {word} report on the delta.\n"
    corpus = write_files(tmp_path / "c", {
        "feb30.md": fm("title: Feb\ndate: 2024-02-30", "feb"),
        "month13.md": fm("date: 2024-13-45", "month"),
        "clock.md": fm("title: Clock\ndate: 25:61:00", "clock"),
        "digits.md": fm("date: " + "1" * 41, "digits"),
        "longint.md": fm(f"title: Long\nsource: {TOO_LONG}", "longint"),
        "nested.md": fm(f"title: Nested\nx: {NESTED}", "nested"),
        "bomb.md": fm(BOMB + "title: *l8\nauthors: *l8", "bomb"),
        "prefix.txt": "date 2024-13-45\nMekong prefix report.\n",
        "good.md": fm("title: Good one\ndate: 2024-02-29", "good"),
    })
    ix = ["--corpus", str(corpus), "--index-dir", str(tmp_path / "ix")]
    r = vnexplore(*ix, "search", "Mekong", "--limit", "50", "--json")
    assert r.returncode == 0, r.stderr
    hits = {h["doc"]: h for h in json.loads(r.stdout)["hits"]}
    assert sorted(hits) == ["bomb", "clock", "digits", "feb30", "good", "longint", "month13",
                            "nested", "prefix"]
    assert {d: h["date"] for d, h in hits.items() if h["date"]} == {"good": "2024-02-29"}
    assert hits["feb30"]["title"] == "Feb" and hits["good"]["title"] == "Good one"
    err = r.stderr
    assert "feb30.md: date '2024-02-30' in the front matter (line 3) is not a calendar date" in err
    assert "month13.md: date '2024-13-45' in the front matter (line 2) is not a " \
           "calendar date" in err
    assert "clock.md: date '25:61:00' in the front matter (line 3)" in err
    assert "digits.md: date '1111111111" in err
    assert "prefix.txt: date '2024-13-45' on the first line is not a calendar date" in err
    assert "nested.md: front matter is refused: nested too deeply (more than 100 levels) " \
           "at line 3; body loaded without it" in err
    assert "bomb.md: front matter is refused: too many repeated references (YAML aliases) " \
           "at line 6; body loaded without it" in err
    assert "good.md" not in err and "longint.md" not in err      # a long number is just text
    r = vnexplore(*ix, "show", "longint", "--json")
    assert json.loads(r.stdout)["source"] == TOO_LONG


def test_a_broken_metadata_yaml_is_reported_and_the_articles_load(tmp_path):
    nested = write_files(tmp_path / "n", {"a.txt": "Mekong alpha.\n", "b.txt": "Mekong beta.\n",
                                          "metadata.yaml": f"a:\n  title: A\nb: {NESTED}\n"})
    r = vnexplore("--corpus", str(nested), "--index-dir", str(tmp_path / "ix1"),
                  "search", "Mekong", "--json")
    assert r.returncode == 0
    assert sorted(h["doc"] for h in json.loads(r.stdout)["hits"]) == ["a", "b"]
    assert "metadata.yaml: line 3: nested too deeply (more than 100 levels); not loaded" in r.stderr
    dated = write_files(tmp_path / "d", {"a.txt": "Mekong alpha.\n", "b.txt": "Mekong beta.\n",
                                         "metadata.yaml": "a: {date: 2024-02-30, title: Alpha}\n"
                                                          "b: {date: 2023-05-01}\n"})
    r = vnexplore("--corpus", str(dated), "--index-dir", str(tmp_path / "ix2"),
                  "search", "Mekong", "--json")
    hits = {h["doc"]: (h["title"], h["date"]) for h in json.loads(r.stdout)["hits"]}
    assert hits == {"a": ("Alpha", None), "b": ("Mekong beta.", "2023-05-01")}
    assert "a.txt: date '2024-02-30' in metadata.yaml is not a calendar date" in r.stderr


def test_bad_entity_files_warn_and_search_and_entities_work(tmp_path):
    files = {
        "feb30.yaml": "person:\n  - name: Tran Feb\n    role: 2024-02-30\n",
        "nested.yaml": f"person:\n  - name: Zorb Quill\n    aliases: {NESTED}\n",
        "bomb_name.yaml": BOMB + "person:\n  - name: *l8\n",
        "bomb_country.yaml": BOMB + "person:\n  - name: Bomb Country\n    country: *l8\n",
        "good.yaml": "place:\n  - name: Mekong Delta\n",
    }
    write_files(tmp_path / "e", files)
    corpus = write_files(tmp_path / "c", {"a.txt": "Tran Feb visited the Mekong Delta and Hanoi "
                                                    "with Bomb Country. Tran Feb met Zorb Quill.\n"})
    args = ["--corpus", str(corpus), "--index-dir", str(tmp_path / "ix")]
    for name in files:
        args += ["--entities", str(tmp_path / "e" / name)]
    r = vnexplore(*args, "entities", "--json")
    assert r.returncode == 0, r.stderr
    names = {e["name"]: e["type"] for e in json.loads(r.stdout)["entities"]}
    assert names["Tran Feb"] == "person" and names["Mekong Delta"] == "place"
    assert names["Hanoi"] == "place"                       # the bundled gazetteer still works
    assert names.get("Bomb Country") != "person" and names.get("Zorb Quill") != "person"
    err = r.stderr
    assert "nested.yaml, line 3: nested too deeply (more than 100 levels); skipped" in err
    assert "bomb_name.yaml, line 5: too many repeated references (YAML aliases); skipped" in err
    assert "bomb_country.yaml, line 5: too many repeated references (YAML aliases); skipped" in err
    assert "feb30.yaml" not in err                 # a role is text: 2024-02-30 is kept as text
    r = vnexplore(*args, "search", 'entity:"Mekong Delta"', "--json")
    assert r.returncode == 0 and [h["doc"] for h in json.loads(r.stdout)["hits"]] == ["a"]


def test_an_alias_bomb_in_the_users_entities_yaml_does_not_hang(tmp_path):
    config = tmp_path / "config"
    write_files(config / "vnexplore", {"entities.yaml": BOMB + "country:\n  - name: *l8\n"})
    corpus = write_files(tmp_path / "c", {"a.txt": "Mekong talks in Hanoi.\n"})
    env = {"XDG_CONFIG_HOME": str(config)}
    ix = ["--corpus", str(corpus), "--index-dir", str(tmp_path / "ix")]
    r = vnexplore(*ix, "search", "Mekong", "--json", env=env)
    assert r.returncode == 0 and json.loads(r.stdout)["total"] == 1
    r = vnexplore(*ix, "entities", "--json", env=env)
    assert r.returncode == 0
    assert "entities.yaml, line 5: too many repeated references (YAML aliases); skipped" in r.stderr
    assert "Hanoi" in {e["name"] for e in json.loads(r.stdout)["entities"]}
    # the gazetteer fingerprint still sees the file, so fixing it re-derives the entities
    with memory_cap():
        gaz = G.load([config / "vnexplore" / "entities.yaml"], include_user=False)
    assert any("too many repeated references" in w for w in gaz.warnings)
    with_bomb = G.fingerprint([config / "vnexplore" / "entities.yaml"])
    (config / "vnexplore" / "entities.yaml").write_text("country:\n  - name: Atlantis\n")
    assert G.fingerprint([config / "vnexplore" / "entities.yaml"]) != with_bomb


def test_a_bad_partnerships_file_or_event_date_is_a_warning(tmp_path):
    path = tmp_path / "p.yaml"
    path.write_text("events:\n"
                    "  - {date: 2024-02-30, partners: [Japan], kind: comprehensive strategic "
                    "partnership, summary: x}\n"
                    "  - {date: 2023-11-27, partners: [Japan], kind: comprehensive strategic "
                    "partnership, summary: y}\n")
    warnings: list[str] = []
    events = load_curated(path, warnings)
    assert [(e.date, e.summary) for e in events] == [("2023-11-27", "y")]
    assert warnings == [f"{path}: event 1 skipped (date '2024-02-30' is not a calendar date "
                        "(YYYY, YYYY-MM or YYYY-MM-DD); ignored)"]
    path.write_text(f"events: {NESTED}\n")
    warnings = []
    assert load_curated(path, warnings) == []
    assert warnings == [f"{path}, line 1: nested too deeply (more than 100 levels); not loaded"]


@pytest.mark.parametrize("text, line, reason", [
    ("theme: nord\nkeys:\n  app.quit: 2024-02-30\n", None, None),
    (f"theme: nord\nkeys: {NESTED}\n", 2, "nested too deeply (more than 100 levels)"),
    (BOMB + "keys:\n  app.quit: *l8\n", 5, "too many repeated references (YAML aliases)"),
])
def test_bad_config_values_fall_back_to_defaults_with_a_message(tmp_path, text, line, reason):
    path = tmp_path / "config.yaml"
    path.write_text(text)
    with memory_cap():
        config = cfg.load(path)
    if reason is None:                          # a value that is not a date is just a key name
        assert config.problem is None and config.keys == {"app.quit": "2024-02-30"}
        return
    assert config.problem == f"{path}, line {line}: {reason}"
    assert config.keys == {} and config.theme == cfg.DEFAULT_THEME


async def test_the_app_starts_with_an_alias_bomb_in_its_config(seed_index_dir, tmp_path):
    from tui.app import VnExploreApp
    path = tmp_path / "config.yaml"
    path.write_text(BOMB + "keys:\n  app.quit: *l8\n")
    with memory_cap():
        app = VnExploreApp(None, seed_index_dir, config_path=path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        said = [n.message for n in app._notifications]
        assert any(str(path) in m and "too many repeated references" in m for m in said), said
        await pilot.press("ctrl+q")             # the default keys work
        await pilot.pause()
        assert app.return_code == 0


def test_a_gazetteer_of_many_bad_items_gives_a_few_lines_and_a_count(tmp_path):
    path = tmp_path / "many.yaml"
    path.write_text("person:\n" + "".join(f"  - {{name: P{i}, type: wizard}}\n" for i in range(500))
                    + "  - name: Real Person\n")
    gaz = G.load([path], include_user=False)
    mine = [w for w in gaz.warnings if str(path) in w]
    assert len(mine) == 11 and "'P0': unknown type 'wizard'" in mine[0]
    assert mine[-1] == f"{path}: 490 more problems like these"
    assert gaz.get("Real Person").type == "person"
