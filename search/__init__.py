"""vnexplore's engine: articles -> passages -> Whoosh index -> hits, related passages,
entities and the timeline. It never imports Textual."""

from search.model import Document, Hit, LoadWarning, Passage, PassageRef, SearchResult

__all__ = ["Document", "Hit", "LoadWarning", "Passage", "PassageRef", "SearchResult", "Engine"]


def __getattr__(name):
    if name == "Engine":
        from search.engine import Engine
        return Engine
    raise AttributeError(name)
