"""CLI commands for entities and the timeline: `entities`, `entity NAME`, `timeline`, `partners`."""
from __future__ import annotations

from search.corpus.text import fold


def register(sub, common) -> None:
    p = sub.add_parser("entities", parents=[common], help="list the entities the articles name")
    p.add_argument("--type", metavar="TYPE",
                   help="country, person, org, place, agreement or unclassified")
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=cmd_entities)

    p = sub.add_parser("entity", parents=[common], help="one entity: its mentions and companions")
    p.add_argument("name", metavar="NAME")
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=cmd_entity)

    p = sub.add_parser("timeline", parents=[common], help="dated events of Vietnam's relations")
    p.add_argument("--partner", metavar="NAME")
    p.add_argument("--kind", metavar="KIND")
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=cmd_timeline)

    p = sub.add_parser("partners", parents=[common], help="each partner's tier and the steps to it")
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=cmd_partners)


def _index(args):
    """(engine, the entity index): its parts read from what was kept when first asked for
    (no timeline merged, no entity list read for one entity)."""
    from search.cli.common import open_engine
    from search.entities.kept import load_entity_index
    engine = open_engine(args, quiet=args.json)
    index = load_entity_index(engine, getattr(args, "entities", None))
    _warn(index.warnings)
    return engine, index


def _warn(warnings) -> None:
    from search.cli.common import console
    err = console(stderr=True)
    for w in warnings:
        err.print(f"warning: {w}", soft_wrap=True)


def _summary(args):
    """(engine, the entity list and merged timeline kept from an earlier command on this
    very index), the summary None when there is none (then `_full` works them out)."""
    from search.entities import extracted
    from search.cli.common import open_engine
    engine = open_engine(args, quiet=args.json)
    return engine, extracted.summary(engine.store, getattr(args, "entities", None))


def _full(args, engine):
    """The entity index and timeline, kept for the next command."""
    from search.entities.kept import load
    index, events = load(engine, getattr(args, "entities", None))
    _warn(index.warnings)
    return index, events


def cmd_entities(args) -> int:
    from rich.table import Table
    from search.cli.common import UsageError, console, print_json
    from search.entities.mentions import Entity
    from search.entities.gazetteer import TYPES, UNCLASSIFIED
    if args.type and args.type not in (*TYPES, UNCLASSIFIED):
        raise UsageError(f"--type {args.type!r}: choose from {', '.join((*TYPES, UNCLASSIFIED))}")
    engine, kept = _summary(args)
    if kept is None:
        found = _full(args, engine)[0].entities(args.type)
    else:
        _warn(kept["warnings"])
        found = [Entity(**d) for d in kept["entities"] if args.type is None or d["type"] == args.type]
    if args.json:
        print_json({"entities": [e.to_dict() for e in found]})
        return 0
    out = console()
    if not found:
        out.print("No entities found.")
        return 0
    table = Table(box=None, header_style="bold")
    for col in ("entity", "type", "mentions", "documents"):
        table.add_column(col, justify="right" if col in ("mentions", "documents") else "left")
    for e in found:
        table.add_row(e.name, e.type, str(e.mentions), str(len(e.docs)))
    out.print(table)
    return 0


def cmd_entity(args) -> int:
    from search.entities.summing import paused_collector
    with paused_collector():        # hundreds of thousands of tuples, none in a cycle
        return _entity(args)


def _entity(args) -> int:
    from rich.text import Text
    from search.cli.common import UsageError, console
    _, index = _index(args)
    entity = index.entity(args.name)
    if entity is None:
        raise UsageError(f"no entity {args.name!r} ('vnexplore entities' lists them)")
    companions = index.cooccurring(entity.name)
    if args.json:
        import sys
        from search.cli.common import _unicode_output
        rows = getattr(index, "mention_rows", None)     # the kept index: contexts cut in bulk
        mentions = rows(entity.name) if rows else index.mentions(entity.name)
        for part in entity_json_parts(entity.to_dict(), mentions, companions,
                                      ascii=not _unicode_output()):
            sys.stdout.write(part)
        sys.stdout.write("\n")
        return 0
    mentions = index.mentions(entity.name)
    out = console()
    out.print(Text(f"{entity.name}  ({entity.type}, {entity.mentions} mentions in "
                   f"{len(entity.docs)} documents)", style="bold cyan"))
    if entity.aliases:
        out.print(Text("as: " + ", ".join(entity.aliases), style="dim"))
    out.print()
    for m in mentions:
        line = Text(f"{m.doc} §{m.passage}  ", style="green")
        line.append(m.left[-50:].rjust(50))
        line.append(m.text, style="bold black on yellow")
        line.append(m.right[:50])
        out.print(line, no_wrap=True, overflow="ellipsis")
    if companions:
        out.print()
        out.print(Text("Often in the same passage: "
                       + ", ".join(f"{n} ({c})" for n, c in companions), style="dim"))
    return 0


def _kept_events(args):
    """(engine, merged timeline), from what an earlier command kept when it can."""
    from search.entities.extracted import event_of
    engine, kept = _summary(args)
    if kept is None:
        return engine, _full(args, engine)[1]
    _warn(kept["warnings"])
    return engine, [event_of(t) for t in kept["events"]]


def _events(args, index, engine):
    from search.timeline.build import build_timeline
    return build_timeline(engine, index)


def cmd_timeline(args) -> int:
    from rich.text import Text
    from search.cli.common import UsageError, console, print_json
    from search.timeline.build import KINDS
    if args.kind and args.kind not in KINDS:
        raise UsageError(f"--kind {args.kind!r}: choose from {', '.join(KINDS)}")
    if args.partner:
        engine, index = _index(args)
        events = _events(args, index, engine)
    else:
        engine, events = _kept_events(args)
    if args.partner:
        known = index.entity(args.partner)
        want = {fold(args.partner)} | ({fold(known.name)} if known else set())
        events = [e for e in events if want & {fold(p) for p in e.partners}]
    if args.kind:
        events = [e for e in events if e.kind == args.kind]
    if args.json:
        print_json({"events": [e.to_dict() for e in events]})
        return 0
    out = console()
    if not events:
        out.print("No events found.")
    for e in events:
        head = Text(f"{e.date or 'undated':<10} ", style="bold")
        head.append(f"{e.kind:<36}", style="cyan")
        head.append(", ".join(e.partners))
        head.append(f"  [{e.origin}]", style="dim")
        out.print(head)
        out.print(Text("           " + e.summary))
        for ev in e.evidence:
            out.print(Text(f"           {ev.doc} §{ev.passage}: ", style="green")
                      + Text(f"“{ev.quote}”", style="dim"))
    return 0


def cmd_partners(args) -> int:
    from rich.text import Text
    from search.cli.common import console, print_json
    from search.timeline.build import ladder
    ladders = ladder(_kept_events(args)[1])
    if args.json:
        print_json({"partners": [l.to_dict() for l in ladders]})
        return 0
    out = console()
    if not ladders:
        out.print("No partnership steps found.")
    for l in ladders:
        out.print(Text(f"{l.partner}: ", style="bold") + Text(l.tier, style="cyan"))
        for s in l.steps:
            ev = s.evidence[0] if s.evidence else None
            where = f"  ({ev.doc} §{ev.passage})" if ev else ""
            out.print(Text(f"  {s.date or 'undated':<10} {s.kind}{where}"))
    return 0


_SLOT = "\x00mentions\x00"


def entity_json(entity: dict, mentions, companions, ascii: bool) -> str:
    """What `json.dumps({"entity", "mentions", "cooccurring"}, indent=2)` writes (see
    `entity_json_parts`)."""
    return "".join(entity_json_parts(entity, mentions, companions, ascii))


def entity_json_parts(entity: dict, mentions, companions, ascii: bool, batch: int = 4096):
    """`entity_json` in parts, to write one by one (19 MB for China in 10,000 articles, never
    copied whole). The mentions (`Mention`s or their tuples (entity, doc, passage, start, end,
    text, left, right)) are written by C loops: the string encoder over each column, then
    one template filled per mention (the indenting encoder is pure Python, about 40 µs a
    mention)."""
    import json
    from json.encoder import encode_basestring, encode_basestring_ascii
    quote = encode_basestring_ascii if ascii else encode_basestring
    data = {"entity": entity, "mentions": _SLOT,
            "cooccurring": [{"name": n, "count": c} for n, c in companions]}
    head, tail = json.dumps(data, ensure_ascii=ascii, indent=2).split(
        json.dumps(_SLOT, ensure_ascii=ascii), 1)
    yield head
    if not mentions:
        yield "[]"
        yield tail
        return
    rows = [m if isinstance(m, tuple) else (m.entity, m.doc, m.passage, m.start, m.end, m.text,
                                             m.left, m.right) for m in mentions]
    heads = ["      " + quote(k) + ": " for k in
             ("entity", "doc", "passage", "start", "end", "text", "left", "right")]
    template = "    {\n" + ",\n".join(h + ("%d" if i in (2, 3, 4) else "%s")
                                      for i, h in enumerate(heads)) + "\n    }"
    known: dict = {}            # the entity, its documents and forms: a few distinct values

    def quoted(column, repeats: bool = False):
        if repeats:
            return [known[v] if v in known else known.setdefault(v, quote(v)) for v in column]
        if None in column:
            return ["null" if v is None else quote(v) for v in column]
        return list(map(quote, column))
    yield "[\n"
    for at in range(0, len(rows), batch):
        names, docs, passages, starts, ends, texts, lefts, rights = zip(*rows[at:at + batch])
        cells = zip(quoted(names, True), quoted(docs, True), passages, starts, ends,
                    quoted(texts, True), quoted(lefts), quoted(rights))
        yield (",\n" if at else "") + ",\n".join(map(template.__mod__, cells))
    yield "\n  ]"
    yield tail
