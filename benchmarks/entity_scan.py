"""CPU per article of the entity scan alone (`mentions.scan`, what a build worker runs for
each document before the events), the documents read first.

Usage: python benchmarks/entity_scan.py CORPUS
Prints one pass over the corpus in ms per article (process_time, the cyclic collector off as
in the build workers). One pass per process: what the scan keeps from one document for the
next (names written alike) would make a second pass over the same documents look faster
than a build. Compare code with `PYTHONPATH=OTHER_CHECKOUT python ...`, alternating runs
in one sitting, best of 3.
"""
from __future__ import annotations

import gc
import sys
import time
from pathlib import Path

sys.path.append(str(Path(__file__).resolve().parent.parent))   # after PYTHONPATH

from search.corpus import files as corpus  # noqa: E402
from search.entities import gazetteer as G  # noqa: E402
from search.entities.matcher import Matcher  # noqa: E402
from search.entities.mentions import scan  # noqa: E402
from search.entities.nametypes import given_names, places  # noqa: E402


def main() -> None:
    gc.disable()
    warnings: list = []
    sources = corpus.scan([Path(sys.argv[1])], warnings)
    docs = [d for d in (corpus.read_source(s, warnings)[0] for s in sources) if d is not None]
    gaz = G.load(None)
    matcher = Matcher(gaz)
    places(), given_names()                 # the datasets, read once per process
    start = time.process_time()
    for doc in docs:
        scan(doc, gaz, matcher, {})
    spent = time.process_time() - start
    print(f"scan {spent * 1000 / max(1, len(docs)):.3f} ms/article ({len(docs)} articles)")


if __name__ == "__main__":
    main()
