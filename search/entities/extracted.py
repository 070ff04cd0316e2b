"""Entities and events worked out per document while it is indexed, stored with the index.

Each indexed document gets a record of plain tuples: its gazetteer mentions and name
candidates (`entities.scan`), the events its sentences state, and which of its candidates
could change those events once the whole corpus is known. The records live in the index
generation (`RECORDS`; the words each document writes in lower case, needed only to write
the next generation, in `WORDS`), are written before the manifest names the generation and are
covered by its checksums, so a kill at any point leaves an index and its records together.
An update carries unchanged documents' records over and redoes only added or changed ones.

Opening the entity index is then `entities.aggregate` over the records (linear in the
mentions) plus the corpus steps; a document whose events depended on a name the corpus
decided otherwise is read again (rare: a long name that swallows a known one).

Files are `marshal` data (plain values only, no code runs on load): a file that does not load
(another Python, damage the checksums missed) means a fresh extraction, never an error.

It lives in entities/, above timeline/: a record holds the entity scan and the timeline's
events. The index stores records without importing this module: `mentions.index_hook` hands
the store this module as the hook's `records` (write, read, in_memory, FAILED) with `extract`.
"""
from __future__ import annotations

import marshal
import os
from pathlib import Path

from search.entities import gazetteer as G
from search.timeline.model import event_of, event_tuple  # noqa: F401  (re-exported)

RECORDS = "extracted.marshal"
WORDS = "extracted-words.marshal"
FAILED = "failed"       # a document whose extraction raised: the panes redo it from the text
VERSION = "x1"          # part of the index's analysis fingerprint: bump when records change


def record(doc, gaz: G.Gazetteer, matcher) -> tuple[tuple, tuple[str, ...]]:
    """(record, lower-case words) of one document: independent of every other document."""
    from search.entities.mentions import accepted_names, aggregate, scan
    from search.timeline.extract import extract_events    # only when indexing: not at start
    rec, lower = scan(doc, gaz, matcher)
    local = accepted_names({doc.id: rec}, gaz, lower)
    deps = _depends(rec, gaz, local)
    index = aggregate({doc.id: rec}, gaz, lower, accepted=local)
    events = tuple(event_tuple(e) for e in extract_events([doc], index))
    return (rec, events, deps), tuple(sorted(lower))


def _depends(rec, gaz, local: dict) -> tuple:
    """(key, taken here, names a gazetteer entry) of the candidates whose fate in the corpus
    can change this document's events: those that would swallow a gazetteer mention, and
    those whose name the gazetteer resolves."""
    found, cands = rec
    known: dict[int, list[tuple[int, int]]] = {}
    for _, _, n, s, e, _ in found:
        known.setdefault(n, []).append((s, e))
    out = {}
    for key, n, s, e, _, surface in cands:
        swallows = any(s <= a and b <= e and (s, e) != (a, b) for a, b in known.get(n, ()))
        resolves = gaz.get(surface) is not None
        if swallows or resolves:
            was = out.get(key, (key, key in local, False))
            out[key] = (key, key in local, was[2] or resolves)
    return tuple(out.values())


def dirty(records: dict, accepted: dict) -> set[str]:
    """Documents whose stored events were worked out on a guess the corpus contradicts."""
    out = set()
    for doc, (_, _, deps) in records.items():
        for key, taken, resolves in deps:
            if (key in accepted) != taken or (resolves and key in accepted):
                out.add(doc)
                break
    return out


def _load(path: Path):
    try:
        return marshal.loads(path.read_bytes())
    except (OSError, ValueError, EOFError, TypeError):
        return None


def read(gen: Path) -> tuple[dict, frozenset] | None:
    """({doc: record}, lower-case words of the corpus) of a generation, or None."""
    data = _load(gen / RECORDS)
    if not isinstance(data, dict) or data.get("version") != VERSION:
        return None
    return data["docs"], data["lower"]


def write(gen: Path, base: Path | None, new: dict, removed) -> None:
    """Write the generation's records: the base generation's, less `removed` and the
    documents in `new` ({doc: (record, words) or None}), plus those of `new`. The files in
    `gen` may be hard links to the base's: they are replaced, never written in place."""
    docs, words = {}, {}
    if base is not None:
        old = _load(base / RECORDS)
        old_words = _load(base / WORDS)
        if isinstance(old, dict) and old.get("version") == VERSION and isinstance(old_words, dict):
            docs, words = old["docs"], old_words
    for doc in [*removed, *new]:
        docs.pop(doc, None)
        words.pop(doc, None)
    for doc, got in new.items():
        if got == FAILED:
            docs[doc] = None
        elif got is not None:
            docs[doc], words[doc] = got
    lower: set[str] = set()
    for w in words.values():
        lower.update(w)
    docs = dict(sorted(docs.items()))
    _replace(gen / WORDS, marshal.dumps(words))
    _replace(gen / RECORDS, marshal.dumps({"version": VERSION, "docs": docs,
                                            "lower": frozenset(lower)}))


def in_memory(new: dict) -> tuple[dict, frozenset]:
    """What `read` gives, for an index built in memory from `new` ({doc: (record, words)})."""
    docs = {d: None if got == FAILED else got[0] for d, got in sorted(new.items()) if got}
    lower = frozenset(w for got in new.values() if got and got != FAILED for w in got[1])
    return docs, lower


def _replace(path: Path, data: bytes) -> None:
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


# -- the corpus-level results, kept beside the index for the next command -----------------
SUMMARY = "summary.marshal"      # in the index folder, named by the generation it is of


def _summary_key(store, extra_files) -> list | None:
    from search.paths import bundled_data
    state = store._state
    if state is None:
        return None
    try:
        st = (bundled_data() / "partnerships.yaml").stat()
    except OSError:
        return None
    return [state.generation, state.analysis, G.fingerprint(extra_files), st.st_size, st.st_mtime_ns]


def summary(store, extra_files=None) -> dict | None:
    """{"entities": [Entity dicts], "events": [event tuples]} worked out earlier for exactly
    this generation, gazetteer and curated events file, or None."""
    key = _summary_key(store, extra_files)
    data = _load(store.dir / SUMMARY) if key else None
    if not isinstance(data, dict) or data.get("key") != key:
        return None
    return data


def save_summary(store, extra_files, entities: list, events: list) -> None:
    """Keep the entity list and the merged timeline for the next command (best effort: a
    read-only folder keeps nothing)."""
    key = _summary_key(store, extra_files)
    if key is None:
        return
    try:
        _replace(store.dir / SUMMARY, marshal.dumps({
            "key": key, "entities": [e.to_dict() for e in entities],
            "events": [event_tuple(e) for e in events]}))
    except (OSError, ValueError):
        pass
