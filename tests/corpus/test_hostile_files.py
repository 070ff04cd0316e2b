"""Folders the user did not write: odd encodings and names, links that loop, files that are not
files, huge files, YAML that tries to run code, files changing under the indexer."""
from __future__ import annotations

import gzip
import json
import os
import signal
import subprocess
import sys

import pytest

from conftest import ROOT, write_files
from search.corpus import files as C
from search.engine import Engine
from search.index.generations import MANIFEST
from search.corpus.text import LONG_PASSAGE


@pytest.fixture(autouse=True)
def deadline():
    """A file that blocks (a FIFO, a device) must not hang the test run: fail instead."""
    def expire(*_):
        raise TimeoutError("indexing blocked or ran away")
    old = signal.signal(signal.SIGALRM, expire)
    signal.alarm(90)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, old)


def index(folder, ix, **kw):
    engine = Engine([folder], ix)
    report = engine.update(**kw)
    return engine, report


def warned(report, fragment):
    return [str(w) for w in report.warnings if fragment in str(w)]


def docs_for(engine, query):
    return sorted(h.doc for h in engine.search(query, limit=100).hits)


def test_encodings_and_line_endings(tmp_path):
    corpus = write_files(tmp_path / "c", {
        "bom16.txt": "\ufeffHai Phong harbour talks.\n".encode("utf-16"),
        "be16.txt": "\ufeffHai Phong harbour bigendian.\n".encode("utf-16-be"),
        "nobom.txt": "Hai Phong harbour without mark.\n".encode("utf-16-le"),
        "latin.txt": "Hai Phong harbour caf\u00e9 \u2013 r\u00e9sum\u00e9.\n".encode("cp1252"),
        "mixed.txt": b"Hai Phong harbour first.\r\n\r\nSecond para.\rThird para.\n\nFourth.",
        "random.txt": os.urandom(20_000),
        "random_nonul.txt": bytes(b for b in os.urandom(30_000) if b),
        "bomonly.txt": b"\xef\xbb\xbf",
        "empty.txt": b"",
    })
    engine, report = index(corpus, tmp_path / "ix")
    assert docs_for(engine, "harbour") == ["be16", "bom16", "latin", "mixed", "nobom"]
    assert docs_for(engine, "résumé") == ["latin"]
    assert warned(report, "nobom.txt: decoded as UTF-16-LE (no byte-order mark)") and warned(report, "cp1252")
    assert warned(report, "random.txt: binary")
    mixed = engine.document("mixed")
    assert [p.text for p in mixed.passages][-3:] == ["Second para.", "Third para.", "Fourth."]
    assert all("\r" not in p.text for p in mixed.passages)


def test_odd_file_names(tmp_path):
    corpus = tmp_path / "c"
    corpus.mkdir()
    names = [b"with space.txt", b"new\nline.txt", b"caf\xe9 latin1.txt", b"-rf.txt",
             b"caf\xe8 latin1.txt", "t\u00eat\u0065\u0301.md".encode()]
    for i, name in enumerate(names):
        with open(os.path.join(os.fsencode(corpus), name), "w") as f:
            f.write(f"Odd name number {i} about the Spratly archipelago.\n")
    engine, report = index(corpus, tmp_path / "ix")
    docs = docs_for(engine, "Spratly")
    assert len(docs) == len(names) and len(set(docs)) == len(names)
    assert "with space" in docs and "new\ufffdline" in docs and "caf\ufffd latin1" in docs
    assert all(d.encode("utf-8") for d in docs)                     # storable ids
    json.loads((tmp_path / "ix" / MANIFEST).read_text())            # manifest still valid
    again = Engine([corpus], tmp_path / "ix").update()
    assert again.touched == 0 and not again.built                   # ids are stable
    for doc in docs:
        assert engine.document(doc).passages[0].text.startswith("Odd name")


def test_links_loops_and_things_that_are_not_files(tmp_path):
    corpus = write_files(tmp_path / "c", {"ok.txt": "Mekong river commission.\n",
                                         "sub/inner.txt": "Mekong delta inside.\n"})
    (corpus / "sub" / "loop").symlink_to("..")                     # directory loop
    (corpus / "self.txt").symlink_to("self.txt")                   # link to itself
    (corpus / "a.txt").symlink_to("b.txt")
    (corpus / "b.txt").symlink_to("a.txt")                         # two-link loop
    (corpus / "dangling.txt").symlink_to("nowhere.txt")
    (corpus / "zero.txt").symlink_to("/dev/zero")                  # would read forever
    os.mkfifo(corpus / "pipe.txt")                                 # would block forever
    (corpus / "folder.txt").mkdir()                                # a directory named x.txt
    (corpus / "folder.txt" / "deep.txt").write_text("Mekong deep file.\n")
    engine, report = index(corpus, tmp_path / "ix")
    assert docs_for(engine, "Mekong") == ["folder.txt/deep", "ok", "sub/inner"]
    assert warned(report, "pipe.txt: not a regular file")
    assert warned(report, "zero.txt: not a regular file")
    for name in ("self.txt", "a.txt", "dangling.txt"):
        assert warned(report, f"{name}: cannot read"), report.warnings


def test_unreadable_file(tmp_path):
    """A file without read permission is skipped with a warning. Root reads every file, so as
    root the indexer runs without the capabilities that bypass file permissions."""
    corpus = write_files(tmp_path / "c", {"ok.txt": "Readable Mekong.\n",
                                          "locked.txt": "Secret Mekong.\n"})
    (corpus / "locked.txt").chmod(0)
    cmd = [sys.executable, "-m", "tui.main", "--corpus", str(corpus),
           "--index-dir", str(tmp_path / "ix"), "search", "Mekong", "--json"]
    if os.geteuid() == 0:
        cmd = ["setpriv", "--bounding-set", "-dac_override,-dac_read_search",
               "--inh-caps", "-all"] + cmd
    r = subprocess.run(cmd, env={**os.environ, "PYTHONPATH": str(ROOT)}, cwd=tmp_path,
                       capture_output=True, text=True, timeout=120)
    (corpus / "locked.txt").chmod(0o644)
    assert r.returncode == 0, r.stderr
    assert [h["doc"] for h in json.loads(r.stdout)["hits"]] == ["ok"]
    assert "locked.txt: cannot read" in r.stderr


def test_front_matter_that_is_not_a_mapping_or_tries_to_run_code(tmp_path):
    marker = tmp_path / "PWNED"
    corpus = write_files(tmp_path / "c", {
        "list.md": "---\n- a\n- b\n---\nList front matter, Mekong.\n",
        "scalar.md": "---\njust a string\n---\nScalar front matter, Mekong.\n",
        "tag.md": f"---\ntitle: !!python/object/apply:os.system ['touch {marker}']\n---\n"
                  "Tagged front matter, Mekong.\n",
        "newtag.md": f"---\n!!python/object/new:os.system ['touch {marker}']\n---\nMekong new.\n",
        "bomb.md": "---\na: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
                   "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
                   "e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n"
                   "g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\nh: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]\n"
                   "title: *h\nauthors: *h\ndate: *h\nsource: *h\n---\nAlias bomb, Mekong.\n",
        "metadata.yaml": f"tag: !!python/object/apply:os.system ['touch {marker}']\n",
    })
    engine, report = index(corpus, tmp_path / "ix")
    assert not marker.exists()
    assert docs_for(engine, "Mekong") == ["bomb", "list", "newtag", "scalar", "tag"]
    assert warned(report, "list.md: front matter is not a mapping")
    assert warned(report, "tag.md: front matter is not valid YAML")
    bomb = engine.document("bomb")
    assert bomb.title == "Alias bomb, Mekong." and bomb.authors == [] and bomb.date is None


def test_huge_files_are_bounded(tmp_path):
    corpus = write_files(tmp_path / "c", {"small.txt": "Mekong normal article.\n"})
    with open(corpus / "huge.txt", "wb") as f:                       # 50 MB of real text
        f.write(b"Mekong flood report paragraph with words.\n\n" * (50 * 2**20 // 44))
    (corpus / "oneline.txt").write_text("Mekong " + "word " * (5 * 2**20 // 5))   # 5 MB line
    long_line = " ".join(f"w{i}" for i in range(70_000)) + " Spratly"       # a 0.5 MB line
    (corpus / "longline.txt").write_text(long_line)
    engine, report = index(corpus, tmp_path / "ix")
    assert warned(report, "huge.txt: larger than") and warned(report, "oneline.txt: larger than")
    assert docs_for(engine, "Mekong") == ["small"]
    assert docs_for(engine, "Spratly") == ["longline"]              # the end of a long line
    assert max(len(p.text) for p in engine.document("longline").passages) <= LONG_PASSAGE


def test_one_five_megabyte_line_or_word_splits_into_bounded_passages():
    for raw in ("Mekong " * (5 * 2**20 // 7), "x" * (5 * 2**20)):
        doc = C.build_document("big", "big.txt", raw)
        assert doc.passages and max(len(p.text) for p in doc.passages) <= LONG_PASSAGE
        assert sum(len(p.text) for p in doc.passages) >= len(raw.strip()) * 0.99


@pytest.mark.slow
def test_ten_thousand_tiny_files(tmp_path):
    corpus = tmp_path / "c"
    for d in range(10):
        (corpus / f"d{d}").mkdir(parents=True)
        for i in range(1000):
            (corpus / f"d{d}" / f"n{i}.txt").write_text(f"Tiny note {d}-{i} on tariffs.\n")
    (corpus / "d3" / "n7.txt").write_text("Tiny note that names Vanuatu.\n")
    engine, report = index(corpus, tmp_path / "ix")
    assert report.documents == 10_000 and report.passages == 10_000
    assert engine.search("tariffs").total == 9_999
    assert docs_for(engine, "Vanuatu") == ["d3/n7"]
    (corpus / "d5" / "n5.txt").unlink()
    report = Engine([corpus], tmp_path / "ix").update()
    assert report.removed == ["d5/n5"] and report.passages == 9_999


def test_files_change_between_listing_and_reading(tmp_path):
    files = {f"{c}.txt": f"Article {c} about Mekong dams.\n" for c in "abcdef"}
    corpus = write_files(tmp_path / "c", files)

    def meddle(done, total, doc):                # runs after the first file is indexed
        if done == 1:
            (corpus / "b.txt").unlink()                              # deleted
            (corpus / "c.txt").write_bytes(b"")                      # truncated
            (corpus / "d.txt").unlink()
            os.mkfifo(corpus / "d.txt")                              # replaced by a FIFO
            (corpus / "e.txt").write_text("Replaced: now about Laos.\n")
            (corpus / "f.txt").write_text("Article f about Mekong dams, and longer now.\n")

    engine, report = index(corpus, tmp_path / "ix", progress=meddle)
    assert warned(report, "b.txt: cannot read") and warned(report, "d.txt: cannot read")
    assert docs_for(engine, "Laos") == ["e"]
    (corpus / "d.txt").unlink()
    (corpus / "d.txt").write_text("Article d back about Mekong dams.\n")
    engine = Engine([corpus], tmp_path / "ix")
    engine.update()
    clean = Engine([corpus], tmp_path / "clean")
    clean.update()
    for q in ("Mekong", "Laos", "longer", "back"):
        assert docs_for(engine, q) == docs_for(clean, q), q
    assert docs_for(engine, "Mekong") == ["a", "d", "f"]


def test_cli_on_a_hostile_folder_reports_and_searches(tmp_path):
    corpus = write_files(tmp_path / "c", {"ok.txt": "Mekong fine.\n", "bin.txt": b"\0\1" * 99})
    os.mkfifo(corpus / "pipe.txt")
    r = subprocess.run([sys.executable, "-c", "import sys; from search.cli.main import run; "
                        "sys.exit(run(sys.argv[1:]))", "--corpus", str(corpus),
                        "--index-dir", str(tmp_path / "ix"), "search", "Mekong"],
                       capture_output=True, text=True, timeout=120,
                       env={**os.environ, "PYTHONPATH": str(C.Path(__file__).parents[2])})
    assert r.returncode == 0 and "Traceback" not in r.stderr
    assert "pipe.txt: not a regular file" in r.stderr and "1 passage match" in r.stdout


def test_links_leaving_the_corpus_are_skipped_and_links_inside_work(tmp_path):
    outside = write_files(tmp_path / "outside", {"secret.txt": "Classified zebra memo.\n",
                                                 "dir/more.txt": "Zebra folder memo.\n"})
    corpus = write_files(tmp_path / "c", {"ok.txt": "Mekong river commission.\n",
                                          "sub/inner.txt": "Mekong delta inside.\n"})
    (corpus / "passwd.txt").symlink_to(outside / "secret.txt")            # absolute, outside
    (corpus / "sub" / "up.txt").symlink_to("../../outside/secret.txt")     # relative, outside
    (corpus / "elsewhere").symlink_to(outside / "dir")                    # a folder outside
    (corpus / "alias.txt").symlink_to("sub/inner.txt")                     # inside: indexed
    (corpus / "sub" / "back.txt").symlink_to(corpus / "ok.txt")            # inside, absolute
    (corpus / "sub" / "loop").symlink_to("..")                             # a loop, not followed
    (tmp_path / "via").symlink_to(corpus)          # the corpus itself reached through a link
    cli = [sys.executable, "-m", "tui.main", "--corpus", str(tmp_path / "via"),
           "--index-dir", str(tmp_path / "ix"), "search"]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    r = subprocess.run(cli + ["zebra", "--json"], capture_output=True, text=True, env=env,
                       timeout=120)
    assert r.returncode == 0 and json.loads(r.stdout)["hits"] == [], r.stdout
    secret = outside.resolve() / "secret.txt"
    assert f"passwd.txt: link leaving the corpus (to {secret}); skipped" in r.stderr
    assert f"up.txt: link leaving the corpus (to {secret}); skipped" in r.stderr
    assert f"elsewhere: link to a folder outside the corpus ({outside.resolve() / 'dir'}); " \
           "not followed" in r.stderr
    assert "alias.txt" not in r.stderr and "back.txt" not in r.stderr and "loop" not in r.stderr
    r = subprocess.run(cli + ["Mekong", "--json"], capture_output=True, text=True, env=env,
                       timeout=120)
    assert sorted(h["doc"] for h in json.loads(r.stdout)["hits"]) == \
        ["alias", "ok", "sub/back", "sub/inner"]


def test_stray_nuls_are_dropped_but_binary_files_are_skipped(tmp_path):
    words = ("Mekong stray report on water sharing between the riparian states. " * 15)[:960]
    stray = bytearray(words.encode())
    for i in range(20):                                  # 20 NULs in 980 bytes: about 2%
        stray.insert(40 * i + 7, 0)
    corpus = write_files(tmp_path / "c", {
        "stray.txt": bytes(stray),
        "binary.txt": b"Mekong " + bytes(range(256)) * 8,        # 0.4% NUL, 12% control bytes
        "zeros.txt": b"Mekong header\0\0\0\0\0\0\0\0\0\0 padded" * 40,   # 20% NUL
        "gzip.txt": gzip.compress(b"Mekong " * 20_000, mtime=0),     # 250 bytes, 1.6% NUL
        "controls.txt": b"Mekong \1\2\3\4\5\6\7\x08\x0e\x0f\x10\x11\x12\x13\x14\x15\0" * 60,  # 2% NUL
        "ok.txt": "Mekong plain.\n",
    })
    engine, report = index(corpus, tmp_path / "ix")
    assert docs_for(engine, "Mekong") == ["ok", "stray"]
    assert warned(report, "stray.txt: 20 stray NUL bytes dropped")
    assert engine.document("stray").passages[0].text == " ".join(words.split())
    for name in ("binary.txt", "zeros.txt", "controls.txt", "gzip.txt"):
        assert warned(report, f"{name}: binary file"), name
