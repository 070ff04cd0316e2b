"""The fast paths of event extraction give exactly what the plain paths give: sentences split
from the punctuation, rules chosen from a passage's word starts, rules read in lower case
without re.I, dates tried only with the patterns a sentence can match, the main partner
counted per entity. Each is checked against the plain way on made-up text with the hard cases
(accents, curly quotes, U.S., hyphens, line breaks, re.I's odd letters) and on the seeds."""
from __future__ import annotations

import random
import re

import pytest

from search.corpus import dates as D
from search.corpus.files import load
from search.corpus.text import SENTENCE_END
from search.entities import gazetteer
from search.entities.mentions import extract
from search.model import Document, Passage
from search.paths import bundled_seeds
from search.timeline import extract as EV

TRICKY = [
    "Tô Lâm met Joe Biden in Hà Nội on 10 September 2023. The U.S. and Vietnam upgraded ties.",
    "“We signed it,” he said. ‘Đà Nẵng hosted the talks.’ (The U.S.-Vietnam deal followed.)",
    "Vietnam joined ASEAN in 1995... Did they? Yes! “Really?” Then: 2007 saw WTO accession.",
    "Co-signed, re-joined and anti-dumping duties\nwere set.\nVietnam and Japan ELEVATED ties.",
    "A non-permanent seat (2020–2021); a stand-off at sea; water cannons; U.S. warships.",
    "ſigned in 2016. VİSİT of 2016. vıſit in 2015. The KELVİN ‘deal’ was inked. ſummit.",
    "Metrade, sometimes, commitment, according to the accords, the MoUs and a treaty. JOINT drills.",
    "Ties were normalised in 1995.  The two countries’ relations were restored.\u00a0Next year.",
    "He arrived in Tokyo on Monday, May 2. Earlier this month, a trip to Seoul. Sept. 2019 too.",
    "Việt Nam và Nhật Bản nâng cấp quan hệ. The leaders met with the press. $2 billion in trade.",
    "Diplomatic relations were formally established in 1973, and defence cooperation grew.",
    "They signed up as strategic partners; a comprehensive strategic partnership was signed.",
    "a.\u1680B c. \u00a0D e.” F g.) H i.’’ J k. . L m?! N 1. 2. Ö. Ünal said so.",
    "Vietnam and Japan signed in 2016. In 2015 the two sides met",
]


def _seed_texts() -> list[str]:
    docs, _ = load([bundled_seeds()])
    return [p.text for d in docs for p in d.passages]


def _salad(rng: random.Random, n: int = 40) -> str:
    """Made-up text: rule words and date words in odd cases, glued with punctuation."""
    words = [w for ws in EV.NEEDS.values() for w in ws] + list(EV.TIER_NEEDS) + [
        "ties", "relations", "partnership", "Vietnam", "Japan", "U.S.", "Tô Lâm", "Đà Nẵng",
        "May", "March", "Monday", "Thursday", "2015", "1995", "2024-05-01", "last week",
        "a year ago", "elevated", "signed", "according", "sometimes", "co", "re", "ſ", "İ", "ı",
        "established", "member", "years of", "anniversary of", "today", "has", "were"]
    glue = [" ", " ", " ", "-", ". ", "? ", "! ", "“", "” ", "’s ", "(", ") ", ", ", "\n",
            "\u00a0", "/", "—", "_", "$", "%"]
    out = []
    for _ in range(n):
        w = rng.choice(words)
        w = rng.choice([w, w.upper(), w.title(), w.capitalize()])
        out += [w, rng.choice(glue)]
    return "".join(out)


def _texts() -> list[str]:
    rng = random.Random(12)
    return TRICKY + _seed_texts() + [_salad(rng) for _ in range(400)]


def plain_sentences(text: str) -> list[tuple[int, str]]:
    """What `sentences` gave before: split at SENTENCE_END itself."""
    out, start = [], 0
    for m in SENTENCE_END.finditer(text):
        out.append((start, text[start:m.start()]))
        start = m.end()
    out.append((start, text[start:]))
    return [(s, t) for s, t in out if t.strip()]


def unfiltered(sentence: str) -> list:
    out = EV.tier_triggers(sentence)
    for kind, pat in EV.RULES:
        out.extend((kind, m.start()) for m in pat.finditer(sentence))
    return out


def test_sentences_split_where_sentence_end_splits():
    rng = random.Random(7)
    marks = ".!?\"”’)“‘( \n\u00a0\u1680aBÀỸ0x"
    texts = _texts() + ["".join(rng.choice(marks) for _ in range(60)) for _ in range(3000)]
    for text in texts:
        assert EV.sentences(text) == plain_sentences(text), text


def test_candidates_keep_every_kind_a_sentence_can_match():
    """Rules chosen from the passage's word starts, read in lower case: the same triggers as
    every rule and tier read with re.I."""
    tried = 0
    for text in _texts():
        low = EV.caseless(text)
        if len(low) != len(text):
            continue
        found, at = EV.candidates(low), 0
        for offset, sent in EV.sentences(text):
            part = low[offset:offset + len(sent)]
            held, at = EV.kinds_in(found, offset, offset + len(sent), at)
            assert held == EV.kinds_in(found, offset, offset + len(sent))[0]
            assert EV.classify_kinds(sent, part, held) == unfiltered(sent), sent
            tried += bool(held)
    assert tried > 500


def test_candidates_are_the_rule_words_starting_a_word():
    """One scan of a passage finds every word of NEEDS and TIER_NEEDS at the start of a word,
    one inside another too, with the kinds of every word found there."""
    low = "the joint statement on a trade deal; co-signed treaties, a standoff (drills)"
    at = low.index
    assert EV.candidates(low) == [
        (at("joint"), {"agreement", "membership"}), (at("trade"), {"trade"}),
        (at("deal"), {"agreement"}), (at("signed"), {"agreement"}), (at("treaties"), {"agreement"}),
        (at("standoff"), {"incident"}), (at("drills"), {"defence"})]
    assert EV.candidates("disjoin tradewinds signs") == [(19, {"agreement"})]
    assert EV.candidates("the strategic partners elevated") == [(4, {EV.TIER}), (23, {EV.TIER})]


def plain_candidates(low: str) -> list:
    """`candidates` as it was: the look-ahead led by \\b, tried at every character."""
    pattern = re.compile(rf"\b(?=({EV._trie(EV._KINDS_OF)}))")
    return [(m.start(), EV._KINDS_AT[m.group(1)]) for m in pattern.finditer(low)]


EDGES = ["deal", "deal signed", " deal", "_deal _signed", "2deal 2 deal", "édeal é deal",
         "e\u0301deal", "x\u00a0deal\u2003treaty\u3000visit", "“deal”—treaty–visit…met",
         "re-signed,visited;met:summit/drills\\hosted|toured", "(((deal)))", "dea", "",
         " ", "-", "trade dealer deals", "tradetrade deal", "trade\ndeal\r\nsigned\tmet",
         "signe", "...a.deal.b.treaty", "'deal' \"treaty\" `visit`", "meets met metre meet"]


def test_candidates_from_the_break_before_a_word_are_the_plain_ones():
    """Found from the character before each word (and a space put before the text): the same
    places and kinds as the look-ahead led by \\b, on the tricky texts, the seeds, made-up
    texts and edges (a rule word first or last, joined to underscores, digits, accented
    letters and combining marks, after every kind of space, quote, dash and stop)."""
    found = 0
    for text in _texts() + EDGES + [w + w for w in EDGES]:
        low = EV.caseless(text)
        assert EV.candidates(low) == plain_candidates(low), low
        found += len(plain_candidates(low))
    assert found > 5000
    assert EV.candidates("deal") == [(0, {"agreement"})]


def test_every_word_a_rule_needs_starts_with_three_letters():
    for word in [w for ws in EV.NEEDS.values() for w in ws] + list(EV.TIER_NEEDS):
        assert re.fullmatch(r"[a-z]{3}", word[:3]), word


PATTERNS = [*(p for _, p in EV.RULES), *(p for _, p in EV.TIERS), EV._UPGRADE, EV._KEEP,
            EV._PASSIVE, EV.FIGURE, EV.OFFSET, EV._NEWS]


@pytest.mark.parametrize("pat", PATTERNS, ids=lambda p: p.pattern[:30])
def test_a_lowered_pattern_finds_what_the_re_i_pattern_finds(pat):
    low_pat = EV.lowered(pat)
    for text in _texts():
        low = EV.caseless(text)
        if len(low) != len(text):
            continue
        want = [(m.span(), m.groups()) for m in pat.finditer(text)]
        got = [(m.span(), tuple(g and text[m.start(i + 1):m.end(i + 1)] for i, g in enumerate(m.groups())))
               for m in low_pat.finditer(low)]
        assert got == want, text


def test_lowered_refuses_what_lower_case_cannot_stand_for():
    for bad in [re.compile("abc"), re.compile(r"\x41b", re.I), re.compile("(a)\\1", re.I),
                re.compile("Đà", re.I)]:
        with pytest.raises(ValueError):
            EV.lowered(bad)
    assert EV.lowered(re.compile(r"\W+MoU\b", re.I)).pattern == r"\W+mou\b"


def every_pattern(sentence, doc_date=None):
    """What `find_dates` gave before: every pattern tried on every sentence."""
    y, m, d = D.parse_iso(doc_date)
    future = bool(D._FUTURE.search(sentence))
    taken, out = [], []
    for pat, kind in D.PATTERNS:
        for hit in pat.finditer(sentence):
            s, e = hit.span()
            if kind == "month" and hit.group("when").lower() in ("in", "since", "until", "by",
                                                                 "from", "during", "through", "of"):
                s = hit.start("month")
            if any(s < te and ts < e for ts, te in taken):
                continue
            if kind == "month" and hit.group("month") == "May" and \
                    hit.group("when").lower() not in ("in", "since", "until", "last", "next", "this",
                                                      "early", "late", "during", "from", "by"):
                continue
            taken.append((s, e))
            out.append((s, e, sentence[s:e], D._resolve(kind, hit.groupdict(), future, y, m, d)))
    return sorted(out)


DATED = ["on 2024-05-01", "February 25 to 28, 2025", "25-28 February 2025", "3 March 2021",
         "March 3, 2021", "Sept. 2019", "on Thursday, May 2", "12 June", "YESTERDAY",
         "earlier this month", "a year ago", "last week", "Later this year", "in November",
         "since Oct.", "last Friday", "in 1995", "(2016)", "Dec. 12", "next Monday", "toDAY",
         "this weeK", "ſince 2019", "in May", "May 2025", "the 1990s", "20 percent", "1,995",
         "12th June", "1st-3rd Oct. 2020", "Sept., 2019", "May,2019", "May  5", "25 to 28 February 2025",
         "on Monday, 12 May", "3 –\n5 March 2021", "Aug.\u00a02", "2 may", "on 5th Dec.", "Nov. 3rd",
         "May 2 and 2 May", "March 3, 2021 to 4 April", "on 31 June 2021", "February 30, 2024"]


def test_find_dates_gives_what_every_pattern_gives():
    sentences = [s for t in _texts() for _, s in EV.sentences(t)]
    sentences += [f"Tô Lâm will meet them {x} in Đà Nẵng." for x in DATED]
    sentences += [f"The U.S. and Vietnam met {x}." for x in DATED]
    for s in sentences:
        for ref in (None, "2024", "2024-06", "2024-06-15"):
            got = [(x.start, x.end, x.text, x.value) for x in D.find_dates(s, ref)]
            assert got == every_pattern(s, ref), (s, ref)


# What comes before or after a date's words: nothing, breaks, and characters of a word
# (underscore, digit, accented letter, combining mark) that keep \b from holding.
DATE_EDGES = ["", " ", "_", "7", "é", "a\u0301", "\u0301", "\u00a0", "“", "’", "—", "-", "\n", ".", ",",
              "(", "$"]
DATE_WORDS = ["in May", "last week", "TODAY", "on Monday", "next Friday", "2024-05-01", "3 March 2021",
              "March 3, 2021", "Sept. 2019", "May 2", "2 Oct.", "Oct.", "since Oct.", "a year ago",
              "25-28 February 2025", "February 25 to 28, 2025", "mid-May", "earlier this month",
              "Mondays", "ſince Nov", "1995"]


def test_dates_found_from_the_break_before_them_are_the_plain_ones():
    """Patterns run from the character before their match, in the sentence with a space put
    first, find what the \\b-led ones find: a date first or last, glued to another date
    ("in May,last week", "2 Oct.3 Nov 2020"), after characters that are part of a word or not."""
    sentences = [f"{a}{w}{b}" for w in DATE_WORDS for a in DATE_EDGES for b in DATE_EDGES]
    sentences += [f"{w}{g}{v}" for w in DATE_WORDS for v in DATE_WORDS for g in ("", ",", ".", " ", "_")]
    sentences += ["2 Oct.3 Nov 2020", "in Jan.in Feb", "last week.today", "Tô Lâm in May; Đà Nẵng in June."]
    for s in sentences:
        for ref in (None, "2024-06-15"):
            got = [(x.start, x.end, x.text, x.value) for x in D.find_dates(s, ref)]
            assert got == every_pattern(s, ref), (s, ref)


def test_dates_found_with_the_sentence_in_lower_case_given_are_the_plain_ones():
    """find_dates given the sentence as `caseless` gives it (as the events hand it over), the
    article date parsed once for many sentences, and months before a digit let through by
    any word starting like one ("Mayor 2", "Marching 3"): what every pattern gives."""
    sentences = [f"{a}{w}{b}" for w in DATE_WORDS for a in DATE_EDGES[:6] for b in DATE_EDGES[:6]]
    sentences += [f"{w} {v}" for w in DATE_WORDS for v in DATE_WORDS]
    sentences += ["The Mayor 2 and Marching 3 of Junes 4.", "ſince Nov 3, YESTERDAY İn May",
                  "LAST WEEK on Monday, 12 May", "Sept., 2019 and Sept 2019 and Septs 2019"]
    for ref in (None, "2024", "2024-06", "2024-06-15", "2023-01-31", None):
        for s in sentences:
            got = [(x.start, x.end, x.text, x.value) for x in D.find_dates(s, ref, EV.caseless(s))]
            assert got == every_pattern(s, ref), (s, ref)


def _plain_main_partner(doc, index):
    counts = {}
    for p in doc.passages:
        for m in index.in_passage(doc.id, p.number):
            entry = index.entry(m.entity)
            if entry is not None and entry.type == "country" and EV.fold(entry.name) != EV._HOME:
                counts[entry.name] = counts.get(entry.name, 0) + 1
    return max(counts, key=lambda n: (counts[n], n)) if counts else None


def test_the_main_partner_is_the_country_named_most_often():
    made_up = Document("art", "art.md", "art", date="2024-01-02", passages=[
        Passage("art", 1, "China and Vietnam met. Beijing said China would sign. Japan objected."),
        Passage("art", 2, "The Chinese side and China again; Tokyo too. The PRC, the PRC."),
        Passage("art", 3, "Vietnam, Việt Nam and Hanoi are not partners of themselves.")])
    docs, _ = load([bundled_seeds()])
    gaz = gazetteer.load(include_user=False)
    for doc in [made_up, *docs]:
        index = extract([doc], gaz)
        assert EV.main_partner(doc, index) == _plain_main_partner(doc, index), doc.id
    assert EV.main_partner(made_up, extract([made_up], gaz)) == "China"


def test_the_main_partner_decides_between_states_and_stands_for_an_unnamed_side():
    paras = ["Japan's leaders and Vietnam's talked. Japan and Vietnam agreed; Japan said so.",
             "Japan and China formed a strategic partnership in 2015.",
             "Diplomatic ties were first opened in 1973."]
    doc = Document("art", "art.md", "art", date="2024-06-15",
                   passages=[Passage("art", i, t) for i, t in enumerate(paras, 1)])
    events = EV.extract_events([doc], extract([doc], gazetteer.load(include_user=False)))
    found = {(e.date, e.kind, tuple(e.partners)) for e in events}
    assert ("2015", "strategic partnership", ("Japan",)) in found
    assert ("1973", "diplomatic relations", ("Japan",)) in found


def test_whole_documents_give_the_same_events_on_the_fast_and_the_plain_path(monkeypatch):
    """Without `candidates` (as for a passage whose lower case changes its length) every
    sentence is classified and dated on its own text with re.I: the same events."""
    paras = TRICKY + ["Vietnam and Japan ELEVATED their ties to a comprehensive strategic "
                      "partnership in November 2023. The two countries had signed an accord in 2009.",
                      "Ties between them were first opened in 1973, and the two sides met last week."]
    docs, _ = load([bundled_seeds()])
    docs.append(Document("art", "art.md", "art", date="2024-06-15",
                         passages=[Passage("art", i, t) for i, t in enumerate(paras, 1)]))
    gaz = gazetteer.load(include_user=False)
    indexes = [extract([d], gaz) for d in docs]
    fast = [EV.extract_events([d], i) for d, i in zip(docs, indexes)]
    monkeypatch.setattr(EV, "candidates", lambda low: None)
    plain = [EV.extract_events([d], i) for d, i in zip(docs, indexes)]
    assert fast == plain
    assert sum(map(len, fast)) > 20


def test_the_two_countries_are_found_in_a_passage_holding_no_rule_word():
    """A passage none of whose words a rule needs is not cut in sentences unless "the two
    countries" later asks who they are."""
    paras = ["China was named first. Japan and Vietnam are close friends.",
             "The two countries formed a strategic partnership in 2015.",
             "China, China and China again: China is named most in this article."]
    doc = Document("art", "art.md", "art", date="2024-06-15",
                   passages=[Passage("art", i, t) for i, t in enumerate(paras, 1)])
    assert EV.candidates(EV.caseless(paras[0])) == []
    index = extract([doc], gazetteer.load(include_user=False))
    assert EV.main_partner(doc, index) == "China"
    found = {(e.date, e.kind, tuple(e.partners)) for e in EV.extract_events([doc], index)}
    assert ("2015", "strategic partnership", ("Japan",)) in found


NEWS = ["Hanoi Has  formally ELEVATED ties.", "Japan lifts curbs on Đà Nẵng rice.",
        "They Agree to upgrade the accord.", "THIS WEEK the U.S. signs it.", "Tô Lâm joins talks.",
        "It becomes law; India HAVE\nsigned.", "The two agreed.", "TODAY he met them.",
        "He has to go; hash browns; Elevates; UPGRADES", "said to sign, asked to join",
        "co-signs re-joins unlifts; this weekend", "Talks end this week.", "ſigns vıſits; Todays; have-set up"]


def _lowered(sentences: list[str]):
    """(sentence, its caseless form) of these sentences and those of the tricky texts, where
    the caseless form keeps the offsets (same length)."""
    for s in sentences + [s for t in _texts() for _, s in EV.sentences(t)]:
        low = EV.caseless(s)
        if len(low) == len(s):
            yield s, low


def test_news_words_found_first_give_the_first_news_match():
    """A sentence's news (a verb in the present perfect, "signs", "today") is looked for only
    when it holds one of NEWS_NEEDS: the same first match as _NEWS with re.I."""
    tried = 0
    for s, low in _lowered(NEWS):
        want, got = EV._NEWS.search(s), EV._news_in(low)
        assert got == (want and want.span()), s
        tried += bool(want)
    assert tried > 100


NEWS_EDGES = ["signs", "Signs it.", "to signs", "To signs", "go to signs; then signs", "has signed",
              "Has been signed", "_signs", "2signs", "ésigns", "e\u0301signs", "x\u00a0joins",
              "“signs”", "(joins)", "—today", "today", "todays", "to today", "up to joins",
              "intojoins joins", "this week", "this weekend this week", "agreed to upgrade",
              "disagreed to upgrade", "Lifts\nthis\nweek", "has\tjust\nlifted", ""]


def test_news_found_from_the_break_before_it_is_the_re_i_match():
    """Looked for after characters that are not part of a word (and a space put before the
    sentence): the span _NEWS with re.I gives, when a sentence starts with the news word,
    when "to " comes before it or is cut by the sentence's start, beside accents and marks."""
    for s in NEWS_EDGES + [s + " " + t for s in NEWS_EDGES for t in NEWS_EDGES[:8]]:
        low = EV.caseless(s)
        want = EV._NEWS.search(s)
        assert EV._news_in(low) == (want and want.span()), s
    assert EV._news_in("signs") == (0, 5) and EV._news_in("to signs") is None


TIER_SENTENCES = [
    "Vietnam and Japan ELEVATED their ties to a Comprehensive Strategic Partnership in 2023.",
    "Hà Nội and Canberra signed a strategic partnership in 2018.",
    "In 2013 the U.S. became a strategic partner, and Australia a comprehensive partner.",
    "They upgraded ties to comprehensive strategic partners, then a comprehensive partnership.",
    "Reinforcing the existing strategic partnership, Tô Lâm met them in Đà Nẵng.",
    "The comprehensive partnership was formally established in 2013 with the U.S.",
    "“Elevating the relationship,” he said of the strategic partnership dialogue.",
    "Seoul elevated relations; Delhi is elevating its partnerships; Paris elevates ties.",
    "A strategic\npartnership was signed; a comprehensive-strategic partnership was forged.",
    "STRATEGIC PARTNERSHIPS were established with the two countries’ comprehensive partners.",
    "Vietnam and India have lifted their strategic partnership to a comprehensive strategic one.",
]


def test_tier_words_found_first_give_every_tier_trigger():
    """A tier pattern is tried only on a sentence holding its words (TIER_WORDS): the same
    triggers, at the same places, as every tier pattern read with re.I."""
    found = 0
    for s, low in _lowered(TIER_SENTENCES):
        want = EV.tier_triggers(s)
        assert EV.tier_triggers(s, low) == want, s
        found += len(want)
    assert found > 20
    assert {k for s in TIER_SENTENCES for k, _ in EV.tier_triggers(s, EV.caseless(s))} == \
        {"comprehensive strategic partnership", "strategic partnership", "comprehensive partnership"}


RULE_PHRASES = {    # a phrase for each alternative of each rule, as an article may write it
    "normalisation": ["normalised ties", "relations were normalized", "repaired relations",
                      "restoring their ties", "resumed bilateral relations"],
    "diplomatic relations": ["established diplomatic relations", "set up formal diplomatic ties",
                             "diplomatic ties have been formally established",
                             "the 30th anniversary of the establishment of diplomatic relations",
                             "years of full diplomatic ties"],
    "membership": ["joined", "re-joins", "accession to", "acceded to", "admission", "entry into",
                   "became a full member", "as an observer member", "a non-permanent seat",
                   "its membership in", "a founding member of"],
    "incident": ["seized", "clashes", "rammed", "water cannons", "collided", "harassment",
                 "a confrontation", "riots", "sank", "fired on", "opposition to", "protested",
                 "detained", "a stand-off", "the standoff"],
    "visit": ["visited", "travelled to", "traveled to", "a trip to", "arrived in", "hosted",
              "toured", "paid a call", "met", "meets", "met with", "held talks", "a summit",
              "a welcome ceremony", "welcomed"],
    "trade": ["tariffs", "a trade deal", "trade talks", "a trade agreement", "a trade pact",
              "the trade war", "a trade dispute", "duties", "levies", "anti-dumping",
              "export controls"],
    "agreement": ["signed", "co-signing", "inked", "inks", "agreements", "accords", "a memorandum",
                  "MoUs", "a treaty", "treaties", "deals", "a joint statement",
                  "a joint declaration", "a joint communiqué"],
    "defence": ["drills", "joint exercises", "military exercise", "naval exercises", "port calls",
                "warships", "aircraft carriers", "defence cooperation", "defense dialogue",
                "defence policy dialogue", "defense ties", "defence industry", "defense pact"],
}
NEAR_MISSES = ["significant", "according to", "trade rose", "understanding", "standard", "jointly",
               "treatment", "the diplomatic corps", "a partnering firm", "exercised", "defenceless",
               "tradesmen", "amount", "patriotic", "committee", "welcomes"]


def test_every_alternative_of_every_rule_holds_one_of_its_words():
    """Rules are tried only on sentences holding one of their NEEDS words (at the start of a
    word, `candidates`): for a phrase of each alternative, the kind is found, with the same
    triggers as every rule read with re.I; near misses give the same triggers too."""
    rng = random.Random(3)
    for kind, phrases in RULE_PHRASES.items():
        for phrase in phrases:
            for shape in (str, str.upper, str.title):
                filler = " ".join(rng.sample(NEAR_MISSES, 3))
                text = f"In 2016 Tô Lâm said {filler} {shape(phrase)} in Đà Nẵng (the U.S.)."
                low = EV.caseless(text)
                held = EV.kinds_in(EV.candidates(low), 0, len(low))[0]
                assert kind in held, (kind, text)
                assert EV.classify_kinds(text, low, held) == unfiltered(text), text
    for near in NEAR_MISSES:
        text = f"The {near} of Japan was noted in 2016."
        low = EV.caseless(text)
        held = EV.kinds_in(EV.candidates(low), 0, len(low))[0]
        assert EV.classify_kinds(text, low, held) == unfiltered(text) == [], text


def test_a_passage_whose_events_have_no_date_is_not_asked_for_its_mentions():
    """A sentence's mentions are fetched only when it has a date for its event words: the
    same events, fewer look-ups."""
    paras = ["Japan and Vietnam signed an accord; Tô Lâm met the U.S. envoy in Đà Nẵng.",
             "Japan and Vietnam signed an accord in 2016."]
    doc = Document("art", "art.md", "art", date="2024",
                   passages=[Passage("art", i, t) for i, t in enumerate(paras, 1)])
    index = extract([doc], gazetteer.load(include_user=False))
    asked = []

    class Counting:
        def __getattr__(self, name):
            return getattr(index, name)

        def in_passage(self, doc_id, number):
            asked.append(number)
            return index.in_passage(doc_id, number)
    events = EV.extract_events([doc], Counting())
    assert {(e.date, e.kind, tuple(e.partners)) for e in events} == {("2016", "agreement", ("Japan",))}
    assert asked == [2]


def test_two_latest_values_read_one_log_each_sentence_once():
    """"The two countries" and the body joined are the last ones named before: both are read
    from one log of the document's sentences, each sentence worked out at most once by each."""
    asked = {"states": [], "bodies": []}

    def make(what, word):
        def found(sent, offset, inside):
            asked[what].append(sent)
            return [w for w in sent.split() if w.startswith(word)]
        return found
    log: list = []
    states = EV._Latest(make("states", "S"), lambda i: [], log)
    bodies = EV._Latest(make("bodies", "B"), lambda i: [], log)
    log.append(("Sa met Bx. Nobody else.", None, 0))
    assert states.get() == ["Sa"] and bodies.get() == ["Bx."]
    log += [("Sb spoke.", 0, 1), ("None here.", 10, 1)]
    assert states.get() == ["Sb"] and states.get() == ["Sb"]
    assert bodies.get() == ["Bx."]
    log.append(("By and Sc.", 21, 1))
    assert bodies.get() == ["By"] and states.get() == ["Sc."]
    assert asked == {"states": ["Nobody else.", "Sa met Bx.", "None here.", "Sb spoke.", "By and Sc."],
                     "bodies": ["Nobody else.", "Sa met Bx.", "None here.", "Sb spoke.", "By and Sc."]}
