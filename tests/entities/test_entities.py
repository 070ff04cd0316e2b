"""Entity matching rules, the entity index over a corpus, user gazetteers, the entity field."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from search.entities import gazetteer
from search.engine import Engine
from search.entities.kept import load_entity_index
from search.entities.mentions import extract, index_hook
from search.entities.matcher import Matcher
from search.model import Document, Passage
from conftest import write_files


@pytest.fixture(scope="module")
def gaz():
    return gazetteer.load(include_user=False)


@pytest.fixture(scope="module")
def matcher(gaz):
    return Matcher(gaz)


def names(matcher, text, named=None):
    """[(surface form, canonical name)] found in text."""
    return [(text[f.start:f.end], matcher.gaz.entries[f.key].name)
            for f in matcher.find(text, {} if named is None else named)]


def doc(doc_id, *paras, date=None):
    return Document(doc_id, doc_id, doc_id, date=date,
                    passages=[Passage(doc_id, i, t) for i, t in enumerate(paras, 1)])


def test_the_gazetteer_is_broad(gaz):
    known = {k for e in gaz.entries.values() for k in map(gazetteer.fold, e.names())}
    for name in ["Vietnam", "Japan", "Malaysia", "New Zealand", "Algeria", "Kuwait", "Peru",
                 "Tô Lâm", "Phạm Minh Chính", "Nguyễn Phú Trọng", "Lương Cường", "Bùi Thanh Sơn",
                 "Xi Jinping", "Joe Biden", "Donald Trump", "Anthony Albanese", "Shigeru Ishiba",
                 "Anwar Ibrahim", "ASEAN", "BRICS", "WTO", "IISS", "South China Sea",
                 "Spratly Islands", "Paracel Islands", "CPTPP", "RCEP", "ADMM+"]:
        assert gazetteer.fold(name) in known, name
    assert len([e for e in gaz.entries.values() if e.type == "country"]) > 190
    assert not gaz.warnings


def test_short_forms_of_a_country_are_one_entity(matcher):
    text = "U.S. and US and USA and the United States; Viet Nam, Việt Nam and Vietnam; RoK and Republic of Korea."
    found = names(matcher, text)
    assert {n for s, n in found} == {"United States", "Vietnam", "South Korea"}
    assert len(found) == 9


def test_acronyms_keep_their_case(matcher):
    assert names(matcher, "He told us about it") == []
    assert names(matcher, "US troops") == [("US", "United States")]
    assert names(matcher, "The un vote") == []


def test_whole_words_only(matcher):
    assert names(matcher, "Chinatown and Japanese food and Omani ports") == []


def test_the_longest_name_wins(matcher):
    assert names(matcher, "Disputes in the South China Sea") == [("South China Sea", "South China Sea")]
    assert names(matcher, "the Communist Party of Vietnam met") == [
        ("Communist Party of Vietnam", "Communist Party of Vietnam")]


def test_possessives_stay_outside_the_name(matcher):
    assert names(matcher, "China's navy and Vietnam’s coast") == [("China", "China"), ("Vietnam", "Vietnam")]


def test_diacritics_either_way(matcher):
    assert names(matcher, "Tô Lâm met Pham Minh Chinh in Đà Nẵng and Da Nang") == [
        ("Tô Lâm", "Tô Lâm"), ("Pham Minh Chinh", "Phạm Minh Chính"), ("Đà Nẵng", "Đà Nẵng"),
        ("Da Nang", "Đà Nẵng")]


def test_a_surname_alone_needs_the_full_name_first_in_the_document(matcher):
    assert names(matcher, "Lam said the talks went well.") == []
    named = {}
    assert names(matcher, "General Secretary To Lam arrived.", named) == [("To Lam", "Tô Lâm")]
    assert names(matcher, "Lam said the talks went well.", named) == [("Lam", "Tô Lâm")]
    assert names(matcher, "Trọng and Nguyễn Phú Trọng", {}) == [("Nguyễn Phú Trọng", "Nguyễn Phú Trọng")]


def test_a_surname_goes_to_the_person_named_most_recently(matcher):
    named = {}
    names(matcher, "Li Keqiang spoke, then Li Qiang spoke.", named)
    assert names(matcher, "Li added that", named) == [("Li", "Li Qiang")]


def test_no_leading_the_and_no_name_across_a_line_break(matcher):
    assert names(matcher, "The Philippines protested") == [("Philippines", "Philippines")]
    assert names(matcher, "the Heritage Foundation") == [("Heritage Foundation", "Heritage Foundation")]
    assert names(matcher, "South\nChina Sea") == [("China", "China")]
    assert names(matcher, "new South China\nSea lanes") == [("China", "China")]


def test_no_name_across_a_byline_or_photo_credit(gaz):
    text = ("Leaders met in Hanoi.\nPhoto: Reuters Xi Jinping\nBy Nguyen Van An\n"
            "Reporting by Nguyen Van An; Editing by Mai Lan")
    ix = extract([doc("a", text, text)], gaz)
    found = {e.name for e in ix.entities()}
    assert "Xi Jinping" in found and "Hanoi" in found
    assert not any("Photo" in n or "Reuters Xi" in n or "Van An Reporting" in n for n in found)


def test_recurring_unknown_names_are_unclassified(gaz):
    ix = extract([doc("a", "The Blue Lotus Collective reported that rice exports rose.",
                      "A study by the Blue Lotus Collective found more.",
                      "In March the Silly Walks Revue spoke once.")], gaz)
    unknown = ix.entities("unclassified")
    assert [e.name for e in unknown] == ["Blue Lotus Collective"]
    assert unknown[0].mentions == 2
    # a sentence opening and a one-off title-cased heading without evidence are not names
    assert ix.entity("In March") is None and ix.entity("Silly Walks Revue") is None


def test_unknown_names_with_evidence_are_typed_even_once(gaz):
    ix = extract([doc("a", "The Mekong Delta Research Institute said rice exports rose.",
                      "A study by the Mekong Delta Research Institute found more.",
                      "In March the Ministry of Silly Walks spoke once.")], gaz)
    assert ix.entity("Mekong Delta Research Institute").type == "org"
    assert ix.entity("Mekong Delta Research Institute").mentions == 2
    assert ix.entity("Ministry of Silly Walks").type == "org"
    assert ix.entities("unclassified") == []


def test_index_api(gaz):
    ix = extract([doc("a", "Vietnam and Japan signed a deal. Japan's premier Fumio Kishida came.",
                      "Kishida later met Vietnam's leaders in Hanoi."),
                  doc("b", "Japan and Australia talked about the South China Sea.")], gaz)
    japan = ix.entity("japan")
    assert (japan.name, japan.type, japan.mentions, japan.docs) == ("Japan", "country", 3, ["a", "b"])
    assert ix.entity("Viet Nam").name == "Vietnam"            # any alias, case and accents aside
    assert ix.entity("no such thing") is None
    assert [e.name for e in ix.entities()][:3] == ["Japan", "Fumio Kishida", "Vietnam"]
    assert ix.entities("person")[0].name == "Fumio Kishida"
    assert ix.entities("person")[0].aliases == ["Fumio Kishida", "Kishida"]
    m = ix.mentions("Kishida")[1]
    assert (m.doc, m.passage, m.text) == ("a", 2, "Kishida")
    assert m.right.startswith(" later met") and m.left == ""
    assert ix.cooccurring("Kishida")[0] == ("Vietnam", 2)
    assert dict(ix.cooccurring("Japan")) == {"Vietnam": 1, "Fumio Kishida": 1, "Australia": 1,
                                             "South China Sea": 1}
    assert [x.text for x in ix.in_passage("b", 1)] == ["Japan", "Australia", "South China Sea"]
    assert json.loads(json.dumps(ix.entity("Japan").to_dict()))["docs"] == ["a", "b"]


def test_user_gazetteers_merge_over_the_bundled_one(tmp_path):
    own = tmp_path / "config" / "vnexplore"
    write_files(own, {"entities.yaml": "person:\n- {name: Nguyễn Văn Thành, aliases: [Thanh Nguyen]}\n"})
    extra = write_files(tmp_path, {"more.yaml": "org:\n- {name: Vietnam, aliases: [VN]}\n"
                                                "country:\n- {name: Japan, aliases: [Nippon]}\n"
                                                "planet:\n- Mars\n"})
    import os
    old = os.environ.get("XDG_CONFIG_HOME")
    os.environ["XDG_CONFIG_HOME"] = str(tmp_path / "config")
    try:
        gaz = gazetteer.load([extra / "more.yaml", tmp_path / "missing.yaml"])
    finally:
        os.environ["XDG_CONFIG_HOME"] = old or ""
    m = Matcher(gaz)
    assert names(m, "Thanh Nguyen visited Nippon") == [("Thanh Nguyen", "Nguyễn Văn Thành"), ("Nippon", "Japan")]
    assert gaz.get("Vietnam").type == "org" and "VN" in gaz.get("Vietnam").aliases
    assert any("unknown type 'planet'" in w for w in gaz.warnings)
    assert any("missing.yaml" in w for w in gaz.warnings)


def test_a_broken_user_file_is_a_warning_not_a_crash(tmp_path):
    bad = write_files(tmp_path, {"bad.yaml": "person: [unclosed\n"})
    gaz = gazetteer.load([bad / "bad.yaml"], include_user=False)
    assert gaz.get("Tô Lâm") is not None
    assert any("not valid YAML" in w for w in gaz.warnings)


def test_the_entity_field_makes_entity_queries_work(tmp_path):
    corpus = write_files(tmp_path / "c", {
        "a.md": "Vietnam protested in the South China Sea over a tariff row.\n\nChina replied.\n",
        "b.md": "A tariff on shrimp worried Hanoi.\n\nTo Lam said Lam would act; Lam left.\n"})
    engine = Engine([corpus], tmp_path / "ix", entity_names=index_hook())
    engine.update()
    hits = engine.search('entity:"South China Sea" tariff').hits
    assert [(h.doc, h.passage) for h in hits] == [("a", 1)]
    assert [(h.doc, h.passage) for h in engine.search('entity:"Tô Lâm"').hits] == [("b", 2)]
    assert engine.search("entity:china").total == 1           # "South China Sea" is not China
    ix = load_entity_index(engine)
    assert ix.entity("To Lam").mentions == 3


def run_cli(*args):
    out = subprocess.run([sys.executable, "-m", "tui.main", *args], capture_output=True,
                         text=True, timeout=120)
    return out.returncode, out.stdout, out.stderr


def test_cli_entities_and_entity(seed_index_dir, tmp_path):
    code, out, _ = run_cli("entities", "--type", "person", "--json", "--index-dir", str(tmp_path / "ix"))
    assert code == 0
    people = json.loads(out)["entities"]
    assert {"name", "type", "aliases", "mentions", "docs"} <= set(people[0])
    assert {"Xi Jinping", "Tô Lâm", "Phạm Minh Chính"} <= {p["name"] for p in people}
    code, out, _ = run_cli("entity", "south china sea", "--json", "--index-dir", str(tmp_path / "ix"))
    data = json.loads(out)
    assert data["entity"]["name"] == "South China Sea" and data["entity"]["mentions"] >= 5
    first = data["mentions"][0]
    assert {"doc", "passage", "start", "end", "text", "left", "right"} <= set(first)
    assert data["cooccurring"][0]["count"] >= 1
    code, _, err = run_cli("entity", "Atlantis", "--index-dir", str(tmp_path / "ix"))
    assert code == 2 and "no entity" in err
    code, _, err = run_cli("entities", "--type", "planet", "--index-dir", str(tmp_path / "ix"))
    assert code == 2


def _typed(gaz, *paras):
    ix = extract([doc("a", *paras)], gaz)
    return {e.name: e.type for e in ix.entities()}


def test_people_are_typed_by_titles_and_name_shapes(gaz):
    found = _typed(gaz, "Estonian Prime Minister Kallasmaa met US Senator Rebecca Thornfield on "
                        "Monday, and Deputy Minister Hoang Thi Ngoc Anh joined them.",
                   "Minister of Fisheries Tran Quoc Binh, Zhang Wenbo and Park Min-jun spoke; "
                   "Tanaka Hiroshi listened to Mr. Oduya.")
    for name in ["Kallasmaa", "Rebecca Thornfield", "Hoang Thi Ngoc Anh", "Tran Quoc Binh",
                 "Zhang Wenbo", "Park Min-jun", "Tanaka Hiroshi", "Oduya"]:
        assert found.get(name) == "person", name
    assert "Tran" not in found and "Minister of Fisheries Tran Quoc Binh" not in found


def test_places_come_from_the_geographic_dataset_and_their_words(gaz):
    found = _typed(gaz, "The envoy flew from Seattle to New Orleans and then to Lyon.",
                   "Fishermen from Con Co Island and Binh Thuan province met in Western Europe.")
    for name in ["Seattle", "New Orleans", "Lyon", "Con Co Island", "Binh Thuan", "Western Europe"]:
        assert found.get(name) == "place", name
    assert "York" not in found and "Orleans" not in found


def test_organisations_and_agreements_by_their_heads(gaz):
    found = _typed(gaz, "The Mekong Water Institute and the Ministry of Fisheries and Ocean Affairs "
                        "reviewed the Treaty of Amity and the Framework Agreement on Rice Trade.",
                   "The Estonian Coast Guard and the Quy Nhon People's Committee signed a Joint "
                   "Statement; the Committee on Maritime Cooperation met in Tallinn.")
    assert found.get("Mekong Water Institute") == "org"
    assert found.get("Ministry of Fisheries and Ocean Affairs") == "org"
    assert found.get("Estonian Coast Guard") == "org"
    assert found.get("Quy Nhon People's Committee") == "org"
    assert found.get("Committee on Maritime Cooperation") == "org"
    assert found.get("Treaty of Amity") == "agreement"
    assert found.get("Framework Agreement on Rice Trade") == "agreement"
    assert found.get("Joint Statement") == "agreement"
    assert found.get("Tallinn") == "place"


def test_phrases_that_are_no_names_are_not_entities(gaz):
    text = ("Reporters asked both ministers about the Comprehensive Strategic Partnership during "
            "the Joint Press Conference. A Joint Press Conference followed once the two sides had "
            "praised their Comprehensive Strategic Partnership.")
    found = _typed(gaz, text, text)
    assert not any("Partnership" in n or "Conference" in n for n in found)


def test_an_acronym_in_a_query_also_finds_the_entitys_other_names(tmp_path):
    corpus = write_files(tmp_path / "c", {
        "a.md": "Fishing quotas were raised by the European Union last spring.\n\n"
                "Seoul said the Republic of Korea would invest more.\n\n"
                "The United Nations met; the un-related talks stalled.\n"})
    engine = Engine([corpus], tmp_path / "ix")
    engine.update()
    eu = engine.search("EU quotas")
    assert eu.total == 1 and "EU also finds European Union" in eu.notice
    hit = eu.hits[0]
    assert [hit.text[s:e] for s, e in hit.spans] == ["quotas", "European Union"]   # highlighted
    rok = engine.search("RoK")
    assert rok.total == 1 and "Republic of Korea" in rok.notice
    assert engine.search("UN").total == 1
    assert engine.search("un").notice is None          # a lower-case word is no acronym
    assert engine.search('"EU"').notice is None        # only plain queries are widened
