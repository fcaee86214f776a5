"""Precision and recall of the privacy hints on a corpus of realistic Dutch sentences
(tests/fixtures/privacy_hints_corpus.yml). Run with -s to see the table:
`.venv/bin/pytest -s tests/test_privacy_hints_corpus.py`."""
from collections import Counter

import pytest

from course.privacy_hints import KINDS

from .privacy_hints_scoring import CORPUS, SENTENCES, expected_pairs, found_pairs, ratio, score_corpus, summary_table

MIN_RECALL = 0.9
MIN_PRECISION = 0.8


def test_the_corpus_is_big_enough_and_covers_every_kind():
    assert len(CORPUS["with_personal_data"]) >= 60 and len(CORPUS["without_personal_data"]) >= 60
    assert all(entry.get("expect") for entry in CORPUS["with_personal_data"])
    assert not any(entry.get("expect") for entry in CORPUS["without_personal_data"])
    covered = Counter(kind for entry in SENTENCES for kind, _ in expected_pairs(entry))
    assert all(covered[kind] >= 5 for kind in KINDS), covered


def test_precision_and_recall_on_the_corpus(capsys):
    tp, fp, fn, misses = score_corpus()
    with capsys.disabled():
        print("\nPrivacy hints on", len(SENTENCES), "sentences:\n" + summary_table(tp, fp, fn))
        for text, missed, extra in misses:
            print(f"  differs: {text!r} missed={missed} extra={extra}")
    for kind in KINDS:
        assert ratio(tp[kind], tp[kind] + fn[kind]) >= MIN_RECALL, f"recall of {kind}"
    total_tp = sum(tp.values())
    assert ratio(total_tp, total_tp + sum(fp.values())) >= MIN_PRECISION


@pytest.mark.parametrize("entry", [e for e in SENTENCES if e.get("known_false_positive")], ids=lambda e: e["text"])
def test_the_documented_false_positives_are_real(entry):
    """The corpus says which hints are wrong on purpose; keep that note true."""
    assert entry["known_false_positive"] in {kind for kind, _ in found_pairs(entry)}
