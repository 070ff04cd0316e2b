"""How the index is written: one value passed from the Engine to the store and its writers
(in place of module constants), so a test or a caller says what it wants at the call site."""
from __future__ import annotations

from dataclasses import asdict, dataclass, fields


@dataclass(frozen=True)
class IndexOptions:
    block_postings: int = 128   # postings per block (Whoosh's default)
    parallel_from: int = 400    # files to index: below this, starting processes costs more
                                # than it saves (also when the app hands a big update to a
                                # child process: search.index.buildproc)
    max_procs: int = 4          # forked indexing workers at most (one per core below that)
    compound: bool = True       # one file per segment, read through maps
                                # (search.index.codec.mapped): no copy when opened; same
                                # speed as separate files at 10,000 articles

    def to_args(self) -> dict:
        """The fields that differ from the defaults (for a child process's command line)."""
        default = IndexOptions()
        return {k: v for k, v in asdict(self).items() if getattr(default, k) != v}

    @classmethod
    def from_args(cls, values: dict) -> "IndexOptions":
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in values.items() if k in known})


DEFAULT = IndexOptions()
