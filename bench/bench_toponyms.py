"""Benchmark of geomap's toponym finder: words per second, against references, and peak memory.

Reads the texts of the shared corpora (../shared/corpora, never copied here) and, in each run,
times over every document: recognition alone (find_toponyms), recognition and resolution
(Resolver.find_places), and the references on the same texts in the same run: a bare
whole-word scan with the same automaton over the same names (the text lower-cased, every run
of non-word characters made one space, one pyahocorasick pass collecting the matches), and
geotext (when it is importable; it is no dependency of geomap: `uv pip install geotext`).
Prints medians over the runs of words per CPU second and the ratios to the bare scan, the
time to load the name index (from its cache, and built afresh) and the peak resident memory
of geomap's part (taken before the references run). Throughput is CPU time of this one
process (time.process_time, one core): on a shared virtual machine, wall-clock figures swing
by a third from run to run, CPU time by a few per cent. With --profile, the cProfile of one
find_places pass over the corpora instead (the functions that cost most, by own time).

With --ner, the statistical-NER mode instead (spaCy vetoing and adding names; needs the
optional extra: `uv sync --extra ner`): one figure, words per CPU second end to end.

    .venv/bin/python bench/bench_toponyms.py [--runs 5] [--db PATH] [--ner] [--profile]
"""

from __future__ import annotations

import argparse
import json
import re
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


# the bare scan's folding: lower case, and every run of non-word characters one space
_NON_WORD = re.compile(r"[^\w]+")


def bare_scan(texts: list[str], automaton) -> int:
    """The reference: every whole-word occurrence of the index's names, and nothing else."""
    found = 0
    for text in texts:
        found += len(list(automaton.iter(" " + _NON_WORD.sub(" ", text.lower()) + " ")))
    return found


def geotext_scan(texts: list[str]) -> int:
    from geotext import GeoText

    found = 0
    for text in texts:
        places = GeoText(text)
        found += len(places.cities) + len(places.countries)
    return found


def has_geotext() -> bool:
    try:
        import geotext  # noqa: F401
    except ImportError:
        return False
    return True


def cpu_seconds(work) -> float:
    started = time.process_time()
    work()
    return time.process_time() - started


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: kilobytes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--db", default=None, help="gazetteer database (default: the project's)")
    parser.add_argument("--ner", action="store_true",
                        help="measure the statistical-NER mode (the optional extra 'ner')")
    parser.add_argument("--profile", action="store_true",
                        help="print the cProfile of one find_places pass instead")
    args = parser.parse_args(argv)
    texts = corpus_texts()
    if not texts:
        print(f"no corpora under {CORPORA}", file=sys.stderr)
        return 2
    words = sum(len(t.split()) for t in texts)
    gaz = Gazetteer(args.db)
    started = time.perf_counter()
    index = NameIndex.load(gaz)  # from the cache beside the database when it is fresh
    load_s = time.perf_counter() - started
    resolver = Resolver(gaz, index)
    if args.ner:
        return bench_ner(resolver, texts, words, args.runs)
    if args.profile:
        return profile(resolver, texts)
    for text in texts:  # the resolver's caches warm, as in a long run
        find_toponyms(text, index)
        resolver.find_places(text)
    rss = peak_rss_mb()  # geomap's part, before any reference is loaded
    work = {"recognition": lambda: [find_toponyms(t, index) for t in texts],
            "end_to_end": lambda: [resolver.find_places(t) for t in texts],
            "bare_scan": lambda: bare_scan(texts, index.automaton)}
    if has_geotext():
        geotext_scan(texts[:1])  # its data loaded before the clock starts
        work["geotext"] = lambda: geotext_scan(texts)
    timings: dict[str, list[float]] = {name: [] for name in work}
    for _ in range(args.runs):  # interleaved, so a change in the machine's load hits all alike
        for name, run in work.items():
            timings[name].append(cpu_seconds(run))
    started = time.perf_counter()
    NameIndex.build(gaz)
    build_s = time.perf_counter() - started
    rate = {name: words / statistics.median(seconds) for name, seconds in timings.items()}
    result = {"documents": len(texts), "words": words, "runs": args.runs}
    result.update({f"words_per_s_{name}": round(r) for name, r in rate.items()})
    result.update({f"ratio_{name}_to_bare_scan": round(r / rate["bare_scan"], 3)
                   for name, r in rate.items() if name != "bare_scan"})
    result.update({"index_load_s": round(load_s, 2), "index_build_s": round(build_s, 2),
                   "peak_rss_mb": round(rss)})
    print(json.dumps(result, indent=1))
    return 0


def profile(resolver: Resolver, texts: list[str]) -> int:
    import cProfile
    import pstats

    for text in texts:
        resolver.find_places(text)
    profiler = cProfile.Profile()
    profiler.enable()
    for text in texts:
        resolver.find_places(text)
    profiler.disable()
    pstats.Stats(profiler).sort_stats("tottime").print_stats(25)
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
