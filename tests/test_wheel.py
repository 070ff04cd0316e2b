"""A regular (non-editable) install works from another directory: seeds and data ship inside."""
import json
import os
import subprocess
import sys

from conftest import ROOT


def test_wheel_install_runs_on_bundled_seeds(tmp_path):
    dist, target = tmp_path / "dist", tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(dist),
                    str(ROOT)], check=True, capture_output=True, timeout=300)
    wheel = next(dist.glob("vnexplore-*.whl"))
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target",
                    str(target), str(wheel)], check=True, capture_output=True, timeout=300)
    assert (target / "search" / "seeds" / "000_2cfa569bf8c2ae5b.txt").is_file()
    assert (target / "search" / "seeds" / "metadata.yaml").is_file()
    assert (target / "search" / "data" / "entities.yaml").is_file()
    assert (target / "search" / "data" / "partnerships.yaml").is_file()
    assert (target / "tui" / "app.tcss").is_file()
    # every module of the source tree is in the wheel (a subpackage missing from
    # pyproject.toml would otherwise only fail when a user opens that part of the app)
    for package in ("search", "tui"):
        modules = {p.relative_to(ROOT) for p in (ROOT / package).rglob("*.py")}
        assert modules and {m for m in modules if not (target / m).is_file()} == set()
    metadata = next(target.glob("vnexplore-*.dist-info")) / "METADATA"
    needs = {line.split()[1].split(">")[0].lower().replace("_", "-") for line in
             metadata.read_text().splitlines() if line.startswith("Requires-Dist:")
             and "extra ==" not in line}
    assert {"trafilatura", "lxml-html-clean", "pypdfium2", "python-docx"} <= needs
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {**os.environ, "PYTHONPATH": str(target)}
    r = subprocess.run([str(target / "bin" / "vnexplore"), "--index-dir", str(tmp_path / "ix"),
                        "search", "bamboo diplomacy", "--json", "--limit", "1"],
                       cwd=elsewhere, env=env, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert data["hits"][0]["doc"] == "003_6e9bfccb2d8b88df"
    assert data["hits"][0]["title"].startswith("Bamboo diplomacy")
    r = subprocess.run([str(target / "bin" / "vnexplore"), "--index-dir", str(tmp_path / "ix"),
                        "timeline", "--partner", "Algeria", "--json"],
                       cwd=elsewhere, env=env, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["events"][0]["origin"] == "curated"
    from helpers_documents import html_page, pdf_bytes
    from conftest import write_files
    folder = write_files(tmp_path / "mine", {"wp.pdf": pdf_bytes([["Bamboo diplomacy on p1."],
                                                                  ["Mekong water on p2."]]),
                                             "page.html": html_page()})
    r = subprocess.run([str(target / "bin" / "vnexplore"), "--index-dir", str(tmp_path / "ix2"),
                        "--corpus", str(folder), "search", "Mekong", "--json"],
                       cwd=elsewhere, env=env, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert [(h["doc"], h["page"]) for h in json.loads(r.stdout)["hits"]] == [("wp", 2)]
    probe = subprocess.run([sys.executable, "-c", "import search; print(search.__file__)"],
                           cwd=elsewhere, env=env, capture_output=True, text=True)
    assert probe.stdout.strip().startswith(str(target))
