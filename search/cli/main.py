"""The command line: `vnexplore search|show|related|index ...` (and the engine commands of other modules).

Exit codes: 0 success (no hits included), 2 bad usage or unreadable query, 1 the index cannot be used.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from search.cli.common import (EXIT_FAIL, EXIT_OK, EXIT_USAGE, UsageError, console,  # noqa: F401
                               open_engine, print_json, safe_output)
from search.cli.entities import register     # entities, entity, timeline, partners
from search.model import Hit


class Parser(argparse.ArgumentParser):
    def error(self, message):          # one line, exit 2, no traceback
        raise UsageError(f"{message} (see 'vnexplore --help')")


def _global_options(parser: argparse.ArgumentParser, suppress: bool) -> None:
    default = argparse.SUPPRESS if suppress else None
    parser.add_argument("--corpus", action="append", type=Path, metavar="DIR",
                        default=default, help="a folder of .txt/.md articles (repeatable); "
                        "default: the bundled articles")
    parser.add_argument("--index-dir", type=Path, metavar="DIR", default=default,
                        help="where to keep the index (default: the user cache directory)")
    parser.add_argument("--entities", action="append", type=Path, metavar="FILE",
                        default=default, help="an extra entity gazetteer YAML file (repeatable)")


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(prog="vnexplore", description="Explore articles on Vietnam's foreign policy. "
                    "Without a command, opens the explorer app.")
    _global_options(parser, suppress=False)
    common = Parser(add_help=False)
    _global_options(common, suppress=True)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)

    p = sub.add_parser("search", parents=[common], help="search the passages")
    p.add_argument("query", metavar="QUERY")
    p.add_argument("--limit", type=int, default=20, metavar="N")
    p.add_argument("--sort", choices=("relevance", "date"), default="relevance",
                   help="date: every passage with all the words, newest first")
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=cmd_search)

    p = sub.add_parser("show", parents=[common], help="print a document or one passage")
    p.add_argument("doc", metavar="DOC")
    p.add_argument("--passage", type=int, metavar="N")
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=cmd_show)

    p = sub.add_parser("related", parents=[common], help="passages related to one passage")
    p.add_argument("doc", metavar="DOC")
    p.add_argument("--passage", type=int, required=True, metavar="N")
    p.add_argument("--limit", type=int, default=10, metavar="N")
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=cmd_related)

    p = sub.add_parser("index", parents=[common], help="build or update the index")
    p.add_argument("--rebuild", action="store_true", help="rebuild it from scratch")
    p.set_defaults(run=cmd_index)

    register(sub, common)
    return parser




def print_hit(out, hit: Hit, n: int | None = None, full: bool = False) -> None:
    from rich.text import Text
    from search.cli.render import highlighted
    from search.index.highlight import snippet
    head = Text()
    if n is not None:
        head.append(f"{n:>2}. ", style="dim")
    head.append(hit.title, style="bold cyan")
    head.append(f"  {hit.doc} §{hit.passage}" + (f" p. {hit.page}" if hit.page else ""),
                style="green")
    if hit.date:
        head.append(f"  {hit.date}", style="dim")
    head.append(f"  score {hit.score:.2f}", style="dim")
    out.print(head)
    text, spans = (hit.text, hit.spans) if full else snippet(hit.text, hit.spans)
    out.print(highlighted(text, spans))
    if hit.shared_terms:
        out.print(Text("shared: " + ", ".join(hit.shared_terms), style="dim"))
    out.print()


# -- commands -------------------------------------------------------------------
def cmd_search(args) -> int:
    if args.limit < 1:
        raise UsageError("--limit must be at least 1")
    engine = open_engine(args, quiet=args.json)
    result = engine.search(args.query, limit=args.limit, sort=args.sort)
    if args.json:
        print_json(result.to_dict())
        return EXIT_USAGE if result.error else EXIT_OK
    if result.error:
        sys.stderr.write(f"vnexplore: {result.error}\n")
        return EXIT_USAGE
    out = console()
    if result.notice:
        out.print(f"note: {result.notice}", style="yellow")
    if not result.hits:
        out.print("No passages found." + (f" Did you mean: {result.suggestion}?"
                                          if result.suggestion else ""))
        return EXIT_OK
    extra = len(result.hits) - min(result.total, len(result.hits))
    one = result.total == 1
    out.print(f"{result.total} passage{'' if one else 's'} match{'es' if one else ''} all words"
              + (f"; also showing {extra} that match some" if extra > 0 else ""), style="bold")
    out.print()
    for i, hit in enumerate(result.hits, 1):
        print_hit(out, hit, i)
    return EXIT_OK


def cmd_show(args) -> int:
    engine = open_engine(args, quiet=args.json)
    doc = engine.document(args.doc)
    if doc is None:
        raise UsageError(f"no document {args.doc!r} (document ids are file paths without "
                         "extension; 'vnexplore search' lists them with each hit)")
    passages = doc.passages
    if args.passage is not None:
        passages = [p for p in passages if p.number == args.passage]
        if not passages:
            raise UsageError(f"{args.doc} has passages 1 to {len(doc.passages)}, "
                             f"not {args.passage}")
    if args.json:
        data = doc.to_dict()
        data["passages"] = [{"number": p.number, "text": p.text, "page": p.page}
                            for p in passages]
        print_json(data)
        return EXIT_OK
    from rich.text import Text
    out = console()
    out.print(Text(doc.title, style="bold cyan"))
    meta = [doc.id] + [x for x in (doc.date, doc.source, ", ".join(doc.authors)) if x]
    out.print(Text("  ".join(meta), style="dim"))
    out.print()
    for p in passages:
        out.print(Text(f"§{p.number}" + (f" p. {p.page}" if p.page else ""), style="green"),
                  Text(p.text))
        out.print()
    return EXIT_OK


def cmd_related(args) -> int:
    engine = open_engine(args, quiet=args.json)
    related = engine.related(args.doc, args.passage, limit=max(1, args.limit))
    if related is None:
        raise UsageError(f"no passage {args.passage} in document {args.doc!r}")
    if args.json:
        print_json({"doc": args.doc, "passage": args.passage,
                    "related": [h.to_dict() for h in related]})
        return EXIT_OK
    out = console()
    if not related:
        out.print("No related passages.")
    for i, hit in enumerate(related, 1):
        print_hit(out, hit, i)
    return EXIT_OK


def cmd_index(args) -> int:
    engine = open_engine(args, rebuild=args.rebuild, verify=True)
    r = engine.report
    if engine.store.temporary:          # the job was to write the index, and nothing was saved
        console().print(f"Index not saved: {r.documents} documents, {r.passages} passages "
                        f"indexed in memory only (see the message above about {engine.store.dir})")
        return EXIT_FAIL
    what = "built" if r.built else (f"updated: {len(r.added)} added, {len(r.changed)} changed, "
                                    f"{len(r.removed)} removed" if r.touched else "up to date")
    console().print(f"Index {what}: {r.documents} documents, {r.passages} passages "
                    f"in {engine.store.dir}")
    return EXIT_OK


def run(argv: list[str] | None = None) -> int:
    """Parse and run a command. Returns the exit code; None command means 'open the app'."""
    safe_output()
    try:
        args = build_parser().parse_args(argv)
        if not args.command:
            return -1
        return args.run(args)
    except UsageError as e:
        sys.stderr.write(f"vnexplore: {e}\n")
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except Exception as e:           # the index cannot be used: say so, no traceback
        from search.index.store import IndexUnusable
        if isinstance(e, (IndexUnusable, OSError)):
            sys.stderr.write(f"vnexplore: {e}\n")
            return EXIT_FAIL
        raise
