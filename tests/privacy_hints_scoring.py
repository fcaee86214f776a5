"""Scoring of the privacy hints on tests/fixtures/privacy_hints_corpus.yml, for the
corpus test and for `make bench`."""
from collections import Counter
from pathlib import Path

import yaml

from course.privacy_hints import KINDS, find_all

CORPUS = yaml.safe_load((Path(__file__).parent / "fixtures" / "privacy_hints_corpus.yml").read_text("utf-8"))
SENTENCES = CORPUS["with_personal_data"] + CORPUS["without_personal_data"]


def expected_pairs(entry) -> set[tuple[str, str]]:
    pairs = set()
    for kind, texts in (entry.get("expect") or {}).items():
        for text in texts if isinstance(texts, list) else [texts]:
            pairs.add((kind, str(text)))
    return pairs


def found_pairs(entry) -> set[tuple[str, str]]:
    return {(f.kind, f.text) for f in find_all(entry["text"])}


def score_corpus():
    """Counters of true positives, false positives and false negatives per kind."""
    tp, fp, fn = Counter(), Counter(), Counter()
    misses = []
    for entry in SENTENCES:
        expected, found = expected_pairs(entry), found_pairs(entry)
        for kind, _text in expected & found:
            tp[kind] += 1
        for kind, _text in found - expected:
            fp[kind] += 1
        for kind, _text in expected - found:
            fn[kind] += 1
        if expected != found:
            misses.append((entry["text"], sorted(expected - found), sorted(found - expected)))
    return tp, fp, fn, misses


def ratio(part, whole):
    return part / whole if whole else 1.0


def summary_table(tp, fp, fn) -> str:
    lines = [f"{'kind':<10} {'TP':>4} {'FP':>4} {'FN':>4} {'precision':>10} {'recall':>8}"]
    for kind in (*KINDS, "overall"):
        t, p, n = ((sum(tp.values()), sum(fp.values()), sum(fn.values())) if kind == "overall"
                   else (tp[kind], fp[kind], fn[kind]))
        lines.append(f"{kind:<10} {t:>4} {p:>4} {n:>4} {ratio(t, t + p):>10.2f} {ratio(t, t + n):>8.2f}")
    return "\n".join(lines)
