"""Tables the extraction reads at its first use in a process, made faster: the same data."""
from __future__ import annotations

from search.entities import gazetteer as G
from search.entities import nametypes as N
from search.paths import bundled_data
from search.yamlsafe import read_yaml


def test_the_bundled_gazetteer_reads_the_same_with_libyaml():
    path = bundled_data() / "entities.yaml"
    assert G._bundled(path) == read_yaml(path)
    assert G._bundled(path)[0]["country"] and len(G.load(None).entries) > 100


def test_places_are_kept_and_a_damaged_copy_is_worked_out_again(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    made = N.places.__wrapped__()
    kept = list(tmp_path.rglob("places-*.marshal"))
    assert len(kept) == 1 and made[0] and made[1]
    assert N.places.__wrapped__() == made                # read back from the copy
    kept[0].write_bytes(b"\x00not marshal")
    assert N.places.__wrapped__() == made                # damaged: worked out again
    kept[0].write_bytes(__import__("marshal").dumps(("a", "b")))
    assert N.places.__wrapped__() == made                # not two sets: worked out again
