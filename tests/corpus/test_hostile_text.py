"""Article text and file names are shown literally by the CLI: markup is not interpreted and no
escape sequence or control character from an article ever reaches the terminal."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest

from conftest import ROOT, write_files

HOSTILE = ("Mekong [bold]Bold?[/] [link=https://evil.example]click[/link] [red]x[/red] "
           "\x1b[2J\x1b[31mclear\x1b[0m \x1b]0;pwned title\x07 \x1b]8;;http://evil\x1b\\osc8"
           "\x1b]8;;\x1b\\ bell\x07 back\x08 vt\x0b ff\x0c del\x7f csi\x9b31m nul\x00 "
           "RTL \u202eevil\u202c Arabic \u0645\u0631\u062d\u0628\u0627 zero\u200bwidth "
           "\u2066isolate\u2069 long" + "o" * 3000 + "word end.\n\n"
           "Second passage about the Mekong, with [italic]more[/italic] markup.\n")
# The only sequences Rich itself writes: styles, and hiding the cursor around the progress bar.
SGR = re.compile(r"\x1b\[[0-9;]*m|\x1b\[\?25[lh]|\x1b\[2K|\r")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile-text")
    folder = write_files(root / "c", {
        "hostile.txt": HOSTILE,
        "front.md": "---\ntitle: \"[bold]T\\e[31mitle\\a\"\nsource: \"\\e]0;x\\a[link=y]s\"\n---\n"
                    "Mekong front matter body.\n",
    })
    for name in (b"\x1b[31mred\x1b[0m.txt", b"osc\x1b]0;t\x07.txt", b"caf\xe9.txt"):
        with open(os.path.join(os.fsencode(folder), name), "w") as f:
            f.write("Mekong from an odd file name.\n")
    return {"corpus": folder, "ix": root / "ix"}


def cli(corpus, *args, color=False):
    env = {**os.environ, "PYTHONPATH": str(ROOT), "COLUMNS": "100"}
    env.pop("FORCE_COLOR", None)
    if color:
        env["FORCE_COLOR"] = "1"
    r = subprocess.run([sys.executable, "-c", "import sys; from search.cli.main import run; "
                        "sys.exit(run(sys.argv[1:]))", "--corpus", str(corpus["corpus"]),
                        "--index-dir", str(corpus["ix"]), *args],
                       capture_output=True, timeout=120, env=env)
    assert r.returncode == 0, r.stderr.decode(errors="replace")
    return r.stdout, r.stderr


def assert_inert(data: bytes, color: bool = False):
    text = data.decode("utf-8")                     # always valid UTF-8, even for odd names
    if color:
        text = SGR.sub("", text)
    bad = [c for c in text if (ord(c) < 32 and c not in "\n") or 0x7f <= ord(c) <= 0x9f]
    assert not bad, f"control characters reached the terminal: {bad[:5]}"
    assert "Traceback" not in text


@pytest.mark.parametrize("color", [False, True], ids=["pipe", "terminal"])
def test_search_output_is_literal(corpus, color):
    out, err = cli(corpus, "search", "Mekong", "--limit", "50", color=color)
    assert_inert(out, color)
    assert_inert(err, color)
    text = SGR.sub("", out.decode())
    assert "[bold]Bold?[/]" in text and "[link=https://evil.example]click[/link]" in text
    assert "\u202eevil\u202c" in text and "zero\u200bwidth" in text
    assert "[bold]Title" in text                      # a title from front matter, literal
    assert "\ufffd[31mred\ufffd[0m" in text            # the odd file names, made visible


@pytest.mark.parametrize("command", [["show", "hostile"], ["show", "front"],
                                     ["related", "hostile", "--passage", "2"],
                                     ["search", "Mekong", "--json"],
                                     ["show", "hostile", "--json"],
                                     ["show", "caf\ufffd"]])
def test_other_commands_are_literal(corpus, command):
    out, err = cli(corpus, *command, color=True)
    assert_inert(out, color=True)
    assert_inert(err, color=True)
    if "--json" in command:
        json.loads(out)                               # escapes stay inside JSON strings


def test_shown_text_keeps_every_visible_character(corpus):
    out, _ = cli(corpus, "show", "hostile", "--json")
    passages = [p["text"] for p in json.loads(out)["passages"]]
    first = passages[0]
    assert first.startswith("Mekong [bold]Bold?[/] [link=https://evil.example]click[/link]")
    assert "\x1b" not in first and "pwned" not in first and "osc8" in first
    assert "\u0645\u0631\u062d\u0628\u0627" in first
    assert "o" * 1000 in "".join(passages)            # the long word, cut into passages
