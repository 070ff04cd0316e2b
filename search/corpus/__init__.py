"""Articles in: finding, decoding and reading files (text, Markdown, saved web pages, PDF,
Word), cleaning, dates in text, and splitting into passages. Knows nothing of the index.

files: finding and reading a corpus folder; text: cleaning, folding, passages; dates: dates
in a sentence; names: file names and metadata values shown safely; readers/: HTML, PDF and
Word files.
"""
