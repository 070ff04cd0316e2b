"""Entities and events worked out per document while it is indexed, stored with the index.

Each indexed document gets a record of plain tuples: its gazetteer mentions and name
candidates (`entities.scan`), the events its sentences state, and which of its candidates
could change those events once the whole corpus is known; beside it, its passages' text
(compressed, for concordance lines without reading the index) and the words it writes in
lower case (needed only to keep the corpus's set of them when documents go).

The records live in the index generation in chunks (`CHUNK`: one per update, each document's
parts at offsets named in the chunk's header, so a document is read alone); `RECORDS` names
the chunks and which one holds each live document, `WORDS` counts the documents writing each
lower-case word. An update writes only its own chunk and the two small files (the older chunks
are the base generation's files, hard-linked), and merges chunks when there are more than
`MAX_CHUNKS`. All are written before the manifest names the generation and are covered by its
checksums, so a kill at any point leaves an index and its records together.

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
import time
import zlib
from collections import Counter
from pathlib import Path

from search.corpus.text import one_spaced
from search.entities import gazetteer as G
from search.entities import pieces as P
from search.timeline.model import event_of, event_tuple  # noqa: F401  (re-exported)

RECORDS = "extracted.marshal"          # {"version", "chunks": [names], "docs": {doc: chunk}}
WORDS = "extracted-words.marshal"      # {lower-case word: documents writing it}
CHUNK = "extracted-{:x}.chunk"
MAX_CHUNKS = 8
WINDOW = 4 << 20        # bytes read at once when going through every record
MAGIC = b"VNXC2"
FAILED = "failed"       # a document whose extraction raised: the panes redo it from the text
VERSION = "x3"          # part of the index's analysis fingerprint: bump when records change


def record(doc, gaz: G.Gazetteer, matcher, seen: dict | None = None) -> tuple:
    """One document's stored parts, as bytes (`_parts`): its record, its passages' text, the
    words it writes in lower case. Independent of every other document; made in the worker
    that read the document, so the build holds compact bytes, not tuples, until written.
    `seen`: see `entities.scan` (what each passage matched, for the index's entity field)."""
    from search.entities.mentions import accepted_names, document_index, scan
    from search.timeline.extract import extract_events    # only when indexing: not at start
    rec, lower = scan(doc, gaz, matcher, seen)
    local = accepted_names({doc.id: rec}, gaz, lower)
    deps = _depends(rec, gaz, local)
    index = document_index(doc.id, rec, gaz, local)
    events = tuple(event_tuple(e) for e in extract_events([doc], index))
    texts = marshal.dumps({p.number: p.text for p in doc.passages})
    return marshal.dumps((rec, events, deps)), texts, _pack(tuple(sorted(lower)))


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
        resolves = _resolves(gaz, key, surface)
        if resolves or (n in known and _swallows(s, e, known[n])):
            was = out.get(key, (key, key in local, False))
            out[key] = (key, key in local, was[2] or resolves)
    return tuple(out.values())


def _swallows(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    """Does start..end hold one of `spans` and more? A loop, not any() over a generator:
    asked for each name candidate of a document indexed (about 19 an article, its passage
    naming about 6 known names), setting up the generator cost more than the comparisons."""
    for a, b in spans:
        if start <= a and b <= end and (a != start or b != end):
            return True
    return False


_THE = ("the", "The", "THE")


def _resolves(gaz: G.Gazetteer, key: str, surface: str) -> bool:
    """`gaz.get(surface) is not None`, for a candidate whose key is its folded surface.
    Why: `get` folds the name again (after tidying its spaces and a leading "the"), the most
    of `_depends`'s cost; a surface with single spaces and no leading "the" is its own tidy
    form, so its key is what `get` looks up."""
    if surface[:3] not in _THE and one_spaced(surface) is surface:
        return key in gaz.entries
    return gaz.get(surface) is not None


def dirty(records, accepted: dict) -> set[str]:
    """Documents whose stored events were worked out on a guess the corpus contradicts."""
    out = set()
    for doc, (_, _, deps) in records.items():
        for key, taken, resolves in deps:
            if (key in accepted) != taken or (resolves and key in accepted):
                out.add(doc)
                break
    return out


# -- chunks: each document's record, text and words, readable alone -----------------------
def _parts(got) -> tuple[bytes, bytes, bytes]:
    """A document's stored parts as bytes: (record, text, words). The text is kept plain
    (read for concordance lines: decompressing costs more than reading), the words
    compressed (read only when the document goes)."""
    if got == FAILED:
        return marshal.dumps(None), b"", _pack(())
    return got


def _pack(words) -> bytes:
    return zlib.compress(marshal.dumps(words), 1)


def _unpack(data: bytes):
    return marshal.loads(zlib.decompress(data))


def _chunk_bytes(items) -> bytes:
    """items: (doc, (record, text, words) bytes) in document order."""
    header, body, at = {}, [], 0
    for doc, parts in items:
        header[doc] = (at, *(len(p) for p in parts))
        at += sum(len(p) for p in parts)
        body += parts
    head = marshal.dumps(header)
    return b"".join([MAGIC, len(head).to_bytes(8, "little"), head, *body])


class _Chunk:
    """One chunk file, its documents' parts read at their offsets (never all at once)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        with open(path, "rb") as f:
            if f.read(len(MAGIC)) != MAGIC:
                raise ValueError(f"{path.name}: not a records chunk")
            size = int.from_bytes(f.read(8), "little")
            self.header = marshal.loads(f.read(size))
        if not isinstance(self.header, dict):
            raise ValueError(f"{path.name}: damaged header")
        self.start = len(MAGIC) + 8 + size
        self.size = path.stat().st_size
        self._fd = None

    def raw(self, doc: str, data: bytes | None = None) -> tuple[bytes, bytes, bytes]:
        at, r, t, w = self.header[doc]
        if data is None:
            data = self.read(self.start + at, r + t + w)
            at = 0
        else:
            at += self.start
        return data[at:at + r], data[at + r:at + r + t], data[at + r + t:at + r + t + w]

    def text(self, doc: str) -> bytes:
        """The document's text part alone (read for concordance lines)."""
        at, r, t, _ = self.header[doc]
        return self.read(self.start + at + r, t) if t else b""

    def read(self, at: int, size: int) -> bytes:
        """`size` bytes at `at`, from the file kept open (a document's parts read one by one
        for 60,000 concordance lines cost no open each)."""
        if self._fd is None:
            self._fd = os.open(self.path, os.O_RDONLY)
        return os.pread(self._fd, size, at)

    def __del__(self) -> None:
        if getattr(self, "_fd", None) is not None:
            os.close(self._fd)

    def records(self, docs: list[str]):
        """(doc, record bytes) of these documents (in file order, as written), read in
        windows of at most `WINDOW` bytes: memory bounded whatever the chunk's size."""
        i = 0
        while i < len(docs):
            first = self.header[docs[i]][0]
            j = i + 1
            while j < len(docs) and self.header[docs[j]][0] + sum(self.header[docs[j]][1:]) \
                    - first <= WINDOW and self.header[docs[j]][0] > self.header[docs[j - 1]][0]:
                j += 1
            last = self.header[docs[j - 1]]
            data = self.read(self.start + first, last[0] + sum(last[1:]) - first)
            for doc in docs[i:j]:
                at, r = self.header[doc][:2]
                yield doc, data[at - first:at - first + r]
            i = j

    def whole(self) -> bytes:
        return self.path.read_bytes()


class _Memory:
    """The same for an index built in memory."""

    def __init__(self, parts: dict) -> None:
        self.header = parts
        self.size = 0

    def raw(self, doc: str, data=None):
        return self.header[doc]

    def text(self, doc: str) -> bytes:
        return self.header[doc][1]

    def whole(self):
        return None


class Records:
    """The stored records of one index generation (or of an index in memory): a document's
    record or text read alone (a few hundred bytes to a few KB), or all in document order."""

    def __init__(self, chunks: list, where: dict, words: dict) -> None:
        self._chunks, self._where, self._words = chunks, where, words
        self.docs = list(where)                 # sorted by id, as the index lists them

    def __len__(self) -> int:
        return len(self._where)

    def __contains__(self, doc) -> bool:
        return doc in self._where

    def get(self, doc: str):
        """The document's record (None when its extraction failed); KeyError if not here."""
        return marshal.loads(self._chunks[self._where[doc]].raw(doc)[0])

    def texts(self, doc: str) -> dict:
        """{passage number: text} of the document ({} when not here)."""
        if doc not in self._where:
            return {}
        t = self._chunks[self._where[doc]].text(doc)
        return marshal.loads(t) if t else {}

    @property
    def lower(self) -> frozenset:
        return frozenset(w for w, n in self._words.items() if n > 0)

    def items(self):
        """(doc, record) of every document in document order, each chunk read in windows of
        consecutive documents (`WINDOW` bytes at most): memory bounded, one read a window."""
        run: list[str] = []
        for doc, c in self._where.items():
            if run and self._where[run[-1]] != c:
                yield from self._decoded(run)
                run = []
            run.append(doc)
        yield from self._decoded(run)

    def _decoded(self, docs: list[str]):
        if not docs:
            return
        chunk = self._chunks[self._where[docs[0]]]
        if isinstance(chunk, _Memory):
            for doc in docs:
                yield doc, marshal.loads(chunk.raw(doc)[0])
            return
        for doc, data in chunk.records(docs):
            yield doc, marshal.loads(data)

    def all(self) -> dict:
        return dict(self.items())


def open_records(gen: Path) -> Records | None:
    """The records of a generation, or None (none stored, another version, damaged)."""
    head = _load(gen / RECORDS)
    words = _load(gen / WORDS)
    if not isinstance(head, dict) or head.get("version") != VERSION or not isinstance(words, dict):
        return None
    try:
        chunks = [_Chunk(gen / name) for name in head["chunks"]]
    except (OSError, ValueError, EOFError, TypeError, KeyError):
        return None
    return Records(chunks, head["docs"], words)


def read(gen: Path) -> tuple[dict, frozenset] | None:
    """({doc: record}, lower-case words of the corpus) of a generation, or None."""
    found = open_records(gen)
    if found is None:
        return None
    try:
        return found.all(), found.lower
    except (OSError, ValueError, EOFError, TypeError, KeyError):
        return None


def _load(path: Path):
    try:
        return marshal.loads(path.read_bytes())
    except (OSError, ValueError, EOFError, TypeError):
        return None


def write(gen: Path, base: Path | None, new: dict, removed) -> None:
    """Write the generation's records: the base generation's chunks (hard links in `gen`,
    never written in place), less `removed` and the documents in `new` ({doc: `record`'s
    parts, FAILED or None}), plus a chunk of those of `new`. Cost: the new
    documents' parts and two small files; a merge of chunks when there are too many."""
    old = open_records(base) if base is not None else None
    chunks = list(old._chunks) if old else []
    where = dict(old._where) if old else {}
    words = Counter(old._words) if old else Counter()
    for doc in [*removed, *new]:
        if doc in where:
            for w in _unpack(chunks[where.pop(doc)].raw(doc)[2]):
                words[w] = words.get(w, 1) - 1
    mine = sorted((doc, _parts(got)) for doc, got in new.items() if got is not None)
    for _, (_, _, w) in mine:
        words.update(_unpack(w))        # counted in C: 3 million words at 10,000 articles
    names = [c.path.name for c in chunks]
    if mine:
        name = _fresh_name(gen)
        _replace(gen / name, _chunk_bytes(mine))
        names.append(name)
        chunks.append(_Chunk(gen / name))
        where.update((doc, len(chunks) - 1) for doc, _ in mine)
    if len(chunks) > MAX_CHUNKS:
        names, where = _merge(gen, chunks, where)
    _replace(gen / WORDS, marshal.dumps({w: n for w, n in words.items() if n > 0}))
    _replace(gen / RECORDS, marshal.dumps({"version": VERSION, "chunks": names,
                                            "docs": dict(sorted(where.items()))}))
    for child in gen.glob("extracted-*.chunk"):        # merged away, or left by a killed run
        if child.name not in names:
            child.unlink(missing_ok=True)


def _merge(gen: Path, chunks: list, where: dict) -> tuple[list, dict]:
    """Merge the newer chunks into one (all of them when they outweigh the oldest): their
    live documents' bytes copied, nothing decoded. Amortised: at most every few updates."""
    first = 0 if sum(c.size for c in chunks[1:]) >= chunks[0].size else 1
    merged = set(range(first, len(chunks)))
    whole = {c: chunks[c].whole() for c in merged}
    mine = [(doc, chunks[c].raw(doc, whole[c])) for doc, c in sorted(where.items()) if c in merged]
    name = _fresh_name(gen)
    _replace(gen / name, _chunk_bytes(mine))
    keep = chunks[:first]
    names = [c.path.name for c in keep] + [name]
    out = {doc: (c if c < first else first) for doc, c in where.items()}
    return names, out


def _fresh_name(gen: Path) -> str:
    n = time.time_ns()
    while (gen / CHUNK.format(n)).exists():
        n += 1
    return CHUNK.format(n)


def in_memory(new: dict) -> Records:
    """What `open_records` gives, for an index built in memory from `new`."""
    parts = {d: _parts(got) for d, got in sorted(new.items()) if got is not None}
    words: Counter[str] = Counter()
    for _, _, w in parts.values():
        words.update(_unpack(w))
    return Records([_Memory(parts)], {d: 0 for d in parts}, dict(words))


def _replace(path: Path, data: bytes | list[bytes]) -> None:
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "wb") as f:
        f.write(data) if isinstance(data, bytes) else f.writelines(data)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


# -- the corpus-level results, kept beside the index for the next command -----------------
SUMMARY = "summary.marshal"      # in the index folder, named by the generation it is of
MENTIONS = "summary-mentions.marshal"   # each entity's mentions as arrays, passages' entities
KEPT_VERSION = "k2"     # of what these two hold (both `pieces` files): bump when it changes


def records_of(store) -> Records | None:
    """The records stored with the store's open index (or built with it in memory)."""
    if store._state is None:
        return store._records if store.ix is not None else None
    return open_records(store.dir / store._state.generation)


def _summary_key(store, extra_files) -> list | None:
    from search.paths import bundled_data
    state = store._state
    if state is None:
        return None
    try:
        st = (bundled_data() / "partnerships.yaml").stat()
    except OSError:
        return None
    return [state.generation, state.analysis, G.fingerprint(extra_files), st.st_size, st.st_mtime_ns,
            KEPT_VERSION]


def _kept(store, extra_files, name: str, key=None):
    """The pieces file `name` kept for exactly this index, gazetteer and events file, or None."""
    key = key or _summary_key(store, extra_files)
    return P.open_pieces(store.dir / name, key) if key else None


def summary(store, extra_files=None) -> dict | None:
    """{"entities": [Entity dicts], "events": [event tuples], "warnings": [...]} worked out
    earlier for exactly this generation, gazetteer and curated events file, or None."""
    kept = _kept(store, extra_files, SUMMARY)
    if kept is None:
        return None
    try:
        return {name: kept.get(name, pause=False) for name in ("entities", "events", "warnings")}
    except (OSError, ValueError, EOFError, TypeError, KeyError):
        return None
    finally:
        kept.close()


def kept_mentions(store, extra_files=None) -> tuple[P.Pieces, P.Pieces] | None:
    """(summary, mentions) as open pieces files when both were kept for this very index."""
    key = _summary_key(store, extra_files)
    first = _kept(store, extra_files, SUMMARY, key)
    second = _kept(store, extra_files, MENTIONS, key) if first else None
    return (first, second) if second else None


def save_summary(store, extra_files, entities: list, events: list, mentions: dict | None = None,
                 warnings: list | None = None) -> None:
    """Keep the entity list and the merged timeline (and, from the stored records, each
    entity's mentions: `entities.KeptEntityIndex`) for the next command or start, in pieces
    (`search.entities.pieces`; best effort: a read-only folder keeps nothing)."""
    key = _summary_key(store, extra_files)
    if key is None:
        return
    try:
        if mentions is not None:
            P.write(store.dir / MENTIONS, key, mentions, _replace)
        P.write(store.dir / SUMMARY, key, {
            "entities": [e if isinstance(e, dict) else e.to_dict() for e in entities],
            "events": [event_tuple(e) for e in events], "warnings": list(warnings or [])},
            _replace)
    except (OSError, ValueError):
        pass
