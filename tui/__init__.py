"""vnexplore's Textual app: a thin layer over the `search` engine.

app.py (the screen, its index and entity workers, layout, jumps and history), messages.py
(every message posted, typed), state.py (what the panes read), panes/ (one module per pane),
widgets.py, commands.py (the palette), help.py, config.py, history.py, main.py (the entry point).
"""
