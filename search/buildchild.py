"""`python -m search.buildchild`: a big index update in a process of its own (the parent's
side and the protocol are `search.index.buildproc`). Here, above the index, the child makes
the same entity hook the parent's store was given, from the entity files it is passed."""
from __future__ import annotations

import sys

from search.entities.mentions import index_hook
from search.index import buildproc
from search.index.store import IndexStore


def open_store(folders, index_dir, entity_files, options) -> IndexStore:
    return IndexStore(folders, index_dir, index_hook(entity_files), options)


if __name__ == "__main__":
    sys.exit(buildproc.main(sys.argv[1:], open_store))
