"""The Whoosh index of passages: the only package that imports whoosh.

store: where the index lives, building it and keeping it current; generations: complete
generations on disk (manifest, checksums, sweep); locking; buildproc: a big build in a child
process; schema, analysis: fields and analyzers; query: reading a user's query; highlight:
character spans and snippets. codec/: the postings format; write/: writing segments;
score/: bulk postings, scoring, pruning, counting.
"""
