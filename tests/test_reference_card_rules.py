"""The card's text and packing rules, without reportlab."""

from __future__ import annotations

from deliverables.backends.pdf.columns import Spacing, Unit, excess, greedy, pack
from deliverables.backends.pdf.markup import fit_words, markup
from deliverables.documents.card import definition_levels, first_sentence


def test_first_sentence_ends_at_a_full_stop_before_a_capital() -> None:
    text = "Stage 0 of the deal, e.g. a call is booked. Score 3.5 or more. Then more."
    assert first_sentence(text) == "Stage 0 of the deal, e.g. a call is booked."


def test_definition_levels_are_whole_then_first_sentence() -> None:
    assert definition_levels("One  two.\nThree four.") == ("One two. Three four.", "One two.")


def test_fit_words_keeps_leading_words_and_marks_the_cut() -> None:
    assert fit_words("alpha beta gamma delta", lambda t: len(t) <= 12) == "alpha beta…"
    assert fit_words("alpha beta", lambda t: len(t) <= 12) == "alpha beta"
    assert fit_words("alpha, beta gamma", lambda t: len(t) <= 8) == "alpha…"


def test_markup_escapes_reportlab_specials_and_folds_line_breaks() -> None:
    assert markup("R&D < 5%\n<b>x</b> &amp;") == "R&amp;D &lt; 5% &lt;b&gt;x&lt;/b&gt; &amp;amp;"


SPACING = Spacing(headers=(10.0, 10.0), gap=2.0, domain_gap=5.0)


def test_greedy_repeats_a_domain_header_at_the_top_of_each_column() -> None:
    units = [Unit(0, 40.0), Unit(0, 40.0), Unit(1, 20.0)]
    assert greedy(units, SPACING, 92.0) == [[0, 1], [2]]
    # The second column starts with domain 0's header again: 10 + 40 + 5 + 10 + 20 = 85.
    assert greedy(units, SPACING, 85.0) == [[0], [1, 2]]
    assert greedy(units, SPACING, 84.0) == [[0], [1], [2]]


def test_pack_balances_columns_and_refuses_what_does_not_fit() -> None:
    units = [Unit(0, 20.0)] * 6
    assert pack(units, SPACING, 1000.0, 2) == [[0, 1, 2], [3, 4, 5]]
    assert pack(units, SPACING, 40.0, 2) is None
    assert pack([Unit(0, 200.0)], SPACING, 100.0, 3) is None


def test_excess_says_how_much_more_room_is_needed() -> None:
    units = [Unit(0, 90.0)] * 3
    assert round(excess(units, SPACING, 100.0, 2), 2) == 0.5
    assert excess([Unit(0, 200.0)], SPACING, 100.0, 2) is None
