"""The Whoosh index of passages: the only package that imports whoosh.

store: where the index lives, building it and keeping it current; generations: complete
generations on disk (manifest, checksums, sweep); locking; buildproc: a big build in a child
process; schema, analysis: fields and analyzers; query: reading a user's query; highlight:
character spans and snippets; searcher: queries and hits the engine builds. codec/: the
postings format and its public bulk interface; write/: writing segments, IndexOptions;
score/: bulk postings, scoring, pruning, counting. whooshapi: every use of Whoosh's private
names outside the classes that extend Whoosh's, each saying why (a Whoosh change raises
WhooshChanged; tests/index/test_reference.py holds the index and fast paths to plain Whoosh).

Below entities/ and timeline/: it never imports them. What it stores of entities (the
`entity` field, per-document records) comes through the hook the engine hands the store.
"""
