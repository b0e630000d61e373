"""Benchmark incident extraction: articles per second on one core, place finding included.

    .venv/bin/python bench/bench_incidents.py [--articles 200] [--runs 5] [--db PATH]

Two sets of articles of about 600 words each:
- news: real news text, consecutive documents of the TR-News and GeoVirus corpora
  (../shared/corpora) joined until they reach 600 words -- typical articles;
- dense: paragraphs of the seed and test fixture articles shuffled with a fixed seed, nearly
  every sentence an incident -- a worst case.
The gazetteer and its name index are loaded once, before timing, as a run of
`geomap incidents` over many files does. Prints the medians, and how an article's time divides
between place finding (geomap.resolve.find_places) and the incident stages.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from dataclasses import replace
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from geomap.articles import Article, read_articles  # noqa: E402
from geomap.gazetteer import Gazetteer  # noqa: E402
from geomap.incidents import extract_incidents  # noqa: E402
from geomap.resolve import find_places  # noqa: E402

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


def news_articles(n: int) -> list[Article]:
    """n articles of about WORDS words of real news from the shared corpora (empty if absent)."""
    texts = []
    for corpus in ("TR-News/TR-News", "GeoVirus/GeoVirus"):
        path = ROOT.parent / "shared" / "corpora" / f"{corpus}.normalized.jsonl"
        if path.is_file():
            texts += [json.loads(line)["text"] for line in path.open(encoding="utf-8")]
    articles, chosen, words = [], [], 0
    for text in texts:
        chosen.append(text)
        words += len(text.split())
        if words >= WORDS:
            joined = "\n\n".join(chosen)
            # cut at the first sentence end after WORDS words
            cut = len(" ".join(joined.split(" ")[:WORDS]))
            end = joined.find(". ", cut)
            text = joined[:end + 1] if end > 0 else joined
            articles.append(Article(id=f"news-{len(articles)}.txt", text=text,
                                    title=None, published=date(2017, 1, 15)))
            chosen, words = [], 0
        if len(articles) == n:
            break
    return articles


def measure(label: str, articles: list[Article], gaz: Gazetteer, runs: int) -> None:
    words = statistics.mean(len(a.text.split()) for a in articles)
    rates, places, stages = [], [], []
    for _ in range(runs):
        started = time.process_time()  # CPU time: steadier than the wall clock on a shared VM
        count = sum(len(extract_incidents(a, gazetteer=gaz)) for a in articles)
        rates.append(len(articles) / (time.process_time() - started))
        # the same work in two halves: place finding, then the incident stages on its mentions
        started = time.process_time()
        mentions = [find_places(a.text, gazetteer=gaz) for a in articles]
        places.append((time.process_time() - started) / len(articles))
        started = time.process_time()
        for article, found in zip(articles, mentions):
            extract_incidents(article, gazetteer=gaz, mentions=found)
        stages.append((time.process_time() - started) / len(articles))
    print(f"{label}: {len(articles)} articles of {words:.0f} words on average, "
          f"{count} incidents per run; median {statistics.median(rates):.1f} articles/s over "
          f"{runs} runs (min {min(rates):.1f}, max {max(rates):.1f}); target >= 250 (issue 13)")
    print(f"  of an article: place finding {statistics.median(places) * 1000:.2f} ms, the incident "
          f"stages {statistics.median(stages) * 1000:.2f} ms (CPU medians)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--db", default=None, help="gazetteer database (default: the project's)")
    args = parser.parse_args()
    dense = typical_articles(args.articles)
    news = news_articles(args.articles)
    with Gazetteer(args.db) as gaz:
        extract_incidents(dense[0], gazetteer=gaz)  # load the name index before timing
        if news:
            measure("news", news, gaz, args.runs)
        measure("dense", dense, gaz, args.runs)

if __name__ == "__main__":
    main()
