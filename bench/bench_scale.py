"""Benchmark: geomap at scale -- every core, a Dask LocalCluster, flat memory, the incident store.

    .venv/bin/python bench/bench_scale.py            # the issue's sizes: 100,000 articles (an hour)
    .venv/bin/python bench/bench_scale.py --quick    # 1,000 articles, one run of each (minutes)
        [--articles 100000] [--sample 2000] [--runs 3] [--workdir /tmp/geomap-scale]
        [--skip-cluster] [--only throughput,cluster,memory,store]

Synthetic news: the texts of the shared corpora (TR-News, GeoVirus; ../shared/corpora) with
each gold toponym replaced by another corpus toponym drawn at random, a dateline naming one of
them, and a published date drawn from 2023-2024, written as JSON-lines shards of 5,000
articles. Prints, as medians of --runs runs where it says so, and again at the end as a summary
ready to paste:

- throughput on --sample articles: --jobs 1 (this process) and --jobs 2 (the pool), wall and
  CPU time per article in the parent and in the workers, the wall-clock speed-up (which
  depends on whatever else loads the machine) and the speed-up on two free cores computed
  from the CPU per article (which does not);
- the same articles through a Dask LocalCluster of 2 workers (start-up timed apart), with
  the same two speed-ups and each worker's memory;
- memory: the parent's and each worker's resident (RSS), proportional (PSS, shared pages
  divided among the processes sharing them) and unique (USS) memory, from
  /proc/PID/smaps_rollup, while --articles stream
  through 2 workers into a CSV, sampled every 10 % of the run: flat means no growth;
- the store: ingest of --articles with 2 workers, ingest of the same again (nothing new), and
  `geomap map --store` of one week (a subprocess, the command a user runs).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from geomap.export import export_incidents  # noqa: E402
from geomap.gazetteer import Gazetteer  # noqa: E402
from geomap.paths import default_db_path, shared_dir  # noqa: E402
from geomap.stream import iter_articles  # noqa: E402
from geomap.toponyms import name_index  # noqa: E402

SHARD = 5_000
CORPORA = ("TR-News/TR-News", "GeoVirus/GeoVirus")
QUICK = {"articles": 1_000, "sample": 200, "runs": 1}
FULL = {"articles": 100_000, "sample": 2_000, "runs": 3}
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")


SUMMARY: list[str] = []


def say(line: str) -> None:
    """Print a figure now, and keep it for the summary printed at the end."""
    print(line, flush=True)
    SUMMARY.append(line)


def synthetic_news(count: int, folder: Path, seed: int = 12, shard: int = SHARD) -> list[Path]:
    """Write `count` synthetic articles as JSON-lines shards in `folder`; return the shards."""
    docs = []
    for corpus in CORPORA:
        path = shared_dir() / "corpora" / f"{corpus}.normalized.jsonl"
        docs += [json.loads(line) for line in path.open(encoding="utf-8")]
    names = sorted({t["phrase"] for d in docs for t in d["toponyms"] if t["phrase"][:1].isupper()})
    rng = random.Random(seed)
    start = dt.date(2023, 1, 1)
    folder.mkdir(parents=True, exist_ok=True)
    shards, out = [], None
    for n in range(count):
        if n % shard == 0:
            if out:
                out.close()
            shards.append(folder / f"news-{n // shard:03d}.jsonl")
            out = shards[-1].open("w", encoding="utf-8")
        doc = docs[n % len(docs)]
        text, cut = [], 0
        for t in sorted(doc["toponyms"], key=lambda t: t["start"]):
            if t["start"] < cut:
                continue
            text += [doc["text"][cut:t["start"]], rng.choice(names)]
            cut = t["end"]
        text.append(doc["text"][cut:])
        day = start + dt.timedelta(days=rng.randrange(730))
        dateline = f"{rng.choice(names).upper()}, {MONTHS[day.month - 1]} {day.day} — "
        out.write(json.dumps({"doc_id": f"s{n}", "published": day.isoformat(),
                              "title": doc.get("title"), "text": dateline + "".join(text)},
                             ensure_ascii=False) + "\n")
    out.close()
    return shards


def cpu_split() -> tuple[float, float]:
    """CPU seconds of this process, and of its children that have exited."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime, kids.ru_utime + kids.ru_stime


def cpu_now() -> float:
    """CPU seconds of this process and of its children that have exited."""
    return sum(cpu_split())


def one_run(shards, sample: int, jobs: int, gaz: Gazetteer) -> dict:
    """One run of `sample` articles to CSV: articles/s by the wall clock, and CPU milliseconds
    per article in this process and in the workers."""
    articles = _take(iter_articles(shards, errors=[]), sample)
    wall, (own, kids) = time.perf_counter(), cpu_split()
    report = export_incidents(articles, os.devnull, "csv", gazetteer=gaz, jobs=jobs, errors=[])
    own_after, kids_after = cpu_split()
    return {"wall": report.articles / (time.perf_counter() - wall),
            "parent_ms": 1000 * (own_after - own) / report.articles,
            "workers_ms": 1000 * (kids_after - kids) / report.articles}


def throughput(shards, sample: int, gaz: Gazetteer, runs: int) -> dict:
    """--jobs 1 and --jobs 2 in turn, `runs` times: medians, and the median ratio of the pairs
    (run side by side, they share whatever else loads the machine)."""
    pairs = [(one_run(shards, sample, 1, gaz), one_run(shards, sample, 2, gaz))
             for _ in range(runs)]
    one = {k: statistics.median(p[0][k] for p in pairs) for k in pairs[0][0]}
    two = {k: statistics.median(p[1][k] for p in pairs) for k in pairs[0][1]}
    ratio = statistics.median(b["wall"] / a["wall"] for a, b in pairs)
    # on two free cores the pool goes as fast as its busier side: each worker does half
    # the articles, the parent reads, sends, receives and writes all of them
    free = one["parent_ms"] / max(two["parent_ms"], two["workers_ms"] / 2)
    say(f"--jobs 1: {one['wall']:.0f} articles/s wall, {one['parent_ms']:.2f} ms CPU per "
        f"article; --jobs 2: {two['wall']:.0f} articles/s wall (x{ratio:.2f}, median of the "
        f"pairs), {two['workers_ms']:.2f} ms CPU per article in the workers and "
        f"{two['parent_ms']:.2f} ms in the parent: x{free:.2f} on two free cores "
        f"(medians of {runs} runs of {sample} each; load average {os.getloadavg()[0]:.1f})")
    return one


def _take(items, count):
    for n, item in enumerate(items):
        if n == count:
            return
        yield item


def memory(pid: int) -> dict:
    """RSS, PSS and USS of a process in MB: a forked worker's pages shared with its parent count
    fully in its RSS, divided among the sharers in its PSS, and not at all in its USS."""
    kb = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]:
        key, value = line.split(":", 1)
        kb[key] = int(value.split()[0])
    private = kb["Private_Clean"] + kb["Private_Dirty"]
    return {"rss": kb["Rss"] / 1024, "pss": kb["Pss"] / 1024, "uss": private / 1024}


def flat_memory(shards, total: int, gaz: Gazetteer, out: Path) -> list[dict]:
    """Stream `total` articles through 2 workers into a CSV; memory every 10 % of the way."""
    import psutil

    samples = []
    step = max(1, total // 10)
    done = [0]

    def progress(_article):
        done[0] += 1
        if done[0] % step == 0:
            me = psutil.Process()
            # the pool's workers (forks of this process), not multiprocessing's resource tracker
            workers = [c for c in me.children() if c.cmdline() == me.cmdline()]
            samples.append({"articles": done[0], "parent": memory(os.getpid()),
                            "workers": [memory(w.pid) for w in workers]})

    wall, cpu = time.perf_counter(), cpu_now()
    report = export_incidents(iter_articles(shards, errors=[]), out, "csv", gazetteer=gaz, jobs=2,
                              errors=[], progress=progress)
    say(f"flat-memory run: {report.articles} articles, {report.incidents} incidents to CSV in "
        f"{time.perf_counter() - wall:.0f} s wall, {cpu_now() - cpu:.0f} s CPU")
    return samples


def print_memory(samples: list[dict]) -> None:
    """Every sample, then the growth from the first to the last."""
    for sample in samples:
        workers = "; ".join(f"RSS {w['rss']:.0f} PSS {w['pss']:.0f} USS {w['uss']:.0f}"
                            for w in sample["workers"])
        parent = sample["parent"]
        say(f"  after {sample['articles']:>7,} articles: parent RSS {parent['rss']:.0f} "
            f"PSS {parent['pss']:.0f} USS {parent['uss']:.0f} MB; workers (MB): {workers}")
    first, last = samples[0], samples[-1]
    grew = [last["parent"]["uss"] - first["parent"]["uss"]]
    grew += [b["uss"] - a["uss"] for a, b in zip(first["workers"], last["workers"])]
    say(f"memory from {first['articles']:,} to {last['articles']:,} articles: USS grew "
        + ", ".join(f"{mb:+.0f} MB" for mb in grew) + " (parent, workers); largest worker PSS "
        f"{max(w['pss'] for s in samples for w in s['workers']):.0f} MB")


def _process_cpu() -> float:
    times = os.times()
    return times.user + times.system


def cluster_throughput(sample_folder: Path, runs: int, db: Path, one: dict) -> None:
    """The sample through a LocalCluster of 2 workers, against `one` (the --jobs 1 figures)."""
    from geomap.cluster import connect, extract_on_cluster

    # eight partitions: both workers busy to the end, whatever the sample
    target = sum(f.stat().st_size for f in sample_folder.iterdir()) // 8
    started = time.perf_counter()
    with connect("local", workers=2) as client:
        up = time.perf_counter() - started
        rates, parent_ms, workers_ms = [], [], []
        for run in range(runs + 1):  # the first run loads the gazetteer in the workers
            wall, own = time.perf_counter(), cpu_split()[0]
            before = client.run(_process_cpu)
            report = extract_on_cluster([sample_folder], sample_folder.parent / "cluster-out",
                                        client=client, db_path=db, errors=[], notes=[],
                                        target_bytes=target)
            after = client.run(_process_cpu)
            if run:
                rates.append(report.articles / (time.perf_counter() - wall))
                parent_ms.append(1000 * (cpu_split()[0] - own) / report.articles)
                workers_ms.append(1000 * sum(after[w] - before[w] for w in after)
                                  / report.articles)
        pids = client.run(os.getpid)
        sizes = [memory(pid) for pid in pids.values()]
    parent, workers = statistics.median(parent_ms), statistics.median(workers_ms)
    free = one["parent_ms"] / max(parent, workers / 2)
    say(f"LocalCluster of 2 workers: start-up {up:.1f} s; {report.articles} articles in "
        f"{report.partitions} partitions; median {statistics.median(rates):.0f} articles/s wall "
        f"(x{statistics.median(rates) / one['wall']:.2f} against --jobs 1), {workers:.2f} ms CPU "
        f"per article in the workers and {parent:.2f} ms in the client: x{free:.2f} on two free "
        f"cores; worker memory (MB): "
        + "; ".join(f"RSS {m['rss']:.0f} PSS {m['pss']:.0f} USS {m['uss']:.0f}" for m in sizes))


def store_figures(shards, workdir: Path, gaz: Gazetteer, db: Path, runs: int) -> None:
    from geomap.store import IncidentStore, ingest

    store_path = workdir / "store.gpkg"
    store_path.unlink(missing_ok=True)
    for label in ("ingest", "re-ingest"):
        wall, cpu = time.perf_counter(), cpu_now()
        with IncidentStore(store_path, create=True) as store:
            report = ingest(iter_articles(shards, errors=[]), store, gazetteer=gaz, jobs=2,
                            errors=[])
            counts = store.counts()
        spent = cpu_now() - cpu
        say(f"{label}: {report.articles} articles read, {report.added} added, {report.held} "
            f"held already; {report.reports} incidents ({report.merged} merged into events "
            f"already stored) in {time.perf_counter() - wall:.1f} s wall, {spent:.1f} s CPU "
            f"({1000 * spent / max(1, report.articles):.2f} ms per article read); store: "
            f"{counts['incidents']} events, {store_path.stat().st_size / 2**20:.0f} MB")
    with IncidentStore(store_path, readonly=True) as store:
        busiest = store.db.execute("SELECT event_date FROM incidents WHERE event_date >= "
                                   "'2023-01-01' GROUP BY 1 ORDER BY count(*) DESC LIMIT 1"
                                   ).fetchone()[0]
    since = dt.date.fromisoformat(busiest)
    until = since + dt.timedelta(days=6)
    from geomap.store import Slice

    queries = []
    for _ in range(runs):
        wall = time.perf_counter()
        with IncidentStore(store_path, readonly=True) as store:
            briefing = store.briefing(Slice(since=since, until=until), gaz)
        queries.append(time.perf_counter() - wall)
    walls, cpus = [], []
    for _ in range(runs):
        wall, cpu = time.perf_counter(), cpu_now()
        done = subprocess.run(
            [sys.executable, "-m", "geomap", "map", "--store", str(store_path), "--since",
             since.isoformat(), "--until", until.isoformat(), "-o", str(workdir / "week"),
             "--db", str(db)], capture_output=True, text=True, check=True)
        walls.append(time.perf_counter() - wall)
        cpus.append(cpu_now() - cpu)
    summary = next(line for line in done.stderr.splitlines() if " incidents (" in line)
    say(f"a week from the store ({since} to {until}): the slice and its places read in "
        f"{1000 * statistics.median(queries):.0f} ms ({len(briefing.incidents)} events); "
        f"`geomap map --store` ({summary}): median {statistics.median(walls):.1f} s wall, "
        f"{statistics.median(cpus):.1f} s CPU (a new process; HTML, PNG, PDF, GeoJSON)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true",
                        help=f"a few minutes: {QUICK['articles']:,} articles, one run of each")
    parser.add_argument("--articles", type=int)
    parser.add_argument("--sample", type=int)
    parser.add_argument("--runs", type=int)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/geomap-scale"))
    parser.add_argument("--skip-cluster", action="store_true")
    parser.add_argument("--only", default="throughput,cluster,memory,store",
                        help="the parts to run, comma-separated")
    parser.add_argument("--db", type=Path, default=None)
    args = parser.parse_args()
    for key, value in (QUICK if args.quick else FULL).items():
        if getattr(args, key) is None:
            setattr(args, key, value)
    db = args.db or default_db_path()
    started = time.perf_counter()
    shards = synthetic_news(args.articles, args.workdir / "news")
    sample_folder = args.workdir / "sample"
    shutil.rmtree(sample_folder, ignore_errors=True)
    synthetic_news(args.sample, sample_folder, shard=25)  # files the cluster partitions group
    say(f"{args.articles:,} synthetic articles in {len(shards)} shards "
        f"({sum(s.stat().st_size for s in shards) / 2**20:.0f} MB); {os.cpu_count()} cores, "
        f"load average {os.getloadavg()[0]:.1f} at the start")
    with Gazetteer(db) as gaz:
        name_index(gaz)
        parts = set(args.only.split(","))
        if parts & {"throughput", "cluster"}:
            one = throughput(shards, args.sample, gaz, args.runs)
        if "cluster" in parts and not args.skip_cluster:
            cluster_throughput(sample_folder, args.runs, db, one)
        if "memory" in parts:
            print_memory(flat_memory(shards, args.articles, gaz, args.workdir / "out.csv"))
        if "store" in parts:
            store_figures(shards, args.workdir, gaz, db, args.runs)
    say(f"(bench_scale.py {' '.join(sys.argv[1:])}: {time.perf_counter() - started:.0f} s wall; "
        f"load average {os.getloadavg()[0]:.1f} at the end)")
    print("\n--- summary, ready to paste ---")
    print("\n".join(SUMMARY))


if __name__ == "__main__":
    main()
