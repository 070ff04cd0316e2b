"""The engine and its command line never pull in Textual."""
import subprocess
import sys


def test_engine_and_cli_import_without_textual():
    code = ("import sys, search.engine, search.cli.main, search.entities.mentions\n"
            "bad = [m for m in sys.modules if m == 'textual' or m.startswith('textual.')]\n"
            "print(bad)\nsys.exit(1 if bad else 0)\n")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr
