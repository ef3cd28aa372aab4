"""Drafting: a 2,000-word article after the place index is loaded, against parsing the draft it makes.

Also prints precision and recall per field over the test articles (tests/data/articles/expected.yaml).
Run: python benchmarks/bench_draft.py [--smoke] (``--smoke``: a 200-word article timed once, and the
scores over the first two articles of each folder: checks that it runs)
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml
from common import best_of

from geodata.places import default_index
from missions.draft import draft_mission, draft_yaml
from missions.draft.score import drafted_fields, expected_fields, score
from missions.parsing import parse_mission

ARTICLES = Path(__file__).resolve().parent.parent / "tests" / "data" / "articles"


def article_of_words(n: int) -> str:
    """The seed article followed by the others until ``n`` words (cut at a paragraph)."""
    texts = [(ARTICLES / "seed_tu160_2015.txt").read_text(encoding="utf-8")]
    texts += [p.read_text(encoding="utf-8") for p in sorted(ARTICLES.glob("*.txt")) if "seed" not in p.name]
    paragraphs = [p for t in texts for p in t.split("\n\n")]
    out: list[str] = []
    while sum(len(p.split()) for p in out) < n:
        out.append(paragraphs[len(out) % len(paragraphs)])
    return "\n\n".join(out)


def main() -> None:
    index = default_index()
    smoke = "--smoke" in sys.argv
    words, repeat, articles = (200, 1, 2) if smoke else (2000, 5, None)
    text = article_of_words(words)
    draft_mission(text, index=index)  # warm the index shards and the catalogues
    yaml_text = draft_yaml(draft_mission(text, index=index))
    t_draft = best_of(lambda: draft_mission(text, index=index), repeat)
    t_parse = best_of(lambda: parse_mission(yaml_text, file="draft"), repeat)
    print(f"{words:,}-word article ({len(text.split()):,} words): draft {t_draft:.3f} s (goal <= 1 s); "
          f"baseline: parsing the draft {t_parse:.3f} s; ratio {t_draft / t_parse:.1f}")  # fmt: skip
    for folder, what in ((ARTICLES / "heldout", "held-out"), (ARTICLES, "tuned-on")):
        expected = yaml.safe_load((folder / "expected.yaml").read_text(encoding="utf-8"))
        pairs = [
            (
                drafted_fields(draft_mission((folder / name).read_text(encoding="utf-8"), index=index)),
                expected_fields(e),
            )
            for name, e in list(expected.items())[:articles]
        ]
        print(f"{'field':<9} precision  recall  (tp/fp/missed) over {len(pairs)} {what} articles")
        for field, (p, r, tp, fp, fn) in score(pairs).items():
            print(f"{field:<9} {p:9.2f}  {r:6.2f}  ({tp}/{fp}/{fn})")


if __name__ == "__main__":
    main()
