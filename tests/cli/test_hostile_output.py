"""Terminals that are not UTF-8 or say they have 0 columns: the commands still print, and JSON
stays valid with the exact text."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from conftest import ROOT, write_files

TEXT = "Phạm Minh Chính met Tô Lâm in Hà Nội to discuss “bamboo” diplomacy — §5."


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("out")
    folder = write_files(tmp / "c", {"hanoi.txt": TEXT + "\n\nA second paragraph on Mekong.\n"})
    return ["--corpus", str(folder), "--index-dir", str(tmp / "ix")]


def run(corpus, *args, env):
    base = {k: v for k, v in os.environ.items()
            if k not in ("PYTHONIOENCODING", "LC_ALL", "LANG", "LC_CTYPE", "COLUMNS", "LINES")}
    r = subprocess.run([sys.executable, "-m", "tui.main", *corpus, *args], capture_output=True,
                       cwd=ROOT, env={**base, **env}, timeout=120)
    assert b"Traceback" not in r.stderr, r.stderr.decode(errors="replace")
    assert r.returncode == 0, r.stderr
    return r


ENCODINGS = {
    "ascii": ({"PYTHONIOENCODING": "ascii"}, "ascii"),
    "latin-1": ({"PYTHONIOENCODING": "latin-1"}, "latin-1"),
    "C locale": ({"LC_ALL": "C", "PYTHONUTF8": "0", "PYTHONCOERCECLOCALE": "0"}, "ascii"),
}


@pytest.mark.parametrize("name", ENCODINGS)
def test_a_terminal_that_is_not_utf8_gets_replacement_characters(corpus, name):
    env, encoding = ENCODINGS[name]
    out = run(corpus, "search", "bamboo", env=env).stdout.decode(encoding)
    assert "1 passage match" in out
    assert "Minh Ch" in out and "diplomacy" in out and "?" in out
    if encoding == "latin-1":
        assert "Chính" in out                    # what Latin-1 can show, it shows
    for args in (["show", "hanoi"], ["entities"], ["entity", "Hanoi"], ["related", "hanoi",
                                                                         "--passage", "1"]):
        assert run(corpus, *args, env=env).stdout, args


@pytest.mark.parametrize("name", ENCODINGS)
def test_json_stays_valid_and_exact_on_any_output_encoding(corpus, name):
    env, encoding = ENCODINGS[name]
    raw = run(corpus, "search", "bamboo", "--json", env=env).stdout
    raw.decode(encoding)                          # strict: nothing the terminal cannot take
    hit = json.loads(raw)["hits"][0]
    assert hit["text"] == TEXT
    assert json.loads(run(corpus, "show", "hanoi", "--json", env=env).stdout)["passages"][0][
        "text"] == TEXT


@pytest.mark.parametrize("columns", ["0", "00", "-1", "abc", ""])
def test_junk_columns_do_not_blank_the_output(corpus, columns):
    env = {"COLUMNS": columns, "LINES": "0"}
    out = run(corpus, "search", "bamboo", env=env).stdout.decode()
    assert "1 passage match" in out and "Chính" in out and "diplomacy" in out
    assert max(len(line) for line in out.splitlines()) <= 80       # the 80-column fallback
    out = run(corpus, "index", env=env).stdout.decode()
    assert out.startswith("Index ") and "1 documents, 2 passages" in out
    out = run(corpus, "entities", env=env).stdout.decode()
    assert "Hanoi" in out
