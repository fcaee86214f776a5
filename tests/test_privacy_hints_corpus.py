"""Precision and recall of the privacy hints on a corpus of realistic Dutch sentences
(tests/fixtures/privacy_hints_corpus.yml). Run with -s to see the table:
`.venv/bin/pytest -s tests/test_privacy_hints_corpus.py`."""
from collections import Counter
from pathlib import Path

import pytest
import yaml

from course.privacy_hints import KINDS, find_all

CORPUS = yaml.safe_load((Path(__file__).parent / "fixtures" / "privacy_hints_corpus.yml").read_text("utf-8"))
SENTENCES = CORPUS["with_personal_data"] + CORPUS["without_personal_data"]
MIN_RECALL = 0.9
MIN_PRECISION = 0.8


def _expected(entry) -> set[tuple[str, str]]:
    pairs = set()
    for kind, texts in (entry.get("expect") or {}).items():
        for text in texts if isinstance(texts, list) else [texts]:
            pairs.add((kind, str(text)))
    return pairs


def _found(entry) -> set[tuple[str, str]]:
    return {(f.kind, f.text) for f in find_all(entry["text"])}


def score_corpus():
    """Counters of true positives, false positives and false negatives per kind."""
    tp, fp, fn = Counter(), Counter(), Counter()
    misses = []
    for entry in SENTENCES:
        expected, found = _expected(entry), _found(entry)
        for kind, _text in expected & found:
            tp[kind] += 1
        for kind, _text in found - expected:
            fp[kind] += 1
        for kind, _text in expected - found:
            fn[kind] += 1
        if expected != found:
            misses.append((entry["text"], sorted(expected - found), sorted(found - expected)))
    return tp, fp, fn, misses


def _ratio(part, whole):
    return part / whole if whole else 1.0


def summary_table(tp, fp, fn) -> str:
    lines = [f"{'kind':<10} {'TP':>4} {'FP':>4} {'FN':>4} {'precision':>10} {'recall':>8}"]
    for kind in (*KINDS, "overall"):
        t, p, n = ((sum(tp.values()), sum(fp.values()), sum(fn.values())) if kind == "overall"
                   else (tp[kind], fp[kind], fn[kind]))
        lines.append(f"{kind:<10} {t:>4} {p:>4} {n:>4} {_ratio(t, t + p):>10.2f} {_ratio(t, t + n):>8.2f}")
    return "\n".join(lines)


def test_the_corpus_is_big_enough_and_covers_every_kind():
    assert len(CORPUS["with_personal_data"]) >= 60 and len(CORPUS["without_personal_data"]) >= 60
    assert all(entry.get("expect") for entry in CORPUS["with_personal_data"])
    assert not any(entry.get("expect") for entry in CORPUS["without_personal_data"])
    covered = Counter(kind for entry in SENTENCES for kind, _ in _expected(entry))
    assert all(covered[kind] >= 5 for kind in KINDS), covered


def test_precision_and_recall_on_the_corpus(capsys):
    tp, fp, fn, misses = score_corpus()
    with capsys.disabled():
        print("\nPrivacy hints on", len(SENTENCES), "sentences:\n" + summary_table(tp, fp, fn))
        for text, missed, extra in misses:
            print(f"  differs: {text!r} missed={missed} extra={extra}")
    for kind in KINDS:
        assert _ratio(tp[kind], tp[kind] + fn[kind]) >= MIN_RECALL, f"recall of {kind}"
    total_tp = sum(tp.values())
    assert _ratio(total_tp, total_tp + sum(fp.values())) >= MIN_PRECISION


@pytest.mark.parametrize("entry", [e for e in SENTENCES if e.get("known_false_positive")], ids=lambda e: e["text"])
def test_the_documented_false_positives_are_real(entry):
    """The corpus says which hints are wrong on purpose; keep that note true."""
    assert entry["known_false_positive"] in {kind for kind, _ in _found(entry)}
