"""The postings format, owned by the project: array blocks (with their bulk interface:
BlockMatcher and InlineMatcher's postings, block_bounds, read_block, seek_each), field
formats, mapped storage.
"""
