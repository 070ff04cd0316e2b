"""The help screen: every binding active where the user is, and what the pane is for."""
from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

EXTRA = [("j / k, ↑ / ↓", "move"), ("PgUp / PgDn", "page up / down"),
         ("g g / G", "top / bottom"), ("Enter", "open"),
         ("Escape", "go up"), ("Tab, 1-4", "next pane, jump to a pane"),
         ("Alt+← / Alt+→", "back / forward"), ("Ctrl+P", "open a document, entity or event")]


class HelpScreen(ModalScreen):
    BINDINGS = [Binding("escape,q,question_mark,f1", "dismiss", "Close", id="help.close")]

    def __init__(self, pane: str, text: str, bindings) -> None:
        super().__init__()
        self.pane, self.text, self.bindings = pane, text, bindings

    def compose(self) -> ComposeResult:
        table = Table(box=None, show_header=True, header_style="bold", expand=True)
        table.add_column("Key", style="bold cyan", no_wrap=True)
        table.add_column("Does")
        table.add_column("Binding id", style="dim")
        seen = set()
        for binding, enabled in self.bindings:
            # Only ours (they have ids and can be remapped); the widgets' own arrows, pages
            # and Enter are summed up in EXTRA.
            if not binding.id or binding.id in seen or not binding.description:
                continue
            seen.add(binding.id)
            table.add_row(Text(self.app.get_key_display(binding)), Text(binding.description),
                          Text(binding.id or ""))      # literal: keys come from the config
        for key, does in EXTRA:
            table.add_row(Text(key), Text(does), Text(""))
        with VerticalScroll(id="help-box"):
            yield Static(Text(f"{self.pane.capitalize()} pane", style="bold"))
            yield Static(Text(self.text))
            yield Static(table)
            yield Static(Text(f"Settings: {self.app.state.config.path}  ·  Escape closes",
                              style="dim"))

    def on_mount(self) -> None:
        self.query_one("#help-box").focus()          # so j/k and arrows scroll it

    def action_dismiss(self) -> None:
        self.dismiss()
