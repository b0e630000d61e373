"""Benchmark of geomap's toponym finder: words per second and peak memory.

Reads the texts of the shared corpora (../shared/corpora, never copied here), finds and
resolves the places of every document several times, and prints the median throughput, the
time to load the name index (from its pickle, and built afresh), and the peak resident memory.
Throughput is measured in CPU time of this process (time.process_time): on a shared virtual
machine, wall-clock figures swing by a third from run to run, CPU time by a few per cent.

With --ner, the statistical-NER mode instead (spaCy vetoing and adding names; needs the
optional extra: `uv sync --extra ner`): one figure, words per CPU second end to end.

    .venv/bin/python bench/bench_toponyms.py [--runs 5] [--db PATH] [--ner]
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import sys
import time
from pathlib import Path

from geomap.gazetteer import Gazetteer
from geomap.resolve import Resolver
from geomap.toponyms import NameIndex, find_toponyms

ROOT = Path(__file__).resolve().parents[1]
CORPORA = ROOT.parent / "shared" / "corpora"


def corpus_texts() -> list[str]:
    texts = []
    for path in sorted(CORPORA.glob("*/*.jsonl")):
        with open(path, encoding="utf-8") as f:
            texts.extend(json.loads(line)["text"] for line in f if line.strip())
    return texts


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: kilobytes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--db", default=None, help="gazetteer database (default: the project's)")
    parser.add_argument("--ner", action="store_true",
                        help="measure the statistical-NER mode (the optional extra 'ner')")
    args = parser.parse_args(argv)
    texts = corpus_texts()
    if not texts:
        print(f"no corpora under {CORPORA}", file=sys.stderr)
        return 2
    words = sum(len(t.split()) for t in texts)
    gaz = Gazetteer(args.db)
    started = time.perf_counter()
    index = NameIndex.load(gaz)  # from the pickle beside the database when it is fresh
    load_s = time.perf_counter() - started
    resolver = Resolver(gaz, index)
    if args.ner:
        return bench_ner(resolver, texts, words, args.runs)
    find_only, full = [], []
    for _ in range(args.runs):
        t0 = time.process_time()
        for text in texts:
            find_toponyms(text, index)
        t1 = time.process_time()
        for text in texts:
            resolver.find_places(text)
        t2 = time.process_time()
        find_only.append(words / (t1 - t0))
        full.append(words / (t2 - t1))
    started = time.perf_counter()
    NameIndex.build(gaz)
    build_s = time.perf_counter() - started
    result = {
        "documents": len(texts), "words": words, "runs": args.runs,
        "words_per_s_recognition": round(statistics.median(find_only)),
        "words_per_s_end_to_end": round(statistics.median(full)),
        "index_load_s": round(load_s, 2), "index_build_s": round(build_s, 2),
        "peak_rss_mb": round(peak_rss_mb()),
    }
    print(json.dumps(result, indent=1))
    return 0


def bench_ner(resolver: Resolver, texts: list[str], words: int, runs: int) -> int:
    from geomap.toponyms.ner import NerUnavailable, load_model

    try:
        started = time.perf_counter()
        load_model()
        load_s = time.perf_counter() - started
    except NerUnavailable as exc:
        print(exc, file=sys.stderr)
        return 2
    rates = []
    for _ in range(runs):
        t0 = time.process_time()
        for text in texts:
            resolver.find_places(text, ner=True)
        rates.append(words / (time.process_time() - t0))
    result = {"documents": len(texts), "words": words, "runs": runs, "mode": "ner",
              "words_per_s_end_to_end": round(statistics.median(rates)),
              "model_load_s": round(load_s, 2), "peak_rss_mb": round(peak_rss_mb())}
    print(json.dumps(result, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
