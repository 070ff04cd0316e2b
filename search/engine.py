"""The engine's front door: a corpus, its index, and what can be asked of them."""
from __future__ import annotations

import functools
import json
import re
import threading
from pathlib import Path

from search.entities.gazetteer import entity_key, widen_query
from search.index.score import counting
from search.index.score import top as fastscore
from search.index import highlight
from search.index import query as Q
from search.index import searcher as S
from search.model import Document, Hit, Passage, SearchResult
from search.paths import bundled_seeds, write_atomic
from search.index.analysis import normal_form
from search.index.store import IndexStore, Progress, UpdateReport
from search.corpus.text import fold

RELATED_TERMS = 12
COMMON_SHARE = 0.2      # a word in more than this share of the passages relates nothing
COMMON_FLOOR = 6        # (in a small index, a word in this many passages still may)
ENTITY_BOOST = 2.0      # a related passage naming the same entities ranks higher
_UNDATED = (1,)          # sorted by date, undated passages come last
SUGGEST_WORDS = 8       # unknown words of a query offered a respelling (each costs a lookup)


DOCUMENTS = "documents.json"      # the documents table, beside the index


def _kept_documents(path: Path, generation: str) -> list[dict] | None:
    """The documents table kept for this generation of the index, or None (missing, of
    another generation, or not what was written)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("generation") != generation:
        return None
    docs = data.get("documents")
    if not isinstance(docs, list) or not all(
            isinstance(d, dict) and isinstance(d.get("id"), str)
            and isinstance(d.get("passages"), int)
            and all(isinstance(d.get(k), (str, type(None))) for k in ("title", "date"))
            and len(d) == 4 for d in docs):
        return None
    return docs


class _Matched:
    """A hit and the terms it was matched by, as highlight.spans_for_hits reads Whoosh's."""

    def __init__(self, docnum: int, terms: list):
        self.docnum, self._terms = docnum, terms

    def matched_terms(self) -> list:
        return self._terms


def _repairing(method):
    """A read of the index that, when it fails on damaged index files, has the index rebuilt
    (with a message) and is run once more."""
    @functools.wraps(method)
    def run(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except Exception as e:
            with self._lock:
                report = self.store.repair(e)
                if report is None:
                    raise
                self._adopt(report)
            if self.notify is not None:     # the command line prints them (cli.open_engine)
                for message in report.messages:
                    self.notify(message)
            return method(self, *args, **kwargs)
    return run


class Engine:
    """Search, read and relate the passages of one or more corpus folders.

    The searcher is opened once and refreshed after each update (opening one costs ~40 ms).
    """

    def __init__(self, folders: list[Path] | None = None, index_dir: Path | None = None,
                 entity_names=None, options=None):
        """`options`: how the index is written (search.index.write.options.IndexOptions)."""
        self.folders = [Path(f) for f in folders] if folders else [bundled_seeds()]
        if entity_names is None:           # the bundled gazetteer with the user's own file
            from search.entities.mentions import index_hook
            entity_names = index_hook(None)
        self.store = IndexStore(self.folders, index_dir, entity_names, options)
        self.store.child_main = "search.buildchild"    # a big update from the app: a process
        self.report: UpdateReport | None = None
        self._searcher = None
        self._dates = None     # (searcher, {docnum: date sort key}) for sort="date"
        self._lock = threading.RLock()
        self.notify = None     # called with messages about the index after a repair mid-use

    # -- lifecycle ------------------------------------------------------------
    def update(self, rebuild: bool = False, progress: Progress | None = None) -> UpdateReport:
        with self._lock:
            self._adopt(self.store.update(rebuild=rebuild, progress=progress))
            return self.report

    def _adopt(self, report: UpdateReport) -> None:
        self.report = report
        if self._searcher is not None:
            self._searcher.close()
        self._searcher = self.store.searcher()

    @property
    def searcher(self):
        if self._searcher is None:
            self.update()
        else:
            fresh = self._searcher.refresh()
            if fresh is not self._searcher:
                self._searcher = fresh
        return self._searcher

    def close(self) -> None:
        """Let go of the searcher and the index (so replaced index copies can be swept)."""
        with self._lock:
            if self._searcher is not None:
                self._searcher.close()
                self._searcher = None
            self.store.close()

    # -- search ---------------------------------------------------------------
    @_repairing
    def search(self, text: str, limit: int = 20, doc: str | None = None,
               sort: str = "relevance") -> SearchResult:
        """Passages matching all the words first, then most of them. Never raises for bad input.

        With `doc`, only that document's passages (the reader's hits). With sort="date",
        every passage with all the words, newest document first (then the most relevant)."""
        with self._lock:
            s = self.searcher
            parsed = Q.parse(text, s.schema, s.reader(), widen=widen_query,
                             entity_key=entity_key)
            if parsed.error:
                return SearchResult(parsed.text, 0, [], error=parsed.error, notice=parsed.notice)
            all_q, any_q = parsed.all_words, parsed.any_words
            if doc is not None:
                all_q = S.in_document(all_q, doc)
                any_q = None if any_q is None else S.in_document(any_q, doc)
            if sort == "date":
                return self._by_date(parsed, all_q, limit)
            # Without terms=True Whoosh skips blocks that cannot reach the top N; the
            # count and the matched terms are then worked out apart (see counting.py).
            fast = counting.simple_matching(all_q) and (
                any_q is None or counting.simple_matching(any_q))
            quick = fastscore.top(s, all_q, max(limit, 1)) if fast or any_q is None else None
            matched = None
            if quick is not None and not fast:   # an OR of compound branches: the words each
                try:                              # hit was matched by, looked up per hit
                    matched = {h.docnum: counting.hit_terms(all_q, s.reader(), h.docnum)
                               for h in quick[0][:limit]}
                except counting.Unsupported:
                    quick = None
            if quick is not None:            # scored in bulk, same BM25F (fastscore.py)
                found, total = quick[0][:limit], quick[1]
            else:
                results = s.search(all_q, limit=max(limit, 1), terms=not fast)
                total = counting.count(s, all_q)
                total = len(results) if total is None else total
                found = results[:limit]      # (list(results) would count every match)
            if any_q is not None and len(found) < limit:
                seen = {h.docnum for h in found}
                tail = fastscore.top(s, any_q, limit + len(found), count=False) if fast else None
                more = tail[0] if tail is not None else s.search(
                    any_q, limit=limit + len(found), terms=not fast)
                found += [h for h in more if h.docnum not in seen][: limit - len(found)]
            terms = None
            if fast:
                terms = counting.query_terms(all_q, highlight.SPAN_FIELDS)
                if any_q is not None:
                    terms += counting.query_terms(any_q, highlight.SPAN_FIELDS)
            hits = self._hits(found, terms=terms, matched=matched)
            suggestion = None if hits else self._suggest(parsed.text)
            return SearchResult(parsed.text, total, hits, suggestion=suggestion,
                                notice=parsed.notice)

    def _by_date(self, parsed, all_q, limit: int) -> SearchResult:
        """All the passages with all the words, scored, then ordered by their document's date."""
        s = self.searcher
        fast = counting.simple_matching(all_q)
        dates = self._date_keys()
        order = lambda sd: (dates.get(sd[1], _UNDATED), -sd[0], sd[1])   # noqa: E731
        quick = fastscore.top(s, all_q, 1 << 40)     # every match, scored in bulk
        found, matched = None, None
        if quick is not None:
            ranked = sorted(((h.score, h.docnum) for h in quick[0]), key=order)
            found = [fastscore.FastHit(s, docnum, score) for score, docnum in ranked[:limit]]
            if not fast:
                try:
                    matched = {h.docnum: counting.hit_terms(all_q, s.reader(), h.docnum)
                               for h in found}
                except counting.Unsupported:
                    found = None
        if found is None:
            results = s.search(all_q, limit=None, terms=True)
            ranked = sorted(results.top_n, key=order)
            found = S.hits_in_order(results, ranked[:limit])
        terms = counting.query_terms(all_q, highlight.SPAN_FIELDS) if fast else None
        hits = self._hits(found, terms=terms, matched=matched)
        return SearchResult(parsed.text, len(ranked), hits, notice=parsed.notice,
                            suggestion=None if hits else self._suggest(parsed.text))

    def _date_keys(self) -> dict[int, tuple]:
        """{docnum: sort key}, newest first, of every dated passage (from the date field's
        terms; the most precise term of a passage is its date). Kept until the index changes."""
        s = self.searcher
        if self._dates is not None and self._dates[0] is s:
            return self._dates[1]
        reader, keys = s.reader(), {}
        terms = [t for t in reader.field_terms("date") if re.fullmatch(r"\d{4}(?:-\d{2}){0,2}", t)]
        for term in sorted(terms, key=len):      # years, then months, then days: the most
            parts = [int(p) for p in term.split("-")]          # precise date written last
            key = (0, *(-p for p in parts + [0] * (3 - len(parts))))
            keys.update(dict.fromkeys(reader.postings("date", term).all_ids(), key))
        self._dates = (s, keys)
        return self._dates[1]

    def _hits(self, found: list, shared: bool = False, terms=None,
              matched=None) -> list[Hit]:
        """Hits with spans: of `terms` in every hit, of `matched` {docnum: terms} in each,
        or of the terms Whoosh tracked (terms=True)."""
        if matched is not None:
            spans = highlight.spans_for_hits(self.searcher.reader(), [
                _Matched(h.docnum, matched.get(h.docnum, [])) for h in found])
        else:
            spans = highlight.spans_for_hits(self.searcher.reader(), found, terms)
        hits = []
        for h in found:
            fields = h.fields()
            text = fields["text"]
            sp = spans.get(h.docnum, [])
            snip, snip_spans = highlight.snippet(text, sp)
            hit = Hit(doc=fields["doc"], title=fields.get("title", ""),
                      date=fields.get("date_text"), passage=fields["number"],
                      score=round(float(h.score or 0.0), 4), text=text, spans=sp,
                      snippet=highlight.mark(snip, snip_spans), page=fields.get("page"))
            if shared:
                hit.shared_terms = shared_words(text[s:e] for s, e in sp)
            hits.append(hit)
        return hits

    def _suggest(self, text: str) -> str | None:
        """A respelling of the query's unknown words, where the index knows a close word."""
        s = self.searcher
        corrector = s.corrector("text")
        reader = s.reader()
        changed, out, tried = False, text, 0
        for word in Q.plain_words(text):
            term = normal_form(word)
            if term is None or reader.frequency("text", term) > 0:
                continue
            tried += 1
            if tried > SUGGEST_WORDS:      # a pasted list of unknown words: the first few
                break
            folded = fold(word)
            if len(folded) < 4:
                continue
            options = corrector.suggest(folded, limit=1, prefix=1,
                                        maxdist=1 if len(folded) < 7 else 2)
            if options:
                out = out.replace(word, options[0], 1)
                changed = True
        return out if changed else None

    # -- reading --------------------------------------------------------------
    @_repairing
    def document(self, doc_id: str) -> Document | None:
        with self._lock:
            stored = sorted(self.searcher.documents(doc=doc_id), key=lambda f: f["number"])
        if not stored:
            return None
        first = stored[0]
        meta = json.loads(first.get("meta") or "{}")
        return Document(
            id=doc_id, path=meta.get("path", ""), title=first.get("title", doc_id),
            date=first.get("date_text"), source=first.get("source") or None,
            url=meta.get("url"), authors=meta.get("authors") or [],
            passages=[Passage(doc_id, f["number"], f["text"], f.get("page")) for f in stored])

    @_repairing
    def passage(self, doc_id: str, number: int) -> Passage | None:
        with self._lock:
            found = self._stored(doc_id, number)
        return Passage(doc_id, number, found[1]["text"], found[1].get("page")) if found else None

    @_repairing
    def docnum(self, doc_id: str, number: int) -> int | None:
        """The index document number of a passage (None when there is no such passage)."""
        with self._lock:
            found = self._stored(doc_id, number)
        return found[0] if found else None

    def _stored(self, doc_id: str, number: int) -> tuple[int, dict] | None:
        """(docnum, stored fields) of a passage. A document's passages are indexed in order,
        so the number-th of its index documents is tried first."""
        s = self.searcher
        docnums = sorted(s.document_numbers(doc=doc_id))
        guess = docnums[number - 1:number] if number >= 1 else []
        for d in guess + docnums:
            fields = s.stored_fields(d)
            if fields.get("number") == number:
                return d, fields
        return None

    @_repairing
    def documents(self) -> list[dict]:
        """Every document: id, title, date, passage count; sorted by id.

        Kept beside the index (DOCUMENTS, named by the generation it is of): the app lists
        them at each start, and working them out costs a third of a second at 10,000 articles."""
        with self._lock:
            key = self.store.generation
            docs = _kept_documents(self.store.dir / DOCUMENTS, key) if key else None
            if docs is None:
                docs = S.documents(self.searcher.reader())
                if key:
                    try:
                        write_atomic(self.store.dir / DOCUMENTS,
                                     json.dumps({"generation": key, "documents": docs}))
                    except OSError:        # a read-only index folder: worked out each time
                        pass
            return docs

    # -- related passages -----------------------------------------------------
    @_repairing
    def related(self, doc_id: str, number: int, limit: int = 10) -> list[Hit] | None:
        """The passages most like this one (more-like-this), without itself or exact repeats.

        Returns None when the passage does not exist."""
        with self._lock:
            s = self.searcher
            found = self._stored(doc_id, number)
            if not found:
                return None
            fields = found[1]
            reader = s.reader()
            common = max(COMMON_SHARE * reader.doc_count(), COMMON_FLOOR)
            key_terms = [(w, wt) for w, wt in S.key_terms(reader, fields["text"],
                                                           RELATED_TERMS * 4)
                         if 2 <= reader.doc_frequency("text", w) <= common][:RELATED_TERMS]
            if not key_terms:
                return []
            words = S.any_of("text", [(w, max(float(wt), 0.01)) for w, wt in key_terms])
            names = [n for n in self._entities(reader, found[0])     # Vietnam, in most
                     if reader.doc_frequency("entity", n) <= common]  # passages, relates none
            q = words if not names else S.and_maybe(
                words, S.any_of("entity", [(n, ENTITY_BOOST) for n in names]))
            kept, hashes = [], {fields["hash"]}       # not itself, nor its repeats
            for h in s.search(q, limit=limit * 4 + 5):
                if h["hash"] not in hashes:
                    hashes.add(h["hash"])
                    kept.append(h)
            hits = self._hits(kept, shared=True,
                              terms=counting.query_terms(words, highlight.SPAN_FIELDS))
            naming = [self._names_any(reader, names, h.docnum) for h in kept]
            # One shared word is chance; two, or a word and a name, is a relation.
            return [hit for hit, named in zip(hits, naming)
                    if len(hit.shared_terms) >= 2 or (hit.shared_terms and named)][:limit]

    @staticmethod
    def _names_any(reader, names: list, docnum: int) -> bool:
        for name in names:
            postings = reader.postings("entity", name)
            postings.skip_to(docnum)
            if postings.is_active() and postings.id() == docnum:
                return True
        return False

    @staticmethod
    def _entities(reader, docnum: int) -> list:
        """The entity names the index holds for a passage (a few hundred names to walk)."""
        if "entity" not in reader.schema:
            return []
        return [name for name in reader.field_terms("entity")
                if Engine._names_any(reader, [name], docnum)]


def shared_words(words) -> list[str]:
    """The words two passages share, once each: `China’s` and `China` are one (`china`),
    as are the forms of one word (`invasion`, `invasions`): the first form is shown."""
    shown: dict[str, str] = {}
    for word in words:
        word = re.sub(r"['’]s$", "", word.lower())
        shown.setdefault(normal_form(word) or word, word)
    return list(shown.values())
