"""The postings format, owned by the project: array blocks, field formats, mapped storage.
"""
