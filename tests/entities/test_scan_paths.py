"""The fast paths of the per-document extraction give exactly what the plain ones give:
tokens made a list at a time, runs that stop before looking at a gap, institutions read by
stretches, single names typed only where there is evidence, the per-document index the
events read. Each plain path is written out here as it was, and both are run on made-up
sentences with the hard cases (accents, curly quotes, acronyms, hyphens, line breaks)."""
from __future__ import annotations

import random
import re
from collections import Counter

import pytest

from search.corpus.files import load
from search.corpus.text import fold
from search.entities import gazetteer
from search.entities import mentions as M
from search.entities import names as N
from search.entities.matcher import (Matcher, Token, capital, capital_flags, first_letters, gap,
                                     lower_flags, plain, tokens, upper_flags, words)
from search.entities import nametypes as T
from search.entities.nametypes import places, single_type, type_of, person_tail
from search.model import Document, Passage
from search.paths import bundled_seeds

TOKEN = re.compile(r"(?:[A-Za-z]\.){2,}|[^\W_]+\+?")      # the tokenizer's definition

TEXTS = [
    "Tô Lâm met Đà Nẵng officials; the U.S. and U.K. envoys said “yes” to the Trans-Pacific plan.",
    "General Secretary Tô Lâm\nand Prime Minister Phạm Minh Chính visited Hồ Chí Minh City.",
    "The Vietnam–China border, the Indo-Pacific and the South China Sea: ASEAN’s view.",
    "Researchers at the Mekong Delta Research Institute met the Japan Foundation in Hanoi.",
    "The Hanoi People's Committee and the Vietnam-Japan Friendship Association signed on.",
    "Kim Min-jun of the Korea Foundation spoke; the ASEAN Regional Forum Secretariat Group met.",
    "Officials from China and the Vietnam Institute for Economic and Policy Research spoke.",
    "The U.S. Agency for International Development and the World Bank Group, in Japan.",
    "China Daily; Tô Lâm Foundation — Việt Nam News Agency, 'Asia Power Index' Institute.",
    "Photo: By Nguyễn Văn An. Source: Reuters. Via the Hanoi Times, the e.g. A.B test ab.c.d.",
    "C++ and snake_case and 3G and ΟΔΟΣ ΣΑΣ; In New York and San Francisco, John McCain spoke.",
    "President Halvorsen of Norway met Senator Adebayo; Mr. Tanaka Hiroshi and Dr. Osei came.",
    "The Estonian Prime Minister Kallasmaa, the Icelandic Coast Guard and the Malian Press Agency.",
    "Center for Strategic and International Studies; Ministry of Rivers and Coastal Works in Hue.",
    "Vietnam and Japan upgraded ties. The Vietnam-Japan Institute, Japan Institute of Affairs.",
    "Deputy Minister of Health and Welfare Vo Minh Chau and the Hanoi Water Council Group met.",
    "In January, Ho Chi Minh City and Da Nang hosted the Vietnam Business Forum Council.",
    "The Women's Union, the Farmers' Association and the Youth Union of Vietnam Council.",
    "The WTO, the EU’s Council, NATO and the U.S.-Vietnam Trade Council met in Washington D.C.",
    "The Trade Council Vietnamese delegates met the Gulf Forum Chinese and Japanese envoys.",
    "Ǆemal New York and Ǆemal Ho Chi Minh City: a letter that folds to two before a place.",
    "The Mekong Water Treaty, the Committee on Fisheries Protocol and the Hanoi Joint Statement; "
    "Sơn Lâm province and the Ba Vì district hosted the Coral Sea Framework Agreement talks.",
    "Asia Sakura, Europe Michael and Oceania Kenji met Hiroshi Tanaka of the Council for Asia.",
    "Envoys from Winston-Salem and Aix-en-Provence met the Bank for Trade on Đà Nẵng’s Treaty.",
    "", "   ", "Việt Nam", "a", "U.S.", "Tô-Lâm-Đà", "ÉCOLE Nationale d’Administration Institute.",
]


@pytest.fixture(scope="module")
def gaz():
    return gazetteer.load(include_user=False)


@pytest.fixture(scope="module")
def matcher(gaz):
    return Matcher(gaz)


@pytest.fixture(scope="module")
def texts():
    docs, _ = load([bundled_seeds()])
    return TEXTS + [p.text for d in docs for p in d.passages]


def _plain_tokens(text: str) -> list[Token]:
    out = []
    for m in TOKEN.finditer(plain(text)):
        exact = m.group().replace(".", "")
        out.append(Token(m.start(), m.end(), exact, exact.lower()))
    return out


def test_tokens_are_those_of_the_token_pattern(texts):
    for text in texts:
        toks = tokens(text)
        want = _plain_tokens(text)
        assert list(toks) == want, text
        assert toks.exacts == [t.exact for t in want] and toks.lows == [t.low for t in want]
        assert toks.starts == [t.start for t in want]
    assert [t.exact for t in tokens("the U.S. and e.g. A.B")] == ["the", "US", "and", "eg", "A", "B"]


ODD = "aZ9._+-' .\n’‘“”–—…«»·²Ⓐ\uff21\u00a0\u200d\u0301ôĐđßǅΣσ中ـ٣\U0001d400"


def test_tokens_of_odd_characters_are_those_of_the_token_pattern():
    """The text is split with its quotes and dashes made spaces, and as ASCII when it then
    is: the words and offsets of the pattern still, whatever the characters (random texts
    of letters, digits, dots, '+', quotes, dashes, marks, other scripts, characters whose
    accent-free form is a letter)."""
    rng = random.Random(12)
    texts = ["".join(rng.choice(ODD) for _ in range(rng.randrange(1, 40))) for _ in range(3000)]
    texts += ["“Tô Lâm” – Đà Nẵng’s U.S.–Việt Nam…", "Ⓐ.Ⓑ. and ²nd and C++’s", "a’b—c"]
    for text in texts:
        toks = tokens(text)
        assert list(toks) == _plain_tokens(text), repr(text)
        assert words(text).ends == [t.end for t in toks], repr(text)


QUOTED = "aZ9._+-' .\n’‘“”–—AbU"


def test_tokens_of_texts_with_only_quotes_and_dashes_outside_ascii():
    """A text whose only characters outside ASCII are curly quotes and dashes has them made
    spaces by str.replace and is split as ASCII: the words and offsets of the pattern still
    (acronyms and '+' beside a quote or a dash included)."""
    rng = random.Random(7)
    texts = ["".join(rng.choice(QUOTED) for _ in range(rng.randrange(1, 40))) for _ in range(3000)]
    texts += ["“U.S.”–A.B.—C++’s ‘x’", "A–B.C—D.", "Viet–Nam’s U.K.’ 3G—", "U–S.A.’"]
    for text in texts:
        toks = tokens(text)
        assert list(toks) == _plain_tokens(text), repr(text)
        assert words(text).lows == [t.low for t in toks], repr(text)


def test_word_oks_as_one_token_at_a_time(texts):
    for text in texts + ["By Photo by photo Source source VIA"]:
        toks = _plain_tokens(text)
        want = [t.exact[:1].isupper() and t.low not in N.BREAKS for t in toks]
        assert N.word_oks([t.exact for t in toks], [t.low for t in toks]) == want
        assert N.word_oks([t.exact for t in toks], [t.low for t in toks],
                          "".join(t.exact[:1] for t in toks)) == want


FIRSTS = "aZ9_ ª²µºßÀÞÿ¹¼ÐðǅΣσİ中Ⓐⓐ٣\U0001d400"


def test_first_letter_flags_as_each_letter_tested():
    """upper_flags, lower_flags and capital_flags flag each first letter as str.isupper,
    str.islower and `capital` do, for Latin-1 letters (one translate) and any other
    (a letter outside Latin-1 in the passage: each tested)."""
    rng = random.Random(5)
    for n in range(2000):
        letters = "".join(rng.choice(FIRSTS[:17] if n % 2 else FIRSTS) for _ in range(rng.randrange(0, 30)))
        assert list(upper_flags(letters)) == [c.isupper() for c in letters], repr(letters)
        assert list(lower_flags(letters)) == [c.islower() for c in letters], repr(letters)
        assert list(capital_flags(letters)) == [capital(c) for c in letters], repr(letters)
    assert first_letters(["Tô", "lâm", "U.S.", "9x", "ǅemal"]) == "TlU9ǅ"


def test_scan_reads_odd_first_letters_as_the_plain_loop(gaz, matcher):
    """Words whose first letter stays outside ASCII once accents go: Latin-1 ones (ß, Ð, Þ,
    æ, Ø: the passage is flagged by one translate) and others (Σ, ǅ, Ⓐ, µ as μ: each tested).
    The document's lower-case words and its capitalised runs are those of the plain loop."""
    doc = _doc("odd", "The ßtrasse Ðelta Group and Þorn Ølsen Institute met æther Øresund in Hanoi.",
               "ÐELTA Þorn Council and ßee Ænglish Forum; øre and Tô Lâm met the Đà Nẵng Group.",
               "Ⓐlpha Ⓑeta Council and µnion Σigma Ǆemal Forum, σigma and ²nd Tô Lâm.",
               "The ªrgentine Àlliance, ÿork Ðelta Group and ßtrasse Þorn Institute; ǅemal.")
    assert M.scan(doc, gaz, matcher) == _plain_scan(doc, gaz, matcher)
    lower = M.scan(doc, gaz, matcher)[1]
    assert {"ßtrasse", "æther", "øre", "ßee", "σigma"} <= lower and "ðelta" not in lower


def _plain_runs(text, toks, covered, ok):
    """`names.runs` as it was: the gap looked at before the next word."""
    out, n, nxt = [], len(toks), 0
    for i in [k for k, good in enumerate(ok) if good and k not in covered]:
        if i < nxt:
            continue
        j = i
        while j + 1 < n and (j + 1) not in covered and gap(text, toks[j], toks[j + 1]) in (" ", "-"):
            t = toks[j + 1]
            if ok[j + 1] or (gap(text, toks[j], t) == "-" and t.exact.isalpha()
                             and t.exact.islower() and len(t.exact) <= 3):
                j += 1
            elif t.low in N.LINKS and j + 2 < n and (j + 2) not in covered and \
                    ok[j + 2] and gap(text, t, toks[j + 2]) in (" ", "-"):
                j += 2
            else:
                break
        while j + 2 < n and toks[j].low in N.PLURAL_OWNERS and gap(text, toks[j], toks[j + 1]) == "'" \
                and toks[j + 1].low == "s" and gap(text, toks[j + 1], toks[j + 2]) == " " \
                and ok[j + 2] and (j + 2) not in covered:
            j += 2
            while j + 1 < n and (j + 1) not in covered and ok[j + 1] and \
                    gap(text, toks[j], toks[j + 1]) in (" ", "-"):
                j += 1
        if j > i:
            out.extend(_plain_pieces(text, toks, i, j))
        nxt = j + 1
    return out


def _plain_place_at(text, toks, i, j):
    multi = places()[0]
    return next((a for a in range(i, min(i + 3, j))
                 if fold(text[toks[a].start:toks[j].end]) in multi), None)


def _plain_split(toks, i, j, links, heads=frozenset()):
    """`names._split` as it was, token by token."""
    cuts = [k for k in range(i + 1, j) if toks[k].low in links and not toks[k].exact[:1].isupper()
            and not (toks[k].low in ("on", "for") and toks[k - 1].low in heads)]
    bounds = [i - 1] + cuts + [j + 1]
    return [(x + 1, y - 1) for x, y in zip(bounds, bounds[1:]) if y - 1 >= x + 1]


def _plain_pieces(text, toks, i, j):
    """`names._pieces` as it was, token by token."""
    heads = N._ALL_HEADS
    at = _plain_place_at(text, toks, i, j)
    if at is not None:
        return [(at, j)]
    whole = _plain_trim(toks, i, j)
    if all(t.low not in N._SPLITS for t in toks[i + 1:j]):
        return whole
    if whole:
        a, b = whole[0]
        if toks[b].low in heads or fold(text[toks[a].start:toks[b].end]) in places()[0]:
            return whole
    out = []
    for a, b in _plain_split(toks, i, j, N.SPLIT_LINKS, heads):
        one = _plain_trim(toks, a, b)
        if one and (toks[one[0][1]].low in heads or
                    (toks[one[0][0]].low in heads and toks[one[0][0] + 1].low == "of")):
            out.extend(one)
        else:
            out.extend(p for x, y in _plain_split(toks, a, b, {"and"}) for p in _plain_trim(toks, x, y))
    return out


def _plain_title_before(text, toks, i):
    if i == 0:
        return None
    between, low = text[toks[i - 1].end:toks[i].start], toks[i - 1].low
    return low if between == " " or (between == ". " and low in T._ABBREVIATED) else None


def _plain_type_of(text, toks, i, j):
    """`nametypes.type_of` as it was, reading Tokens."""
    words = [t.low for t in toks[i:j + 1]]
    last = words[-1]
    lead = next((w for w, nxt in zip(words, words[1:]) if nxt in ("of", "on", "for")
                 and (w in T.ORG_HEADS or w in T.AGREEMENT_HEADS)), None)
    after = toks[j + 1] if j + 1 < len(toks) and text[toks[j].end:toks[j + 1].start] == " " else None
    if last == "statement" and len(words) > 1 and words[-2] == "joint":
        return "agreement"
    if lead in T.AGREEMENT_HEADS or (lead is None and last in T.AGREEMENT_HEADS):
        return "agreement"
    if lead in T.ORG_HEADS:
        return "org"
    if last in T.NOT_NAME_HEADS:
        return T.NOT_A_NAME
    if last in T.ORG_HEADS:
        return "org"
    if last in T.PLACE_HEADS or (after is not None and after.exact.islower() and after.low in T.PLACE_AFTER):
        return "place"
    exact = [t.exact for t in toks[i:j + 1]]
    gaps = [text[a.end:b.start] for a, b in zip(toks[i:j], toks[i + 1:j + 1])]
    before = _plain_title_before(text, toks, i)
    key = fold(" ".join(exact)) if all(g == " " for g in gaps) else fold(text[toks[i].start:toks[j].end])
    multi, single = places()
    if (len(words) > 1 and key in multi) or (len(words) == 1 and key in single):
        return "place"
    if len(words) == 2 and words[0] in T._DIRECTIONS and words[1] in T.continents():
        return "place"
    if before in T.TITLES:
        return "person"
    return T._shape(words, exact, gaps)


def _plain_person_tail(text, toks, i, j):
    for k in range(i + 1, j):
        if toks[k].low in T.VIETNAMESE | T.CHINESE | T.KOREAN and toks[k].exact[:1].isupper() and \
                T._shape([t.low for t in toks[k:j + 1]], [t.exact for t in toks[k:j + 1]],
                         [text[a.end:b.start] for a, b in zip(toks[k:j], toks[k + 1:j + 1])]) == "person":
            return k
    return None


def _plain_single_type(text, toks, i):
    t = toks[i]
    if not t.exact[:1].isupper() or len(t.exact) < 3:
        return None
    before = _plain_title_before(text, toks, i)
    if before in T.TITLES and before not in ("general", "chief", "officer", "official", "host") \
            and t.low not in T.VIETNAMESE:
        return "person"
    return "place" if t.low in places()[1] else None


def test_the_readers_of_word_lists_as_the_token_readers(texts):
    """Runs cut, typed and split from the passage's word lists (`words`: no Token per word),
    as the Token-by-Token code reads them, for every span of up to nine words."""
    typed = Counter()
    for text in texts[:len(TEXTS)] + [t for t in texts[len(TEXTS):] if len(t) < 400][:40]:
        toks, lists = _plain_tokens(text), words(text)
        for i, j in _spans(toks):
            assert N._pieces(text, lists, i, j) == _plain_pieces(text, toks, i, j), (text, i, j)
            assert N._split(lists, i, j, N.SPLIT_LINKS, N._ALL_HEADS) == \
                _plain_split(toks, i, j, N.SPLIT_LINKS, N._ALL_HEADS), (text, i, j)
            kind = type_of(text, lists, i, j)
            assert kind == _plain_type_of(text, toks, i, j), (text, i, j)
            assert person_tail(text, lists, i, j) == _plain_person_tail(text, toks, i, j), (text, i, j)
            typed[kind] += 1
        for i in range(len(toks)):
            assert single_type(text, lists, i) == _plain_single_type(text, toks, i), (text, i)
            typed["single " + str(single_type(text, lists, i))] += 1
    assert all(typed[k] for k in ("person", "place", "org", "agreement", T.NOT_A_NAME,
                                  T.WEAK_PERSON, "single person", "single place"))


def _plain_trim(toks, i, j):
    """`names._trim` as it was, token by token."""
    stop = next((k for k in range(i, j) if toks[k].low in N.LINKS), j)
    titles = [k for k in range(i, stop) if toks[k].low in N.TITLES]
    if titles and j - titles[-1] >= 2:
        i = titles[-1] + 1
    elif titles and j - titles[-1] == 1:
        return []
    first = i
    while i <= j and (toks[i].low in N._DROP_LEAD or toks[i].low in N.LINKS):
        i += 1
    while j >= i and (toks[j].low in N.LINKS or (toks[j].low in N.MONTHS and toks[j].exact[:1].isupper())):
        j -= 1
    if first < i <= j and toks[i - 1].low in N.NATIONALITIES and toks[j].low in N.ORG_HEADS:
        i -= 1
    if j - i + 1 < 2 or j - i + 1 > N.MAX_WORDS or toks[j].low in N.TITLES | N.NATIONALITIES:
        return []
    if all(t.low in N._DROP_LEAD or t.low in N.LINKS for t in toks[i:j + 1]):
        return []
    return [(i, j)]


def _spans(toks, longest=9):
    return [(i, j) for i in range(len(toks)) for j in range(i, min(len(toks), i + longest))]


def test_trim_and_places_as_one_token_at_a_time(texts):
    multi = places()[0]
    for text in texts[:len(TEXTS)]:
        toks = tokens(text)
        for i, j in _spans(toks):
            assert N._trim(toks, i, j) == _plain_trim(toks, i, j), (text, i, j)
            want = next((a for a in range(i, min(i + 3, j))
                         if fold(text[toks[a].start:toks[j].end]) in multi), None)
            assert N._place_at(text, toks, i, j, multi) == want, (text, i, j)


def _covered(matcher, text, toks):
    out = set()
    for f in matcher.find(text, {}, toks):
        out.update(k for k, t in enumerate(toks) if f.start <= t.start < f.end)
    return out


def test_runs_and_institutions_as_the_plain_loop(matcher, texts):
    found = 0
    for text in texts:
        toks = tokens(text)
        covered = _covered(matcher, text, toks)
        ok = N.word_oks(toks.exacts, toks.lows)
        for cov in (covered, set()):
            assert N.runs(text, toks, cov, ok) == _plain_runs(text, toks, cov, ok), text
        every = [(i, j) for i, j in _plain_runs(text, toks, set(), ok)      # the long way
                 if covered and toks[j].low in N.HEADS and any(k in covered for k in range(i, j + 1))
                 and not all(k in covered for k in range(i, j + 1))]
        assert N.institutions(text, toks, covered, ok) == every, text
        found += len(every)
    assert found >= 6


def _plain_scan(doc, gaz, matcher):
    """`mentions.scan` as it was: every token walked, every capitalised word typed."""
    found_names, candidates, lower, named = [], [], set(), {}
    for p in doc.passages:
        toks = _plain_tokens(p.text)
        exacts, lows = [t.exact for t in toks], [t.low for t in toks]
        lower.update(w for e, w in zip(exacts, lows) if e[:1].islower())
        found = matcher.find(p.text, named, toks)
        covered = {k for f in found for k, t in enumerate(toks) if f.start <= t.start < f.end}
        for f in found:
            entry = gaz.entries[f.key]
            found_names.append((entry.name, entry.type, p.number, f.start, f.end, p.text[f.start:f.end]))
        in_runs = set(covered)
        ok = [e[:1].isupper() and w not in N.BREAKS for e, w in zip(exacts, lows)]
        inst = [(i, j) for i, j in _plain_runs(p.text, toks, set(), ok)
                if covered and toks[j].low in N.HEADS and any(k in covered for k in range(i, j + 1))
                and not all(k in covered for k in range(i, j + 1))]
        for i, j in _plain_runs(p.text, toks, covered, ok) + inst:
            in_runs.update(range(i, j + 1))
            kind = _plain_type_of(p.text, toks, i, j)
            if kind is None and j - i >= 2:
                k = _plain_person_tail(p.text, toks, i, j)
                if k is not None:
                    i, kind = k, "person"
            surface = p.text[toks[i].start:toks[j].end]
            candidates.append((fold(surface), p.number, toks[i].start, toks[j].end, kind, surface))
        for i, e in enumerate(exacts):
            if e[:1].isupper() and i not in in_runs and lows[i] not in N.NOT_ALONE:
                kind = _plain_single_type(p.text, toks, i)
                if kind:
                    t = toks[i]
                    candidates.append((fold(t.exact), p.number, t.start, t.end, kind, t.exact))
    return (tuple(found_names), tuple(candidates)), lower


def _doc(doc_id, *paras):
    return Document(doc_id, doc_id, doc_id, passages=[Passage(doc_id, i, t) for i, t in
                                                       enumerate(paras, 1)])


def _docs():
    docs, _ = load([bundled_seeds()])
    return docs + [_doc("made", *TEXTS), _doc("again", *reversed(TEXTS))]


def test_scan_as_the_plain_loop(gaz, matcher):
    for doc in _docs():
        seen: dict = {}
        assert M.scan(doc, gaz, matcher, seen) == _plain_scan(doc, gaz, matcher), doc.id
        assert sorted(seen) == [p.number for p in doc.passages]


def _plain_accepted(records, gaz, lower):
    """`accepted_names` as it was: every name's kinds and forms counted."""
    cands: dict = {}
    for doc, (_, cs) in records.items():
        for key, n, s, e, kind, surface in cs:
            cands.setdefault(key, []).append((doc, n, s, e, kind, surface))
    out = {}
    for key, ps in cands.items():
        if key in gaz.entries:
            continue
        kinds = Counter(k for *_, k, _ in ps if k)
        ps = list({(d, n, s, e): (d, n, s, e, t) for d, n, s, e, _, t in ps}.values())
        kind = M.taken(key, kinds, len(ps), lower)
        if kind != M.NOT_TAKEN:
            out[key] = (M.main_form(Counter(t for *_, t in ps)), kind, ps)
    return out


def _mention(m):
    return (m.entity, m.doc, m.passage, m.start, m.end, m.text)


def test_the_document_index_answers_as_an_entity_index(gaz, matcher):
    asked = 0
    for doc in _docs():
        rec, lower = M.scan(doc, gaz, matcher)
        records = {doc.id: rec}
        local = M.accepted_names(records, gaz, lower)
        assert local == _plain_accepted(records, gaz, lower), doc.id
        whole = M.aggregate(records, gaz, lower, accepted=local)
        mine = M.document_index(doc.id, rec, gaz, local)
        assert mine.gazetteer is whole.gazetteer
        for p in doc.passages:
            assert [_mention(m) for m in mine.in_passage(doc.id, p.number)] == \
                [_mention(m) for m in whole.in_passage(doc.id, p.number)]
        names = {m[0] for ms in whole._mentions.values() for m in ms} | \
            {m[5] for ms in whole._mentions.values() for m in ms}
        names |= {e.name for e in list(gaz.entries.values())[:300]} | {"Nowhere Land", ""}
        names |= {f"the {n}" for n in list(names)} | {n.upper() for n in list(names)}
        for name in sorted(names):
            assert mine.entry(name) is whole.entry(name), name
            asked += 1
    assert asked > 1000


FIND_TEXTS = [
    "General Secretary Tô Lâm met Lâm Đồng officials; later Lâm said the PRC and the ROK, the "
    "Rok and the prc, the People’s Republic of China and the People's Liberation Army agreed.",
    "mainland China, the mainland china, Mainland China; the nine–dash line and the nine-dash line.",
    "The U.S. Department of Defense and the US Department of Defense, the u.s. and the U.S.-Vietnam "
    "Bilateral Trade Agreement; Lao PDR, Lao Pdr, DR Congo and the Republic of Côte d’Ivoire.",
    "Phạm Minh Chính spoke.\nChính and Minh and Lâm\nTô\nLâm, Hồ Chí Minh City and Đà Nẵng.",
]


def _plain_find(matcher, text, named, toks):
    """`Matcher.find` as it was: each word read through its Token, `gap` between them."""
    def fits(p, i):
        if i + len(p.words) > len(toks) or (not p.lower_start and not toks[i].capital):
            return False
        for j, word in enumerate(p.words):
            t = toks[i + j]
            if t.low != word or (p.exact[j] is not None and t.exact != p.exact[j]):
                return False
            if j and gap(text, toks[i + j - 1], t) != p.gaps[j - 1]:
                return False
        return True

    found, end = [], 0
    for i, t in enumerate(toks):
        if i < end or t.low not in matcher.starts:
            continue
        hit = next((p for p in matcher.full.get(t.low, ()) if fits(p, i)), None)
        short = False
        if hit is None:
            options = [p for p in matcher.short.get(t.low, ()) if p.key in named and t.capital and fits(p, i)]
            if options:
                hit, short = max(options, key=lambda p: (len(p.words), named[p.key])), True
        if hit is None:
            continue
        found.append((t.start, toks[i + len(hit.words) - 1].end, hit.key, short))
        if not short and matcher.gaz.entries[hit.key].type == "person":
            named[hit.key] = max(named.values(), default=0) + 1
        end = i + len(hit.words)
    return found


DIGIT_NAMES = """org:
- {name: 5G Alliance, aliases: [5G Forum]}
- {name: 3M}
- {name: 2030 Agenda Council}
- {name: Øresund Group}
person:
- {name: Ærø Lindqvist, short: [Lindqvist, Ærø]}
- {name: 9 Dragons, short: [Dragons]}
- {name: Curtis Jackson, short: [50 Cent, Jackson]}
"""

DIGIT_TEXTS = [
    "The 5G Alliance and the 5g alliance met 3M, 3m and the 2030 Agenda Council in Đà Nẵng.",
    "Ærø Lindqvist of the Øresund Group met Tô Lâm; Lindqvist and ærø and the øresund group.",
    "9 Dragons came; Dragons and dragons, the 5G Forum’s “3M” and U.S. 2030 agenda council.",
    "mainland China and Mainland China, the nine-dash line and Nine-Dash Line; ³M and ²030.",
    "50 Cent came first. Curtis Jackson spoke; 50 Cent, 50 cent and Jackson met Ærø.",
]


def test_find_reads_capitals_from_the_first_letters(tmp_path):
    """With names that open with a digit (5G Alliance, 3M) or a letter outside ASCII (Ærø,
    Øresund) in a user's file, find given the passage's first letters (as the scan gives
    them) finds what the Token-by-Token loop finds, person memory and short forms included."""
    extra = tmp_path / "digits.yaml"
    extra.write_text(DIGIT_NAMES, encoding="utf-8")
    matcher = Matcher(gazetteer.load([extra], include_user=False))
    named, plain_named = {}, {}
    found = 0
    for text in DIGIT_TEXTS + TEXTS:
        w = words(text)
        got = matcher.find(text, named, w, set(), first_letters(w.exacts))
        want = _plain_find(matcher, text, plain_named, _plain_tokens(text))
        assert [(f.start, f.end, f.key, f.short) for f in got] == want, text
        assert named == plain_named, text
        found += len(want)
    keys = {f.key for text in DIGIT_TEXTS for f in matcher.find(text)}
    assert {"5g alliance", "3m", "2030 agenda council", "oresund group"} <= keys and found > 20
    named = {}
    shorts = [f for text in DIGIT_TEXTS for f in matcher.find(text, named) if f.short]
    assert [f.start for f in shorts if f.key == "curtis jackson"] == [42, 51, 63]    # 50 Cent, 50 cent, Jackson


def test_find_reads_the_word_lists_as_the_tokens(matcher, texts):
    """find on a TokenList, on word lists, on a plain list of Tokens and on the text alone:
    the names the Token-by-Token loop finds, with the same memory of people named, and the
    tokens inside them (`covered`) those whose start is inside a name found."""
    hits = shorts = 0
    for group in (FIND_TEXTS, texts, list(reversed(texts))):
        memories = [{}, {}, {}, {}, {}]
        for text in group:
            plain_toks = _plain_tokens(text)
            want = _plain_find(matcher, text, memories[0], plain_toks)
            inside = {k for k, t in enumerate(plain_toks) if any(s <= t.start < e for s, e, *_ in want)}
            for memory, toks in zip(memories[1:], (tokens(text), words(text), plain_toks, None)):
                covered: set[int] = set()
                got = matcher.find(text, memory, toks, covered)
                assert [(f.start, f.end, f.key, f.short) for f in got] == want, text
                assert memory == memories[0], text
                assert covered == inside, text
            hits += len(want)
            shorts += sum(w[3] for w in want)
    assert hits > 100 and shorts >= 3
    assert tokens("a U.S. b").ends == [1, 6, 8]


def test_runs_on_a_plain_list_of_tokens_as_on_a_token_list(matcher, texts):
    """runs reads the word lists `tokens` keeps; a list of Tokens alone gives the same runs."""
    for text in texts:
        toks = tokens(text)
        covered = _covered(matcher, text, toks)
        for cov in (covered, set()):
            assert N.runs(text, _plain_tokens(text), cov) == N.runs(text, toks, cov), text


def test_runs_written_alike_are_cut_alike_wherever_they_stand(matcher, texts):
    """`runs` keeps the pieces of each run by its text: the same run met again, at another
    place in another passage (shifted by words before it), is cut as the plain code cuts it."""
    N._KEPT.clear()
    kept = 0
    for lead in ("", "Then ", "Officials said: ", "In Hà Nội, the Ministry said "):
        for text in texts:
            text = lead + text
            toks = tokens(text)
            covered = _covered(matcher, text, toks)
            for cov in (covered, set()):
                assert N.runs(text, toks, cov) == _plain_runs(text, _plain_tokens(text), cov,
                                                              N.word_oks(toks.exacts, toks.lows)), text
        kept = max(kept, len(N._KEPT))
    assert kept > 50
