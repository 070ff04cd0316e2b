"""Search as you type in a process of its own, so that a search never holds up the screen.

Scoring, highlighting and building hits is pure Python: run in a thread of the app, a search
holds the interpreter's lock for 20-100 ms on 10,000 articles, and the keys typed meanwhile
wait to be drawn. `python -m search.searchproc` opens the same index once (an update that
finds nothing to do, the app having just made it current) and answers queries, one JSON
line each way:

    -> {"seq": 7, "text": "bamboo diplo", "prefix": "diplo", "more": false,
        "limit": 30, "sort": "relevance"}
    <- {"seq": 7, "prefix": "diplo", "result": {...SearchResult.to_dict()...}}

The first line it writes is {"ready": N passages} or {"error": why}. It ends when its input
closes or when the app dies (even by SIGKILL). `SearchProcess` is the app's end of it; its
calls block (run them in a worker thread: waiting on the pipe does not hold the lock).

A search the user has typed past is stopped early: SIGUSR1 makes the process drop the
search it is at (an exception raised between two bytecodes, as Ctrl+C would; it answers
{"superseded": true}), so the next query does not wait for it. The engine holds no state a
stopped search could leave half made: its caches are filled by assignment, once computed.
"""
from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

from search.model import Hit, SearchResult

START_TIMEOUT = 60.0      # opening the index (it may need a check of its files)


class ProcessGone(Exception):
    """The search process could not start, or stopped; the message says why, for the user."""


class Superseded(Exception):
    """The search was stopped by `SearchProcess.cancel()`: a newer one is coming."""


class _Stop(BaseException):
    """Raised in the process by SIGUSR1 (a BaseException: the engine's repairs, which catch
    Exception, must not take it for damage)."""


def search_as_typed(engine, text: str, prefix: str = "", more: bool = False,
                    limit: int = 20, sort: str = "relevance") -> tuple[SearchResult, str]:
    """(result, prefix): `text` with its last word `prefix` matched as the start of a word;
    when that finds nothing (or cannot be read), the word itself (prefix "") and its
    spelling suggestion. With `more`, the query as searched before, further down."""
    if more:
        return engine.search(text, limit=limit, sort=sort), prefix
    result = engine.search(text + "*", limit=limit, sort=sort) if prefix else None
    if result is None or result.error or not result.hits:
        result, prefix = engine.search(text, limit=limit, sort=sort), ""
    return result, prefix


def result_from(d: dict) -> SearchResult:
    """A SearchResult back from its to_dict()."""
    hits = [Hit(**{**h, "spans": [tuple(s) for s in h["spans"]]}) for h in d["hits"]]
    return SearchResult(d["query"], d["total"], hits, error=d.get("error"),
                        suggestion=d.get("suggestion"), notice=d.get("notice"))


def _ended(proc: subprocess.Popen) -> str:
    """How a finished child ended, in words."""
    try:
        code = proc.wait(timeout=2)
    except subprocess.TimeoutExpired:
        return "it stopped answering"
    if code < 0:
        return f"killed by signal {-code}"
    return f"exit status {code}"


class SearchProcess:
    """The app's end of one search process. `start()` launches it (a few ms), `wait_ready()`
    waits until its index is open (about 0.5 s at 10,000 articles), `search()` asks it a
    query (calls from several threads are answered one at a time), `cancel()` stops the one
    being answered, `close()` ends it (idempotent)."""

    def __init__(self, folders: list[Path], index_dir: Path, entity_files=(),
                 command: list[str] | None = None):
        self.folders = [Path(f) for f in folders]
        self.index_dir = Path(index_dir)
        self.entity_files = [Path(f) for f in entity_files or ()]
        self.command = command            # instead of this Python's `-m search.searchproc`
        self.proc: subprocess.Popen | None = None
        self._lock = threading.Lock()
        self._closed = False
        self.answered = 0                 # searches it answered
        self._asking = False              # a search was sent and not yet answered
        self._cancelled = False           # ... and it was told to stop

    @property
    def pid(self) -> int | None:
        return self.proc.pid if self.proc is not None else None

    def start(self) -> None:
        """Launch the process (raises ProcessGone when it cannot be). Call it from the thread
        that lives as long as the app: the child is killed when that thread ends."""
        cmd = list(self.command or [sys.executable, "-m", "search.searchproc"])
        cmd += ["--index-dir", str(self.index_dir), "--parent", str(os.getpid())]
        for f in self.entity_files:
            cmd += ["--entities", str(f)]
        cmd += ["--", *map(str, self.folders)]
        here = str(Path(__file__).resolve().parent.parent)     # this very copy of vnexplore
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(
            filter(None, [here, os.environ.get("PYTHONPATH")])))
        try:
            self.proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                         stderr=subprocess.DEVNULL, env=env, text=True,
                                         encoding="utf-8", errors="replace", bufsize=1)
        except OSError as e:
            raise ProcessGone(f"cannot run {cmd[0]}: {e.strerror or e}") from None

    def wait_ready(self, timeout: float = START_TIMEOUT) -> int:
        """Block until the process has opened the index: its passage count."""
        if self.proc is None:
            raise ProcessGone("it was not started")
        timer = threading.Timer(timeout, self.close)        # a hung start: end it
        timer.start()
        try:
            line = self.proc.stdout.readline()
        except (OSError, ValueError):          # closed meanwhile: too slow, or quitting
            line = ""
        finally:
            timer.cancel()
        reply = self._parse(line)
        if "error" in reply:
            self.close()
            raise ProcessGone(str(reply["error"]))
        return int(reply.get("ready", 0))

    def search(self, text: str, prefix: str = "", more: bool = False, limit: int = 20,
               sort: str = "relevance") -> tuple[SearchResult, str]:
        """search_as_typed, answered by the process. Raises ProcessGone when it is gone."""
        request = json.dumps({"text": text, "prefix": prefix, "more": more,
                              "limit": limit, "sort": sort})
        with self._lock:
            proc = self.proc
            if proc is None or self._closed:
                raise ProcessGone("it was closed")
            self._cancelled = False
            try:
                proc.stdin.write(request + "\n")
                proc.stdin.flush()
            except (OSError, ValueError):
                raise ProcessGone(_ended(proc)) from None
            self._asking = True
            try:
                line = proc.stdout.readline()
            except (OSError, ValueError):      # closed meanwhile (the app is quitting)
                line = ""
            finally:
                self._asking = False
            reply = self._parse(line)
        if reply.get("superseded"):
            raise Superseded(text)
        if "error" in reply:       # a failure of the engine, not of the process
            raise RuntimeError(reply["error"])
        self.answered += 1
        return result_from(reply["result"]), reply.get("prefix", "")

    def _parse(self, line: str) -> dict:
        if not line:
            proc = self.proc
            raise ProcessGone(_ended(proc) if proc is not None else "it was closed")
        try:
            reply = json.loads(line)
        except ValueError:
            raise ProcessGone(f"it answered {line[:60]!r}") from None
        if not isinstance(reply, dict):
            raise ProcessGone(f"it answered {line[:60]!r}")
        return reply

    def cancel(self) -> bool:
        """Stop the search being answered, if one is (from any thread): its search() raises
        Superseded at once instead of waiting for it. True when one was told to stop."""
        proc = self.proc
        if not self._asking or self._cancelled or proc is None or proc.poll() is not None:
            return False
        self._cancelled = True
        try:
            os.kill(proc.pid, signal.SIGUSR1)
        except OSError:
            return False
        return True

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def close(self) -> None:
        """End the process: the search it is at stopped, its input closed (it exits), then
        killed if it has not within a second."""
        proc = self.proc
        if proc is None:
            self._closed = True
            return
        self.cancel()
        self._closed = True
        try:
            proc.stdin.close()
        except (OSError, ValueError):
            pass
        try:
            proc.wait(timeout=1)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        try:
            proc.stdout.close()
        except (OSError, ValueError):
            pass


_searching = False          # (in the process) a search is at work: SIGUSR1 stops it


def _stop(signum, frame) -> None:
    if _searching:
        raise _Stop


def serve(engine, lines, out) -> None:
    """Answer each request line of `lines` on `out` until they end."""
    for line in lines:
        out.write(json.dumps(_answer(engine, line)) + "\n")
        out.flush()


def _answer(engine, line: str) -> dict:
    global _searching
    try:                                # (a stop in the handlers below is caught too)
        try:
            req = json.loads(line)
            _searching = True
            result, prefix = search_as_typed(
                engine, str(req["text"]), str(req.get("prefix") or ""),
                bool(req.get("more")), int(req.get("limit", 20)),
                str(req.get("sort", "relevance")))
            _searching = False
            return {"prefix": prefix, "result": result.to_dict()}
        except Exception as e:          # the engine failed: say so, serve on
            _searching = False
            return {"error": f"{type(e).__name__}: {e}"}
    except _Stop:
        _searching = False
        return {"superseded": True}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m search.searchproc")
    ap.add_argument("--index-dir", required=True, type=Path)
    ap.add_argument("--entities", action="append", type=Path, default=[])
    ap.add_argument("--parent", type=int)
    ap.add_argument("folders", nargs="+", type=Path)
    args = ap.parse_args(argv)
    out = sys.stdout
    sys.stdout = sys.stderr              # nothing else may write to the answers
    if args.parent:
        from search.index.write.writer import die_with
        die_with(args.parent)
    try:
        from search.engine import Engine
        from search.entities.mentions import index_hook
        engine = Engine(args.folders, args.index_dir, index_hook(args.entities or None))
        report = engine.update()
        engine.store.repair = lambda error, progress=None: None   # the app's to do (it says
                                  # so); here a failed search is answered as an error
        if engine.store.temporary:
            raise RuntimeError("the index is in the app's memory, not on disk")
    except Exception as e:
        out.write(json.dumps({"error": f"cannot open the index: {e}"}) + "\n")
        out.flush()
        return 1
    signal.signal(signal.SIGUSR1, _stop)
    out.write(json.dumps({"ready": report.passages}) + "\n")
    out.flush()
    try:
        serve(engine, sys.stdin, out)
    finally:
        engine.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
