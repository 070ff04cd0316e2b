"""Writing segments fast: the segment writer, its in-memory postings pool, the parallel build.
"""
