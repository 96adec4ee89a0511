"""Colours of categories: fixed for the stakeholder types, distinct for everything else."""

from __future__ import annotations

import itertools

from graphcap.palette import PALETTE, TYPE_COLORS, category_color


def test_anagrams_that_collided_under_the_byte_sum_hash_differ() -> None:
    for a, b in (("north", "thorn"), ("DACH", "CHAD"), ("ab", "ba"), ("listen", "silent")):
        assert sum(a.encode()) == sum(b.encode())  # the old hash gave them one colour
        assert category_color(a) != category_color(b)
        assert category_color(a, order=[a, b]) != category_color(b, order=[a, b])


def test_categories_of_one_picture_never_share_a_colour() -> None:
    names = [f"region {i}" for i in range(60)]
    colours = [category_color(n, names) for n in names]
    assert len(set(colours)) == len(names)
    assert colours[: len(PALETTE)] == list(PALETTE)  # the palette first, then more hues
    assert not set(colours) & set(TYPE_COLORS.values())


def test_type_colours_are_fixed_and_colours_are_stable() -> None:
    for t, colour in TYPE_COLORS.items():
        assert category_color(t) == colour == category_color(t, ["x", t])
    assert category_color("Nordics") == category_color("Nordics")
    assert all(
        len(c) == 7 and c.startswith("#")
        for c in (category_color(x) for x in map("".join, itertools.permutations("abc")))
    )
