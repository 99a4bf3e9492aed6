"""`fit_threshold`: people's merges and splits of encoder-judged pairs move its threshold."""

from __future__ import annotations

import pytest

from kg.resolve.tune import MARGIN, fit_threshold


def test_no_decision_keeps_the_default() -> None:
    fit = fit_threshold([], 0.75)
    assert (fit.threshold, fit.learnt, fit.decided) == (0.75, False, 0)
    assert "no decided pair" in fit.describe()


def test_a_split_raises_the_threshold_just_past_its_score() -> None:
    fit = fit_threshold([(0.80, False)], 0.75)
    assert fit.threshold == pytest.approx(0.80 + MARGIN)
    assert (fit.right, fit.right_default, fit.learnt) == (1, 0, True)
    assert "learnt from 1 decided pair" in fit.describe()


def test_between_a_split_and_a_merge_it_takes_the_midpoint() -> None:
    fit = fit_threshold([(0.80, False), (0.90, True), (0.95, True)], 0.75)
    assert fit.threshold == pytest.approx(0.85)
    assert fit.right == 3 and fit.right_default == 2


def test_merges_below_the_floor_do_not_lower_it() -> None:
    fit = fit_threshold([(0.60, True), (0.70, True)], 0.75)
    assert fit.threshold == 0.75 and not fit.learnt and fit.right == 0


def test_decisions_the_default_already_gets_right_change_nothing() -> None:
    fit = fit_threshold([(0.78, True), (0.70, False), (0.90, True)], 0.75)
    assert fit.threshold == 0.75 and fit.right == fit.right_default == 3


def test_contradicting_decisions_keep_the_default() -> None:
    # a split scored above a merge: no threshold gets both right, so nothing moves
    fit = fit_threshold([(0.85, False), (0.80, True)], 0.75)
    assert fit.threshold == 0.75 and fit.right == 1
    assert "no threshold gets more right" in fit.describe()


def test_a_split_at_full_similarity_cannot_be_honoured() -> None:
    assert fit_threshold([(1.0, False)], 0.75).threshold == 0.75


def test_the_most_decisions_win_over_a_single_one() -> None:
    fit = fit_threshold([(0.82, False), (0.84, True), (0.86, True), (0.88, False)], 0.75)
    assert fit.threshold == pytest.approx(0.83)  # 3 of 4 right; 0.885 would get 2
    assert fit.right == 3
