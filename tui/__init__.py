"""vnexplore's Textual app: a thin layer over the `search` engine."""
