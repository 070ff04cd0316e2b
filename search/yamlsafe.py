"""The one YAML loader: yaml.safe_load semantics, but a bad file is a message, never a crash.

Every YAML the program reads (front matter, metadata.yaml, gazetteers, partnerships, the app's
config.yaml) goes through `load_yaml` or `read_yaml`. On top of yaml.SafeLoader it
- keeps a value that cannot be built as its plain text: `date: 2024-02-30` (a timestamp that is
  not a calendar date), a 5,000-digit number or `!!int x` give a string, not a ValueError;
  the caller decides what the string is worth (dates are checked by `search.corpus.dates.check_date`);
- refuses a document nested more than MAX_DEPTH levels (3,000 brackets would otherwise be a
  RecursionError) and one whose aliases would expand to more than MAX_ALIAS_NODES nodes
  (a "billion laughs" file would otherwise hang whoever walks or prints the value);
- reports any other problem with its line in the file.
Cost: linear in the size of the text.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml
from yaml.composer import ComposerError
from yaml.events import AliasEvent
from yaml.nodes import ScalarNode
from yaml.reader import Reader

MAX_DEPTH = 100              # far beyond any real settings or article metadata
MAX_ALIAS_NODES = 10_000     # nodes that repeated references (aliases) may add to a document


@dataclass
class YamlProblem:
    """Why a YAML text was not loaded, and where (line in the file, from 1, when known)."""
    reason: str
    line: int | None = None

    def __str__(self) -> str:
        return f"line {self.line}: {self.reason}" if self.line else self.reason

    def about(self, path, outcome: str = "not loaded") -> str:
        """One line for a whole file: "FILE, line N: why; not loaded" (no outcome: no "; ...")."""
        where = f"{path}, line {self.line}" if self.line else str(path)
        return f"{where}: {self.reason}" + (f"; {outcome}" if outcome else "")


class _Refused(ComposerError):
    pass


class SafeLoader(yaml.SafeLoader):
    """yaml.SafeLoader with bounded nesting and alias expansion, and forgiving scalars."""

    def __init__(self, stream):
        super().__init__(stream)
        self._depth = 0
        self._expanded = 0              # nodes added by aliases so far
        self._sizes: dict[int, int] = {}   # id(node) -> nodes in it, counting through aliases

    def compose_node(self, parent, index):
        if self.check_event(AliasEvent):
            mark = self.peek_event().start_mark
            node = super().compose_node(parent, index)
            self._expanded += self._sizes.get(id(node), 1)
            if self._expanded > MAX_ALIAS_NODES:
                raise _Refused(None, None, "too many repeated references (YAML aliases)", mark)
            return node
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise _Refused(None, None, f"nested too deeply (more than {MAX_DEPTH} levels)",
                               self.peek_event().start_mark)
            node = super().compose_node(parent, index)
        finally:
            self._depth -= 1
        if isinstance(node.value, list):
            size = 1
            for item in node.value:
                for child in (item if isinstance(item, tuple) else (item,)):
                    size += self._sizes.get(id(child), 1)
            self._sizes[id(node)] = size
        return node


def _or_text(construct):
    """A scalar constructor that gives the scalar's text when the value cannot be built."""
    def build(loader, node):
        try:
            return construct(loader, node)
        except (ValueError, TypeError, AttributeError, OverflowError):
            return str(node.value)
    return build


for _tag in ("int", "float", "timestamp"):
    _full = f"tag:yaml.org,2002:{_tag}"
    SafeLoader.add_constructor(_full, _or_text(yaml.SafeLoader.yaml_constructors[_full]))


def load_yaml(text: str, first_line: int = 1) -> tuple[object, YamlProblem | None]:
    """YAML text -> (data, None), or (None, problem). Never raises for what the text holds.
    first_line: the line of the file the text starts at (front matter starts at 2)."""
    simple = simple_mapping(text)
    if simple is not None:
        return simple, None
    try:
        return yaml.load(text, Loader=SafeLoader), None
    except _Refused as e:
        return None, YamlProblem(e.problem, _line(e, text, first_line))
    except yaml.YAMLError as e:
        problem, context = getattr(e, "problem", None), getattr(e, "context", None)
        detail = (f"{context}: {problem}" if context and problem else problem) \
            or (str(e).splitlines() or ["invalid YAML"])[0]
        return None, YamlProblem(f"not valid YAML ({detail})", _line(e, text, first_line))
    except RecursionError:
        return None, YamlProblem("nested too deeply")
    except (ValueError, TypeError, AttributeError, OverflowError) as e:
        return None, YamlProblem(f"not valid YAML ({str(e).splitlines()[0] if str(e) else e!r})")


# -- the fast path: `key: value` lines, as nearly every article's front matter is -------------
# The loader costs ~0.3 ms for a 2-line front matter (a third of reading an article); these
# lines are read here in a few microseconds, each value typed by the loader's own resolver
# and constructors, so the result is what the loader gives. Anything else goes to the loader.
_KEY_LINE = re.compile(r"([A-Za-z][A-Za-z0-9_-]*):(?: +(.*))?\Z")
_NOT_SIMPLE = re.compile("[\t\r\x85\u2028\u2029\ufeff]|" + Reader.NON_PRINTABLE.pattern)
_PLAIN_START = set("-?:,[]{}#&*!|>'\"%@`")       # cannot start a plain value (yaml's indicators)
_STR = "tag:yaml.org,2002:str"
_BUILT = {f"tag:yaml.org,2002:{t}" for t in ("int", "float", "bool", "null", "timestamp")}
_TYPER = SafeLoader("")       # only its resolver and scalar constructors are used: stateless


def simple_mapping(text: str) -> dict | None:
    """The mapping `text` holds when every line is `key: value` with a one-line plain or
    quoted value (the loader's result, equal and of the same types); None for anything else,
    which the loader reads (or reports): the fast path never reports a problem itself."""
    if not text or _NOT_SIMPLE.search(text):
        return None
    out = {}
    for line in text.split("\n"):
        if not line:
            continue                 # a blank line between fields
        m = _KEY_LINE.match(line)
        if m is None or _resolved(m.group(1)) is not _STR:
            return None
        value = _value(m.group(2) or "")
        if value is _NONE:
            return None
        out[m.group(1)] = value
    return out or None               # blank lines only: the loader says None


_NONE = object()      # "not a simple value"


def _value(raw: str):
    first = raw[:1]
    if first in ("'", '"'):
        inner = raw[1:-1]
        if len(raw) < 2 or raw[-1] != first or first in inner or "\\" in inner:
            return _NONE
        return inner
    if first in _PLAIN_START or raw != raw.strip() or ": " in raw or " #" in raw \
            or raw.endswith(":"):
        return _NONE
    tag = _resolved(raw)
    if tag is _STR:
        return raw
    if tag not in _BUILT:
        return _NONE
    return SafeLoader.yaml_constructors[tag](_TYPER, ScalarNode(tag, raw))


def _resolved(plain: str) -> str:
    """The tag yaml gives a plain scalar (`_STR` itself for a string)."""
    tag = _TYPER.resolve(ScalarNode, plain, (True, False))
    return _STR if tag == _STR else tag


def _line(error, text: str, first_line: int) -> int | None:
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    if mark is not None:
        return mark.line + first_line
    position = getattr(error, "position", None)       # a character YAML does not allow
    return text.count("\n", 0, position) + first_line if isinstance(position, int) else None


def read_yaml(path) -> tuple[object, YamlProblem | None]:
    """A YAML file -> (data, None), or (None, problem); `problem.about(path)` is the message."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except UnicodeDecodeError:
        return None, YamlProblem("not UTF-8 text")
    except OSError as e:
        return None, YamlProblem(f"cannot read ({e.strerror or e})")
    return load_yaml(text)
