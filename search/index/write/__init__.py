"""Writing segments fast: the segment writer, its in-memory postings pool, the parallel build,
and IndexOptions (block size, when to build in parallel), passed down from the Engine.
"""
