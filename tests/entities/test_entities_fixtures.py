"""Precision and recall of entities and events on hand-labelled news articles (tests/entities/fixtures/news).

The articles are written in the style of wire reports about other partners (Japan, Australia,
Malaysia, New Zealand, a Xi Jinping visit, a tariff dispute); expected.yaml holds the labels.
Run with -s to see the figures.
"""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from search.engine import Engine
from search.entities.kept import load_entity_index
from search.entities.mentions import index_hook
from search.timeline.extract import extract_events
from search.corpus.text import fold
from search.timeline.build import merge

NEWS = Path(__file__).parent / "fixtures" / "news"


@pytest.fixture(scope="module")
def labelled(tmp_path_factory):
    engine = Engine([NEWS], tmp_path_factory.mktemp("news-ix"), entity_names=index_hook())
    engine.update()
    expected = yaml.safe_load((NEWS / "expected.yaml").read_text(encoding="utf-8"))
    return engine, load_entity_index(engine), expected


def score(tp: int, fp: int, fn: int) -> tuple[float, float]:
    return tp / max(tp + fp, 1), tp / max(tp + fn, 1)


def test_the_fixture_articles_are_as_described(labelled):
    engine, _, expected = labelled
    docs = {d["id"]: d for d in engine.documents()}
    assert set(docs) == set(expected) and len(docs) >= 6
    assert [d for d in docs if not docs[d]["date"]] == ["new_zealand"]


def test_entity_precision_and_recall(labelled):
    engine, index, expected = labelled
    tp = fp = fn = 0
    for doc, want in expected.items():
        passages = engine.document(doc).passages
        got = {fold(m.entity) for p in passages for m in index.in_passage(doc, p.number)}
        wanted = {fold(n) for n in want["entities"]}
        tp, fp, fn = tp + len(got & wanted), fp + len(got - wanted), fn + len(wanted - got)
        if got != wanted:
            print(f"{doc}: extra {sorted(got - wanted)} missed {sorted(wanted - got)}")
    precision, recall = score(tp, fp, fn)
    print(f"entities: precision {precision:.2f} recall {recall:.2f} ({tp} right, {fp} wrong, {fn} missed)")
    assert precision >= 0.9 and recall >= 0.85


def _matches(event, label) -> bool:
    return (event.kind == label["kind"] and event.date == label["date"]
            and bool({fold(p) for p in event.partners} & {fold(p) for p in label["partners"]}))


def test_event_precision_and_recall(labelled):
    engine, index, expected = labelled
    tp = fp = fn = 0
    for doc, want in expected.items():
        left = list(want["events"])
        for ev in merge(extract_events([engine.document(doc)], index)):
            label = next((l for l in left if _matches(ev, l)), None)
            if label is None:
                fp += 1
                print(f"{doc}: extra {ev.date} {ev.kind} {ev.partners}")
            else:
                left.remove(label)
                tp += 1
        fn += len(left)
        for l in left:
            print(f"{doc}: missed {l}")
    precision, recall = score(tp, fp, fn)
    print(f"events: precision {precision:.2f} recall {recall:.2f} ({tp} right, {fp} wrong, {fn} missed)")
    assert precision >= 0.75 and recall >= 0.75
