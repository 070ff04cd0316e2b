"""The entity gazetteer: canonical names with a type and the other names texts use for them.

The bundled `data/entities.yaml` is read first; the user's `entities.yaml` in the config
directory and any `--entities FILE` are merged over it, in that order. A later entry with the
same canonical name (accents and case aside) changes its type, role or country and adds aliases.
"""
from __future__ import annotations

import functools
import hashlib

import re
from dataclasses import dataclass, field
from pathlib import Path

from search.paths import bundled_data, config_dir
from search.corpus.text import fold
from search.yamlsafe import read_yaml

TYPES = ("country", "person", "org", "place", "agreement")
UNCLASSIFIED = "unclassified"
_LEADING_THE = re.compile(r"^(?:the|The|THE)\s+")


def strip_the(name: str) -> str:
    """A leading "the" is not part of a name."""
    return _LEADING_THE.sub("", " ".join(str(name).split()))


@dataclass
class Entry:
    name: str
    type: str
    aliases: list[str] = field(default_factory=list)
    short: list[str] = field(default_factory=list)   # surname-alone forms (people only)
    country: str | None = None
    role: str | None = None
    body: bool = False      # a body or framework a state can join (ASEAN, WTO, CPTPP)

    @property
    def key(self) -> str:
        return fold(self.name)

    def names(self) -> list[str]:
        """The canonical name and its aliases, without repeats."""
        return list(dict.fromkeys([self.name, *self.aliases]))


@dataclass
class Gazetteer:
    entries: dict[str, Entry] = field(default_factory=dict)   # folded name -> entry
    demonyms: dict[str, str] = field(default_factory=dict)   # "Chinese" -> "China"
    warnings: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)

    def add(self, entry: Entry) -> None:
        old = self.entries.get(entry.key)
        if old is None:
            self.entries[entry.key] = entry
            return
        old.type = entry.type or old.type
        old.aliases = list(dict.fromkeys(old.aliases + entry.aliases))
        old.short = entry.short or old.short
        old.country = entry.country or old.country
        old.role = entry.role or old.role
        old.body = entry.body or old.body

    def get(self, name: str) -> Entry | None:
        return self.entries.get(fold(strip_the(name)))

    def __len__(self) -> int:
        return len(self.entries)


def _as_list(value) -> list[str]:
    if value is None:
        return []
    if isinstance(value, (str, int, float)):
        value = [value]
    if not isinstance(value, list):
        return []
    return [strip_the(v) for v in value if isinstance(v, (str, int, float)) and str(v).strip()]


def _entry(raw, type_: str | None) -> Entry | str:
    """One YAML item -> an Entry, or a message saying why it was skipped."""
    if isinstance(raw, str):
        raw = {"name": raw}
    if not isinstance(raw, dict) or not raw.get("name"):
        return "an item without a name"
    type_ = str(raw.get("type") or type_ or "").strip().lower()
    if type_ not in TYPES:
        return f"{raw.get('name')!r}: unknown type {type_!r} (types: {', '.join(TYPES)})"
    name = strip_the(raw["name"])
    short = _as_list(raw.get("short"))
    if type_ == "person" and not short and len(name.split()) > 1:
        short = [name.split()[-1]]
    return Entry(name=name, type=type_, aliases=[a for a in _as_list(raw.get("aliases")) if a != name],
                 short=short if type_ == "person" else [],
                 country=str(raw["country"]) if raw.get("country") else None,
                 role=str(raw["role"]) if raw.get("role") else None, body=bool(raw.get("body")))


MAX_WARNINGS = 10      # per file: a file of 20,000 bad items gets 10 lines and a count, not 20,000


def parse(data, source: str, gaz: Gazetteer) -> None:
    """Add the entries of one loaded YAML document: {type: [items], demonyms: {word: country}}
    or [items with a type]."""
    if data is None:
        return
    if isinstance(data, dict) and isinstance(data.get("entities"), list):
        data = data["entities"]
    groups = data.items() if isinstance(data, dict) else [(None, data)]
    problems = []
    for type_, items in groups:
        if type_ == "demonyms" and isinstance(items, dict):
            gaz.demonyms.update({str(k): str(v) for k, v in items.items() if k and v})
            continue
        if not isinstance(items, list):
            problems.append(f"{source}: {type_!r} is not a list of entities; skipped")
            continue
        for raw in items:
            e = _entry(raw, type_)
            if isinstance(e, str):
                problems.append(f"{source}: {e}; skipped")
            else:
                gaz.add(e)
    gaz.warnings += problems[:MAX_WARNINGS]
    if len(problems) > MAX_WARNINGS:
        gaz.warnings.append(f"{source}: {len(problems) - MAX_WARNINGS} more problems like these")


def user_files(extra_files: list[Path] | None = None) -> list[Path]:
    """The user's gazetteer files, in merge order (later wins)."""
    files = []
    try:
        own = config_dir() / "entities.yaml"
        if own.is_file():
            files.append(own)
    except Exception:      # no usable config directory: only the given files
        pass
    return files + [Path(f) for f in extra_files or []]


def fingerprint(extra_files: list[Path] | None = None) -> str:
    """A hash of every gazetteer file's bytes, cheap enough to check at each start."""
    digest = hashlib.sha1()
    for path in [bundled_data() / "entities.yaml"] + user_files(extra_files):
        try:
            digest.update(Path(path).read_bytes())
        except OSError:
            digest.update(b"(unreadable)")
        digest.update(b"\0")
    return digest.hexdigest()


def load(extra_files: list[Path] | None = None, *, include_user: bool = True) -> Gazetteer:
    """The bundled gazetteer with the user's files merged over it. Bad files become warnings."""
    gaz = Gazetteer()
    files = [bundled_data() / "entities.yaml"]
    files += user_files(extra_files) if include_user else [Path(f) for f in extra_files or []]
    for path in files:
        data, problem = _bundled(path) if path == files[0] else read_yaml(path)
        if problem:
            gaz.warnings.append(problem.about(path, "skipped"))
            continue
        gaz.sources.append(str(path))
        parse(data, str(path), gaz)
    return gaz


def _bundled(path: Path):
    """The bundled gazetteer: ours, so libyaml's safe loader may read it (ten times faster
    than the bounded reader user files go through: 0.05 s, not 0.8 s, at every first use)."""
    import yaml
    if not hasattr(yaml, "CSafeLoader"):
        return read_yaml(path)
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader), None
    except (OSError, ValueError, yaml.YAMLError):
        return read_yaml(path)      # says what is wrong, as for any file


# Query words that name an entity: its other names are searched too ("EU" finds "European Union").

_QUERY_WORD = re.compile(r"(?<![\w.:\"*~?-])([A-Za-z][\w]*[A-Za-z])(?![\w.:\"*~?-])")
SAME_WORD = {"US", "USA", "United States"}      # the analyzer already reads these as one word
MAX_OTHER_NAMES = 3


@functools.cache
def _names_by_form(fingerprint_: str) -> tuple[dict[str, list[str]], dict[str, str]]:
    """({acronym as written: all the entity's names}, {any name or alias, its words folded:
    the entity's key}) of the gazetteer (bundled and the user's own file). Read once per
    gazetteer version."""
    gaz = Gazetteer()
    bundled = bundled_data() / "entities.yaml"
    for path in [bundled, *user_files()]:          # the user's: bounded, never raises
        data, problem = _bundled(path) if path == bundled else read_yaml(path)
        if problem is None:
            parse(data, str(path), gaz)
    acronyms: dict[str, list[str]] = {}
    keys: dict[str, str] = {}
    for entry in gaz.entries.values():
        for name in entry.names():
            if " " not in name and "." not in name and sum(c.isupper() for c in name) >= 2:
                acronyms.setdefault(name, entry.names())
            keys.setdefault(_words(name), entry.key.replace(",", " "))
    return acronyms, keys


def _words(name: str) -> str:
    return " ".join(re.findall(r"\w+", fold(name)))


def entity_key(name: str) -> str | None:
    """The `entity` field's term for a name a user typed: the key of the entity it is the name
    or an alias of ("World Trade Organization" -> "wto", "Republic of Korea" -> "south
    korea"), None when no entity has that name."""
    return _names_by_form(fingerprint())[1].get(_words(name))


def other_names(word: str) -> list[str]:
    """The other names of the entity an acronym in a query names, a few, in the gazetteer's
    order: "EU" -> ["European Union"], "RoK" -> ["South Korea", "Republic of Korea", "Korea"].
    An acronym counts only as written (so "un" is no UN); forms the search already treats as
    the same word (U.N., USA) and names inside another one chosen are left out."""
    if word in SAME_WORD or sum(c.isupper() for c in word) < 2:
        return []
    names = _names_by_form(fingerprint())[0].get(word) or []
    out: list[str] = []
    for name in names:
        flat = fold(name).replace(".", "").replace(" ", "")
        if flat == fold(word) or name in SAME_WORD or any(fold(o) in fold(name) for o in out):
            continue
        out.append(name)
    return out[:MAX_OTHER_NAMES]


def widen_query(text: str) -> tuple[str, str | None]:
    """A plain query with each word that names an entity OR'ed with the entity's other names
    (as phrases), and a note saying so; the text unchanged and None when no word does."""
    notes = []

    def widen(m: re.Match) -> str:
        others = other_names(m.group(1))
        if not others:
            return m.group(0)
        notes.append(f"{m.group(1)} also finds " + ", ".join(others))
        return "(" + " OR ".join([m.group(1)] + [f'"{n}"' for n in others]) + ")"

    widened = _QUERY_WORD.sub(widen, text)
    return (widened, "; ".join(notes)) if notes else (text, None)
