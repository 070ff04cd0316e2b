"""CPU per article of each stage of a full build, in one process (what each build worker does).

Usage: python benchmarks/build_stages.py CORPUS [--no-extract]

Stages, as a worker runs them for each file (the cyclic collector off, as in the workers):
  read     corpus.read_source: the file read, front matter, cleaning, passages
  extract  the entity hook's extract(doc): mentions, name candidates, events (the record)
  fields   the passages' index fields (the entity field from what extract matched)
  add      the writer's add_document for each passage
  commit   the segment written (postings, terms, stored fields), once at the end
Figures are CPU (process_time) in ms per article; a 10,000-article build spreads the sum
over two workers. Compare code with `PYTHONPATH=OTHER_CHECKOUT python benchmarks/...`,
alternating runs in one sitting.
"""
from __future__ import annotations

import argparse
import gc
import shutil
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

sys.path.append(str(Path(__file__).resolve().parent.parent))   # after PYTHONPATH

from whoosh.filedb.filestore import FileStorage  # noqa: E402

from search.corpus import files as corpus  # noqa: E402
from search.entities.mentions import index_hook  # noqa: E402
from search.index.schema import make_schema, passage_fields  # noqa: E402
from search.index.write.segment import FastSegmentWriter  # noqa: E402
from search.index.write.writer import Codec  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--no-extract", action="store_true", help="index only")
    args = parser.parse_args()
    spent: dict[str, float] = defaultdict(float)

    def clock(stage, f, *a):
        t = time.process_time()
        result = f(*a)
        spent[stage] += time.process_time() - t
        return result

    gc.disable()
    warnings: list = []
    sources = corpus.scan([args.corpus], warnings)
    hook = index_hook(None)
    out = tempfile.mkdtemp()
    try:
        ix = FileStorage(out).create_index(make_schema(), indexname="passages")
        writer = FastSegmentWriter(ix, codec=Codec())
        for src in sources:
            doc, _ = clock("read", corpus.read_source, src, warnings)
            if doc is None:
                continue
            if not args.no_extract:
                clock("extract", hook.extract, doc)
            fields = clock("fields", lambda d: list(passage_fields(
                d, None if args.no_extract else hook)), doc)
            clock("add", lambda: [writer.add_document(**f) for f in fields])
        clock("commit", writer.commit)
    finally:
        shutil.rmtree(out)
    n = max(1, len(sources))
    for stage, seconds in spent.items():
        print(f"{stage:8s} {seconds * 1000 / n:6.2f} ms/article")
    print(f"{'total':8s} {sum(spent.values()) * 1000 / n:6.2f} ms/article ({n} articles)")


if __name__ == "__main__":
    main()
