"""The field writer's one-loop term writing (search.index.codec.terms) and the per-document
writer's cached columns (search.index.codec.perdoc) write the same files, byte for byte, as
Whoosh's own writers (start_term, the postings writer's add_postings, finish_term; add_field
and add_column_value): term table, postings, lengths and stored fields, also after a merge."""
from __future__ import annotations

import random
from array import array
from pathlib import Path
from pickle import dumps

import pytest
from whoosh.codec.whoosh3 import W3FieldWriter, W3PerDocWriter
from whoosh.index import create_in, open_dir

from search.index.codec import perdoc, terms
from search.index.schema import make_schema
from search.index.whooshapi import segments
from search.index.write.segment import FastSegmentWriter
from search.index.write.writer import Codec

SENTENCES = [
    "Tô Lâm met officials in Đà Nẵng; To Lam, An Giang and Can Tho were named.",
    "The U.S. and Viet Nam agreed on 5 per cent of U.S.A. trade with the United States.",
    "China’s “comprehensive strategic partnership” — with ASEAN — was upgraded.",
    "Hà Nội hosted the co-operation talks;\nsea-lane security and rock-n-roll diplomacy.",
    "O'Brien's report: Vietnam, Vietnam, Vietnam and vietnam again; trade trade trade.",
    "Đà Nẵng port, Cam Ranh Bay and the South China Sea code of conduct.",
]
WORDS = ("trade partnership sea security port talks summit visit treaty ASEAN Japan "
         "India Russia Hà Nội Đà Nẵng Tô Lâm U.S. per cent").split()


class PlainPerDocWriter(W3PerDocWriter):
    """Whoosh's own per-document writer, its stored fields at our compression level."""

    def _create_column(self, fieldname, column):
        if fieldname == "_stored":
            column = perdoc.STORED_COLUMN
        super()._create_column(fieldname, column)


class PlainCodec(Codec):
    """The same codec with Whoosh's own field and per-document writers."""

    def field_writer(self, storage, segment):
        return W3FieldWriter(self, storage, segment)

    def per_document_writer(self, storage, segment):
        return PlainPerDocWriter(self, storage, segment)


class WhooshCodec(Codec):
    """The same codec with Whoosh's own per-document writer as it is (stored fields at level 3)."""

    def per_document_writer(self, storage, segment):
        return W3PerDocWriter(self, storage, segment)


def passages(seed: int, count: int) -> list[dict]:
    rng = random.Random(seed)
    out = []
    for i in range(count):
        text = " ".join(rng.choice(SENTENCES) if rng.random() < 0.3 else rng.choice(WORDS)
                        for _ in range(rng.randint(0, 30)))
        if i % 4 == 0:                     # words in one passage only, once or twice
            text += f" Quảng{seed}x{i} Ninh" * (i % 8 // 4 + 1)
        names = ",".join(rng.sample(["China", "Japan", "United States", "ASEAN"], rng.randint(0, 2)))
        out.append(dict(doc=f"d{seed}-{i // 3}", number=i % 3, title=rng.choice(SENTENCES)[:40],
                        date="2024,2024-05", date_text="2024-05-01", source=rng.choice(["", "VnExpress"]),
                        meta="{}", text=text, pairs=text, hash=str(i), entity=names))
    return out


def build(path: Path, codec, batches: list[list[dict]]) -> dict[str, bytes]:
    """Index each batch as a segment (the last commit merging them all); each file's bytes
    by its extension."""
    path.mkdir()
    ix = create_in(str(path), make_schema(), indexname="passages")
    for k, batch in enumerate(batches):
        w = FastSegmentWriter(ix, codec=codec, compound=False)
        for fields in batch:
            w.add_document(**fields)
        w.commit(optimize=k == len(batches) - 1 and k > 0)
    segment = segments(ix)[0].segment_id()
    files = {}
    for f in path.iterdir():
        if f.name.startswith(segment):
            files[f.name.split(segment, 1)[1]] = f.read_bytes()
    return files


@pytest.mark.parametrize("options,batches", [
    (dict(blocklimit=4), [passages(1, 120)]),         # several blocks a term, inlined terms
    (dict(blocklimit=128), [passages(2, 400)]),       # Whoosh's block size
    (dict(blocklimit=3), [passages(3, 60), passages(4, 50)]),    # merged from two segments
    (dict(blocklimit=5, inlinelimit=4), [passages(5, 80)]),      # up to 3 postings inlined
    (dict(blocklimit=6, flush=64), [passages(6, 90)]),           # written out in many pieces
])
def test_one_loop_term_writing_writes_the_same_bytes_as_whoosh(tmp_path, monkeypatch,
                                                               options, batches):
    options = dict(options)
    monkeypatch.setattr(terms, "_FLUSH", options.pop("flush", terms._FLUSH))
    fast = build(tmp_path / "fast", Codec(**options), batches)
    plain = build(tmp_path / "plain", PlainCodec(**options), batches)
    assert sorted(fast) == sorted(plain)
    assert {".trm", ".pst", "._stored.col", "._text_len.col"} <= set(fast)
    for ext in plain:
        assert fast[ext] == plain[ext], ext


def test_stored_fields_written_uncompressed_read_back_by_whooshs_reader(tmp_path):
    """Stored fields skip deflate (zlib level 0), and an index of them reads as one written by
    Whoosh's own writer: every stored field of every passage is the same."""
    batch = passages(7, 60)
    stored = {}
    for name, codec in (("fast", Codec()), ("whoosh", WhooshCodec())):
        build(tmp_path / name, codec, [batch])
        ix = open_dir(str(tmp_path / name), indexname="passages")
        with ix.searcher() as s:
            stored[name] = [s.stored_fields(n) for n in range(s.doc_count_all())]
    assert stored["fast"] == stored["whoosh"]
    assert [f["text"] for f in stored["fast"]] == [p["text"] for p in batch]
    fast = next((tmp_path / "fast").glob("*._stored.col")).read_bytes()
    whoosh = next((tmp_path / "whoosh").glob("*._stored.col")).read_bytes()
    assert batch[5]["text"].encode() in fast and batch[5]["text"].encode() not in whoosh


@pytest.mark.parametrize("docnum", [0, 1, 255, 256, 65535, 65536, 2**31 - 1, 2**31, 2**40, -1])
def test_a_one_passage_terms_postings_are_pickled_as_dumps_pickles_them(docnum):
    """The term info of a word in one passage keeps its posting pickled (protocol 2);
    terms._pickled_posting writes those bytes out directly. Every docnum size pickle
    encodes differently, weights Whoosh gives (float32 counts, a boost, zero) and values:
    none (word pairs), a text posting's (position, start, end) with bytes over 0x7f (their
    latin-1 text is longer in UTF-8), long ones, and types it leaves to dumps."""
    rng = random.Random(docnum)
    weights = [1.0, 2.0, 0.5, 0.0, -0.0, 3.4e38, 1e-45, float(array("f", [0.1])[0])]
    values = [b"", b"\x00", bytes(range(256)), b"\xff" * 12, b"a" * 70_000,
              array("I", [3, 120, 131]).tobytes(),
              bytes(rng.randrange(256) for _ in range(300))]
    for weight in weights:
        for value in values:
            assert terms._pickled_posting(docnum, weight, value) == \
                dumps(((docnum,), (weight,), (value,)), 2), (weight, value)
    for odd in [(docnum, 1, b""), (docnum, 1.0, None), (True, 1.0, b""), (docnum, 1.0, "é")]:
        assert terms._pickled_posting(*odd) == dumps(tuple((x,) for x in odd), 2)


def test_length_columns_kept_in_memory_write_whooshs_bytes(tmp_path):
    """The length columns (a byte a passage, kept in memory until the segment is written) are
    Whoosh's bytes for lengths under and over the lookup table's 1024, over Whoosh's cap
    (106,374 -> 255), and for passages without a length in a field (no title, no source, no
    entity), the last two too: Whoosh writes no byte for those after the last length."""
    counts = [3, 0, 1023, 1024, 1025, 2, 5000, 110_000, 40, 1]
    batch = []
    for i, n in enumerate(counts):
        text = " ".join(f"w{k % 997}" for k in range(n))
        batch.append(dict(doc=f"d{i}", number=i, title="Tô Lâm visits Đà Nẵng" if i % 3 else "",
                          date="2024", date_text="2024-01-01", source="" if i % 2 else "VnExpress",
                          meta="{}", text=text, pairs=text, hash=str(i),
                          entity="" if i in (1, 8, 9) else "China,Japan"))
    fast = build(tmp_path / "fast", Codec(), [batch])
    plain = build(tmp_path / "plain", PlainCodec(), [batch])
    lengths = sorted(ext for ext in plain if ext.endswith("_len.col"))
    assert lengths == ["._entity_len.col", "._pairs_len.col", "._source_len.col",
                       "._text_len.col", "._title_len.col"]
    for ext in plain:
        assert fast[ext] == plain[ext], ext
