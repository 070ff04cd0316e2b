"""A block's statistics taken on short paths (search.index.codec.blocks.all_ones,
search.index.codec.terms._weighs and _lengths) are exactly what the plain ways of taking
them give: the block header, the term info and so the index files stay byte for byte."""
from __future__ import annotations

import random
from array import array

from search.index.codec.blocks import ALL_ONE, HEAD, all_ones, encode_block, to_bytes
from search.index.codec.terms import _lengths, _weighs

def weight_arrays() -> list[array]:
    """Weights of blocks as the text and pair fields make them (counts: mostly 1, some 2 or
    more), with the values next to 1.0 a float32 can hold, 0, -0, NaN and boosts."""
    rng = random.Random(5)
    up, down = array("f"), array("f")
    up.frombytes(bytes.fromhex("0100803f"))     # the float32 just above 1.0
    down.frombytes(bytes.fromhex("ffff7f3f"))   # and just below
    odd = [up[0], down[0], 0.0, -0.0, float("nan"), float("inf"), -1.0, 2.0, 0.5, 1.5]
    out = [array("f"), array("f", (1.0,)), array("f", (2.0,)) * 7]
    for n in (1, 2, 3, 127, 128, 129, 300, 5000):
        out.append(array("f", (1.0,)) * n)
        for x in odd:
            for where in (0, n // 2, n - 1):
                a = array("f", (1.0,)) * n
                a[where] = x
                out.append(a)
        out.append(array("f", [rng.choice([1.0, 1.0, 1.0, 2.0, 3.0]) for _ in range(n)]))
    return out


def test_all_ones_is_counting_the_ones():
    for weights in weight_arrays():
        assert all_ones(weights) == (weights.count(1.0) == len(weights)), weights[:5]


def test_a_blocks_highest_weight_and_sum_are_the_plain_ones():
    for weights in weight_arrays():
        if not weights or any(w != w for w in weights):   # no block is empty; NaN != NaN
            continue
        top, total = _weighs(weights)
        plain_top, plain_total = max(0, max(weights)), 0 + sum(weights)
        assert (top, total) == (plain_top, plain_total), weights[:5]
        assert (type(top), type(total)) == (type(plain_top), type(plain_total))


def plain_lengths(lens) -> tuple:
    nonzero = bytes(filter(None, lens)) if lens is not None else b""
    return (min(nonzero), max(nonzero)) if nonzero else (None, 0)


def test_shortest_and_longest_length_bytes_leave_out_empty_fields_as_before():
    rng = random.Random(7)
    cases = [None, (), (0,), (0, 0, 0), (5,), (255, 1), (0, 7, 3, 0), (3, 0), (0, 255)]
    for n in (2, 128, 129, 1000):
        cases.append(tuple(rng.randrange(1, 256) for _ in range(n)))
        cases.append(tuple(rng.choice([0, 0, 9, 200]) for _ in range(n)))
    for lens in cases:
        assert _lengths(lens) == plain_lengths(lens), lens


def test_a_block_of_weights_one_is_marked_all_one_and_any_other_keeps_its_weights():
    ids = array("I", range(10, 30))
    ones = array("f", (1.0,)) * len(ids)
    block = encode_block(ids, ones, [b""] * len(ids), 0, 1.0, 3, 9, True)
    assert HEAD.unpack(block[:HEAD.size])[6] == ALL_ONE and len(block) == HEAD.size + 4 * len(ids)
    for x in (2.0, 0.0, -1.0):
        weights = array("f", ones)
        weights[7] = x
        block = encode_block(ids, weights, [b""] * len(ids), 0, max(weights), 3, 9, True)
        assert HEAD.unpack(block[:HEAD.size])[6] != ALL_ONE
        assert block.endswith(to_bytes(weights))
