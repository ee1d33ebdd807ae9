"""The learned model's batch scoring gives what scoring one passage at a time gives."""

from __future__ import annotations

import math

import pytest

from lfa_qual.nlp.learned import LearnedModel

PASSAGES = [
    (["forældre", "møde", "skole", "barn"], ["foraeldre"]),
    (["forældre", "kontakt", "lærer"], ["foraeldre"]),
    (["forældre", "samarbejde", "hjem"], ["foraeldre"]),
    (["pit", "sparring", "team", "vejledning"], ["pit"]),
    (["pit", "medarbejder", "time", "klasse"], ["pit"]),
    (["pit", "sparring", "lærer"], ["pit"]),
]


@pytest.fixture
def model() -> LearnedModel:
    m = LearnedModel(min_examples=2)
    for lemmas, codes in PASSAGES:
        m.add(lemmas, codes)
    return m


def test_batch_scores_equal_one_at_a_time_and_the_formula(model) -> None:
    queries = [
        ["forældre", "møde", "kontakt"],
        ["ukendt", "ord"],  # no known word: nothing to say
        [],
        ["pit", "sparring", "pit", "forældre"],
    ]
    batch = model.score_many([(q, ()) for q in queries])
    for q, scored in zip(queries, batch, strict=True):
        single = model.score(q)
        assert scored.p.keys() == single.p.keys()
        for code, p in single.p.items():
            assert scored.p[code] == pytest.approx(p, abs=1e-12)
    # By hand: the mean-by-sqrt of the words' log-likelihood ratios plus the prior.
    words = ["forældre", "møde", "kontakt"]
    llr = sum(model._llr("foraeldre", w) for w in words)
    logit = llr / math.sqrt(len(words)) + math.log(3 / 6)
    assert batch[0].p["foraeldre"] == pytest.approx(1 / (1 + math.exp(-logit)))
    assert batch[1].p == {} and batch[2].p == {}


def test_a_floor_leaves_out_weak_codes_unless_kept(model) -> None:
    query = ["forældre", "møde", "sparring"]
    everything = model.score(query).p
    assert set(everything) == {"foraeldre", "pit"}
    weak = min(everything, key=everything.get)
    floor = {code: everything[weak] + 1e-9 for code in everything}
    assert weak not in model.score(query, floor=floor).p
    assert weak in model.score(query, floor=floor, keep=[weak]).p
