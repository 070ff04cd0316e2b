"""The app's panes, one module each: search, reader, related, entities, timeline.
"""
