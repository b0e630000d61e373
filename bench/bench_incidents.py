"""Benchmark incident extraction: articles per second on one core, place finding included.

    .venv/bin/python bench/bench_incidents.py [--articles 200] [--runs 5] [--db PATH]

The articles are about 600 words each, assembled from the seed articles and the test fixture
articles (paragraphs shuffled with a fixed seed). The gazetteer and its name index are loaded
once, before timing, as a run of `geomap incidents` over many files does. Prints the median.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from geomap.articles import Article, read_articles  # noqa: E402
from geomap.gazetteer import Gazetteer  # noqa: E402
from geomap.incidents import extract_incidents  # noqa: E402

WORDS = 600


def typical_articles(n: int, seed: int = 11) -> list[Article]:
    """n articles of about WORDS words, built from the paragraphs of the sample articles."""
    sources = read_articles(ROOT / "seeds") + read_articles(ROOT / "tests" / "fixtures" / "articles")
    paragraphs = [(a, p) for a in sources for p in a.text.split("\n\n") if len(p.split()) > 5]
    rng = random.Random(seed)
    articles = []
    for number in range(n):
        base = rng.choice(sources)
        chosen, words = [], 0
        while words < WORDS:
            _, paragraph = rng.choice(paragraphs)
            chosen.append(paragraph)
            words += len(paragraph.split())
        articles.append(replace(base, id=f"bench-{number}.txt", text="\n\n".join(chosen)))
    return articles


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--db", default=None, help="gazetteer database (default: the project's)")
    args = parser.parse_args()
    articles = typical_articles(args.articles)
    words = statistics.mean(len(a.text.split()) for a in articles)
    with Gazetteer(args.db) as gaz:
        extract_incidents(articles[0], gazetteer=gaz)  # load the name index before timing
        rates = []
        for _ in range(args.runs):
            started = time.perf_counter()
            count = sum(len(extract_incidents(a, gazetteer=gaz)) for a in articles)
            rates.append(len(articles) / (time.perf_counter() - started))
    print(f"{len(articles)} articles of {words:.0f} words on average, {count} incidents per run")
    print(f"median {statistics.median(rates):.1f} articles/s over {args.runs} runs "
          f"(min {min(rates):.1f}, max {max(rates):.1f}); target >= 50")


if __name__ == "__main__":
    main()
