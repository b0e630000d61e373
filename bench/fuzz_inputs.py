"""Fuzz campaign (issue 14): generated hostile and broken inputs through the library and the CLI.

    .venv/bin/python bench/fuzz_inputs.py [--inputs 10000] [--workers 2] [--seed 14]
                                          [--timeout 10] [--memory-mb 2048] [--db PATH]
                                          [--skip N] [--rerun FAILURES.jsonl]

Each input is made from a seed by one of the generators below (articles in every format, YAML
front matter and catalogues, JSON lines, HTML, names for geocode, dates, tolls, incidents for
the writers, mutated real articles, a few large texts) and run by one entry point (the readers,
find_places, extract_incidents, find_dates, find_fatalities, every writer, and the commands
`incidents`, `toponyms`, `geocode`, `map`). Inputs run in worker processes that load the
gazetteer once; the parent kills a worker whose input runs over --timeout seconds (a hang) or
whose resident memory passes --memory-mb (a run over the limit) and starts another.

A crash is any exception other than what geomap reports by design (ArticleUnreadable, a
command's exit status 1 or 2 with its message). Crashes are grouped by exception type and the
innermost geomap frame; the summary prints counts per entry point and per cause, and
--failures FILE writes every failing input's seed and traceback (rerun one with --only SEED).
"""

from __future__ import annotations

import argparse
import collections
import datetime as dt
import json
import multiprocessing as mp
import os
import random
import shutil
import signal
import sys
import tempfile
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

# --- what inputs are made of -------------------------------------------------------------------

PLACES = ["Baku", "Yerevan", "Riga", "Ganja", "Gandja", "Stepanakert", "Nagorno-Karabakh",
          "Kharkiv", "Mogadishu", "Sanaa", "Georgia", "Paris", "Springfield", "U.S.", "Ky.",
          "BAKU", "Turkey", "Syria", "Minsk", "Champagne", "Europe", "Azerbaijani", "Armenians"]
WORDS = ["killed", "wounded", "shelled", "clashes", "protesters", "soldiers", "police", "rebels",
         "militants", "forces", "and", "the", "in", "near", "on", "said", "Mr.", "Dr.", "Gen.",
         "at least", "dozens of", "people", "civilians", "attack", "airstrike", "flood", "between",
         "Yerevan-backed", "which supports", "called on", "announced", "after", "since"]
DATES = ["Sunday", "last week", "3 October 2020", "October 3", "2020-10-05", "yesterday",
         "the day before", "900 years ago", "next month", "in the 1990s", "3-5 October",
         "from Sunday to Tuesday", "12/10/2020", "on the 19th", "the night of 8-9 October"]
NUMBERS = ["12", "1,000", "two", "a dozen", "twenty-five", "9" * 20, "9" * 309, "9" * 5000,
           "1" + "0" * 19, "0", "-3", "1e400", "3.5", "9,223,372,036,854,775,808"]
HOSTILE = ["\x00", "\r", "\r\n", "\t", "\u2028", "\x85", "\ufeff", "\ud800", "&#xd800;",
           "&#" + "9" * 5000 + ";", "<script>alert(1)</script>", "<img src=x onerror=alert(1)>",
           "=HYPERLINK(\"http://x\")", "@SUM(1)", "+1", "-1", "https://example.com/x",
           "//cdn.example/x", "&a", "*a", "[" * 50, "{" * 50, "\"", "'", "\\", "é", "ə", "日本",
           "\u202e", "\U0001F600", "  ", "\n\n", "...", "!?", "U.S.A.", "A. B. C.", "---", "..."]
ALIAS_BOMB = ('a: &a ["x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n'
              'c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\ntitle: [*c,*c,*c,*c,*c,*c,*c,*c,*c]')


def sentence(rng: random.Random, hostile: float = 0.1) -> str:
    parts = []
    for _ in range(rng.randint(3, 25)):
        pick = rng.random()
        if pick < hostile:
            parts.append(rng.choice(HOSTILE))
        elif pick < 0.3:
            parts.append(rng.choice(PLACES))
        elif pick < 0.4:
            parts.append(rng.choice(DATES))
        elif pick < 0.5:
            parts.append(rng.choice(NUMBERS[:7]) if rng.random() < 0.9 else rng.choice(NUMBERS))
        else:
            parts.append(rng.choice(WORDS))
    return " ".join(parts) + rng.choice([".", ".", "!", "", "?", " ...", "\n"])


def text(rng: random.Random, hostile: float = 0.1) -> str:
    paragraphs = []
    for _ in range(rng.randint(1, 6)):
        paragraphs.append(" ".join(sentence(rng, hostile) for _ in range(rng.randint(1, 5))))
    return rng.choice(["\n\n", "\n", "\r\n\r\n"]).join(paragraphs)


def yaml_value(rng: random.Random) -> str:
    return rng.choice(["2020-10-05", "0000-00-00", "0001-01-01", "9999-12-31", "2020-02-30",
                       "someday", "", "~", "!!python/object/apply:os.system ['true']",
                       "[1, 2]", "{a: b}", '"\\ud800"', "1" * 5000, "&x a", "*x",
                       "[" * 200 + "]" * 200, "October 3, 2020", "yes", "'quoted'",
                       "|\n  block\n  text", rng.choice(HOSTILE), rng.choice(PLACES)])


def front_matter(rng: random.Random) -> str:
    if rng.random() < 0.05:
        return ALIAS_BOMB
    fields = [f"{rng.choice(['title', 'published', 'source', 'url', 'other', 'file'])}: "
              f"{yaml_value(rng)}" for _ in range(rng.randint(0, 5))]
    return "\n".join(fields)


def mutate(rng: random.Random, data: bytes) -> bytes:
    data = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        choice = rng.random()
        at = rng.randint(0, len(data)) if data else 0
        if choice < 0.3 and data:
            data[min(at, len(data) - 1)] = rng.randrange(256)
        elif choice < 0.6:
            data[at:at] = rng.choice(HOSTILE).encode("utf-8", "surrogatepass")
        elif choice < 0.8 and data:
            end = min(len(data), at + rng.randint(1, 200))
            data[at:at] = data[at:end] * rng.randint(1, 20)
        elif data:
            del data[at:at + rng.randint(1, 50)]
    return bytes(data)


def article_file(rng: random.Random, corpus: list[str]) -> tuple[str, bytes]:
    """A file name and its bytes: .txt, .md with front matter, .html or .jsonl."""
    kind = rng.choice(["txt", "md", "html", "jsonl", "mutated"])
    hostile = rng.choice([0.0, 0.0, 0.02, 0.1])  # some sound articles, some barely, some not at all
    body = text(rng, hostile) if rng.random() < 0.7 or not corpus else rng.choice(corpus)[:20_000]
    if kind == "md":
        return "a.md", f"---\n{front_matter(rng)}\n---\n# {sentence(rng)}\n{body}".encode("utf-8", "surrogatepass")
    if kind == "html":
        blocks = "".join(f"<{rng.choice(['p', 'div', 'article', 'li', 'h1', 'span', 'script'])}>"
                         f"{part}" for part in body.split("\n") if part)
        head = f"<title>{sentence(rng)}</title><meta property='article:published_time' " \
               f"content='{yaml_value(rng)}'>"
        page = f"<html><head>{head}</head><body>{blocks}</body></html>"
        return "a.html", page.encode("utf-8", "surrogatepass")
    if kind == "jsonl":
        lines = []
        for n in range(rng.randint(1, 5)):
            record = {"doc_id": rng.choice([f"d{n}", n, None, ["x"]]), "text": text(rng),
                      "published": yaml_value(rng), "title": sentence(rng)}
            line = json.dumps(record, ensure_ascii=rng.random() < 0.5)
            if rng.random() < 0.2:
                line = rng.choice(["[" * 100_000, '{"text": 1' + "1" * 4400 + "}",
                                   '{"text": "Baku \\ud800"}', line[: len(line) // 2]])
            lines.append(line)
        return "a.jsonl", "\n".join(lines).encode("utf-8", "surrogatepass")
    if kind == "mutated":
        return rng.choice(["a.txt", "a.md", "a.html", "a.jsonl"]), mutate(rng, body.encode("utf-8", "surrogatepass"))
    encoding = rng.choice(["utf-8", "utf-8", "utf-16", "cp1252"])
    return "a.txt", body.encode(encoding, "replace" if encoding == "cp1252" else "surrogatepass")


def large_text(rng: random.Random) -> str:
    """A long text of one of the shapes that used to cost the square of their length."""
    n = rng.randint(1_000, 4_000)  # up to some 200 KB: a few seconds at the linear rate
    shape = rng.choice(["caps", "mentions", "list", "abbreviations", "dates", "actors", "dots"])
    return {
        "caps": lambda: "BAKU SHELLED AGAIN " * n + "\n",
        "mentions": lambda: "Fighting in Baku. Clashes near Yerevan. " * n,
        "list": lambda: ", ".join(["Baku", "Yerevan", "Riga"] * n) + " called on them.",
        "abbreviations": lambda: "Mr. " * (5 * n) + "Smith left.",
        "dates": lambda: "On 3 October 2020 and Sunday, in October 2020, " * n,
        "actors": lambda: "Soldiers clashed with " + " and ".join(["police fought 3 militants"] * n),
        "dots": lambda: "Word" + "." * (50 * n) + " A",
    }[shape]()


# --- entry points -------------------------------------------------------------------------------

class Context:
    """What a worker loads once: the gazetteer, the command group, the corpus to mutate."""

    def __init__(self, db: str | None):
        from geomap.articles import read_articles
        from geomap.cli import cli
        from geomap.gazetteer import Gazetteer
        from geomap.resolve import Resolver

        self.db = db
        self.gazetteer = Gazetteer(db) if db else Gazetteer()
        self.resolver = Resolver(self.gazetteer)
        self.cli = cli
        self.corpus = [a.text for a in read_articles(ROOT / "seeds")]
        for path in ("tests/fixtures/articles",):
            if (ROOT / path).is_dir():
                self.corpus += [a.text for a in read_articles(ROOT / path, errors=[])]


def run_cli(context: Context, args: list[str], stdin: bytes | None = None) -> str:
    """Run a command in-process; return 'ok' or 'refused'; raise what the command raised."""
    from click.testing import CliRunner

    result = CliRunner().invoke(context.cli, [*args, "--db", str(context.gazetteer.path)],
                                input=stdin, catch_exceptions=True)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    if result.exit_code not in (0, 1, 2):
        raise RuntimeError(f"exit status {result.exit_code}")
    if result.exit_code and not result.stderr.strip():
        raise RuntimeError(f"exit status {result.exit_code} without a message")
    if result.exit_code and "Traceback" in result.stderr:
        raise RuntimeError("a traceback on stderr")
    return "ok" if result.exit_code == 0 else "refused"


def entry_articles(context, rng, folder: Path) -> str:
    """Readers, then the article pipeline and every text format."""
    from geomap.articles import read_articles
    from geomap.formats import render_incidents
    from geomap.incidents import extract_incidents

    for _ in range(rng.randint(1, 3)):
        name, data = article_file(rng, context.corpus)
        (folder / f"{rng.randrange(10**6)}-{name}").write_bytes(data)
    if rng.random() < 0.3:
        catalogue = "\n".join(f"- file: {rng.choice([p.name for p in folder.iterdir()] + ['gone.txt'])}\n"
                              f"  {front_matter(rng).replace(chr(10), chr(10) + '  ')}"
                              for _ in range(rng.randint(1, 3)))
        (folder / "catalogue.yaml").write_text(catalogue if rng.random() < 0.9 else ALIAS_BOMB,
                                               encoding="utf-8", errors="surrogatepass")
    errors: list = []
    incidents = []
    for article in read_articles(folder, errors=errors):
        mentions = context.resolver.find_places(article.text)
        incidents += extract_incidents(article, gazetteer=context.gazetteer, mentions=mentions)
    for fmt in ("table", "json", "geojson", "csv"):
        render_incidents(incidents, fmt).encode("utf-8")
    return "refused" if errors else "ok"


def entry_large(context, rng, folder: Path) -> str:
    from geomap.articles import Article
    from geomap.incidents import extract_incidents

    article = Article(id="large", text=large_text(rng), published=dt.date(2020, 10, 5))
    mentions = context.resolver.find_places(article.text)
    extract_incidents(article, gazetteer=context.gazetteer, mentions=mentions)
    return "ok"


def entry_dates(context, rng, folder: Path) -> str:
    from geomap.dates import find_dates

    from geomap.articles import FIRST_PUBLISHED, LAST_PUBLISHED

    # the published dates the readers give (parse_published refuses the others)
    published = rng.choice([None, dt.date(2020, 10, 5), FIRST_PUBLISHED, LAST_PUBLISHED])
    value = text(rng, hostile=0.05)
    for mention in find_dates(value, published):
        assert value[mention.start:mention.end] == mention.text
    return "ok"


def entry_fatalities(context, rng, folder: Path) -> str:
    from geomap.incidents.casualties import find_fatalities

    number = rng.choice(NUMBERS)
    find_fatalities(f"{sentence(rng)} Gunmen killed {number} people. {sentence(rng)}")
    return "ok"


def entry_writers(context, rng, folder: Path) -> str:
    from geomap.formats import FORMATS, write_incidents
    from geomap.incidents import Incident

    def field() -> str:
        return rng.choice([sentence(rng, 0.4), rng.choice(HOSTILE), "", rng.choice(PLACES)]).replace("\ud800", "?")

    incidents = [Incident(article=field(), event_type=rng.choice(["Battles", "Riots", field()]),
                          sub_event_type=field(), actor1=field(), actor2=field(), notes=field(),
                          location=field(), latitude=rng.uniform(-90, 90), longitude=rng.uniform(-180, 180),
                          country_code=rng.choice(["AZ", "US", None, "XX"]),
                          fatalities=rng.choice([None, 0, 3, 2**53, 2**63, 10**400, -1]),
                          event_date=rng.choice([None, dt.date(2020, 10, 5), dt.date(1, 1, 1)]),
                          published=rng.choice([None, dt.date(2020, 10, 5)]),
                          source_sentence=field(), confidence=rng.random())
                 for _ in range(rng.randint(0, 4))]
    fmt = rng.choice(FORMATS)
    write_incidents(incidents, folder / f"out.{fmt}", fmt, gazetteer=context.gazetteer)
    return "ok"


def entry_cli_incidents(context, rng, folder: Path) -> str:
    for _ in range(rng.randint(0, 3)):
        name, data = article_file(rng, context.corpus)
        (folder / f"{rng.randrange(10**6)}-{name}").write_bytes(data)
    fmt = rng.choice(["table", "json", "geojson", "csv", "gpkg", "parquet"])
    args = ["incidents", str(folder), "--format", fmt, "--jobs", "1"]
    if fmt in ("gpkg", "parquet") or rng.random() < 0.3:
        args += ["-o", str(folder / "out" / f"incidents.{fmt}")]
    if rng.random() < 0.2:
        args += ["--published", rng.choice(["2020-10-05", "0000-00-00", "9999-12-31", "soon"])]
    return run_cli(context, args)


def entry_cli_toponyms(context, rng, folder: Path) -> str:
    name, data = article_file(rng, context.corpus)
    path = folder / name
    path.write_bytes(data)
    if path.suffix == ".jsonl" and rng.random() < 0.5:
        return run_cli(context, ["toponyms", "--jsonl", str(path), "--jobs", "1"])
    if rng.random() < 0.2:
        return run_cli(context, ["toponyms", "-", "--jobs", "1"], stdin=data)
    return run_cli(context, ["toponyms", str(path), "--format", rng.choice(["table", "json"]),
                             "--jobs", "1"])


def entry_cli_geocode(context, rng, folder: Path) -> str:
    names = [rng.choice([rng.choice(PLACES), rng.choice(HOSTILE), sentence(rng, 0.5)[:80],
                         "x" * 2000, "Ba\rku", "Spring\nfield"]) for _ in range(rng.randint(1, 20))]
    data = "\n".join(names).encode("utf-8", "surrogatepass")
    fmt = rng.choice(["table", "json", "csv", "geojson"])
    if rng.random() < 0.1:
        return run_cli(context, ["geocode", "--file", str(folder / "missing.txt"), "--format", fmt])
    extra = rng.choice([[], ["--no-fuzzy"], ["--country", rng.choice(["AZ", "zz", "\x00"])],
                        ["--near", rng.choice(["40,49", "north", "91,0", "nan,nan"])],
                        ["--raw-csv"]])
    return run_cli(context, ["geocode", "--file", "-", "--format", fmt, *extra], stdin=data)


def entry_cli_map(context, rng, folder: Path) -> str:
    articles = folder / "articles"
    articles.mkdir()
    for _ in range(rng.randint(0, 2)):
        name, data = article_file(rng, context.corpus)
        (articles / f"{rng.randrange(10**6)}-{name}").write_bytes(data)
    args = ["map", str(articles), "-o", str(folder / "out"), "--jobs", "1",
            "--name", rng.choice(["map", "../escape", ".hidden", "week 42", "a/b"]),
            "--title", rng.choice([sentence(rng, 0.3).replace("\ud800", "?"), "Week 42"])]
    if rng.random() < 0.9:
        args += ["--no-png", "--no-pdf"]  # the static maps take seconds; a few runs draw them
    return run_cli(context, args)


ENTRY_POINTS = {  # name: (function, weight)
    "articles": (entry_articles, 30),
    "large": (entry_large, 2),
    "dates": (entry_dates, 10),
    "fatalities": (entry_fatalities, 8),
    "writers": (entry_writers, 8),
    "cli incidents": (entry_cli_incidents, 20),
    "cli toponyms": (entry_cli_toponyms, 10),
    "cli geocode": (entry_cli_geocode, 10),
    "cli map": (entry_cli_map, 2),
}


def pick_entry(seed: int) -> str:
    rng = random.Random(seed * 7919)
    names = list(ENTRY_POINTS)
    return rng.choices(names, weights=[ENTRY_POINTS[n][1] for n in names])[0]


# --- workers ------------------------------------------------------------------------------------

def cause(error: BaseException) -> str:
    """The exception type and the innermost geomap frame (or the innermost frame at all)."""
    frames = traceback.extract_tb(error.__traceback__)
    ours = [f for f in frames if "/geomap/" in f.filename] or frames
    where = f"{Path(ours[-1].filename).name}:{ours[-1].lineno} {ours[-1].name}" if ours else "?"
    return f"{type(error).__name__} at {where}"


def worker(connection, db: str | None) -> None:
    context = Context(db)
    for entry in ENTRY_POINTS:  # load every module an entry point uses before the clock runs
        folder = Path(tempfile.mkdtemp(prefix="geomap-fuzz-"))
        try:
            ENTRY_POINTS[entry][0](context, random.Random(0), folder)
        except Exception:  # noqa: BLE001 - a warm-up; the campaign counts failures
            pass
        finally:
            shutil.rmtree(folder, ignore_errors=True)
    connection.send(("ready", None, None))
    while True:
        seed = connection.recv()
        if seed is None:
            return
        entry = pick_entry(seed)
        folder = Path(tempfile.mkdtemp(prefix="geomap-fuzz-"))
        try:
            outcome = ENTRY_POINTS[entry][0](context, random.Random(seed), folder)
            connection.send((outcome, None, None))
        except Exception as error:  # noqa: BLE001 - a crash is what this looks for
            connection.send(("crash", cause(error), traceback.format_exc()[-3000:]))
        finally:
            shutil.rmtree(folder, ignore_errors=True)


def cpu_seconds(pid: int) -> float:
    """User and system CPU time of a process so far (the machine is shared: wall time is not
    what an input costs)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return 0.0


def resident_mb(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


class Worker:
    peak_seen = 0.0  # the largest resident size of any worker, MB

    def __init__(self, db):
        self.connection, child = mp.Pipe()
        self.process = mp.Process(target=worker, args=(child, db), daemon=True)
        self.process.start()
        self.connection.recv()  # ready
        self.seed = None
        self.started = 0.0
        self.peak = 0.0

    def give(self, seed: int) -> None:
        self.seed, self.started, self.peak = seed, time.monotonic(), 0.0
        self.cpu_started = cpu_seconds(self.process.pid)
        self.connection.send(seed)

    def cpu(self) -> float:
        return cpu_seconds(self.process.pid) - self.cpu_started

    def kill(self) -> None:
        self.process.kill()
        self.process.join()


def campaign(args) -> dict:
    if args.only is not None:
        seeds = [args.only]
    elif args.rerun:  # the inputs that failed in an earlier campaign, run again
        seeds = sorted({json.loads(line)["seed"] for line in
                        args.rerun.read_text(encoding="utf-8").splitlines() if line.strip()})
    else:
        first = args.seed * 100_000
        seeds = list(range(first + args.skip, first + args.inputs))
    pending = collections.deque(seeds)
    workers = [Worker(args.db) for _ in range(min(args.workers, len(seeds)))]
    outcomes = collections.Counter()
    by_entry = collections.defaultdict(collections.Counter)
    causes = collections.Counter()
    failures = []
    slowest = []
    done = 0
    started = time.monotonic()

    def record(worker: Worker, outcome: str, why: str | None, trace: str | None) -> None:
        nonlocal done
        entry = pick_entry(worker.seed)
        seconds = worker.cpu()
        outcomes[outcome] += 1
        by_entry[entry][outcome] += 1
        slowest.append((seconds, entry, worker.seed))
        if outcome in ("crash", "hang", "memory"):
            causes[f"{outcome}: {why}"] += 1
            failures.append({"seed": worker.seed, "entry": entry, "outcome": outcome,
                             "cause": why, "seconds": round(seconds, 2), "trace": trace})
            if args.failures:  # as they come: a long campaign stopped early still tells
                with open(args.failures, "a", encoding="utf-8") as f:
                    f.write(json.dumps(failures[-1]) + "\n")
        done += 1
        if done % 250 == 0:
            print(f"  {done:,}/{len(seeds):,} inputs, {outcomes['crash']} crashes, "
                  f"{outcomes['hang']} hangs, {outcomes['memory']} over memory, "
                  f"{time.monotonic() - started:,.0f} s; {dict(causes.most_common(5))}",
                  file=sys.stderr, flush=True)

    for w in workers:
        if pending:
            w.give(pending.popleft())
    try:
        _drive(workers, pending, args, record)
    finally:
        for w in workers:
            if w.process.is_alive():
                w.kill()
    slowest.sort(reverse=True)
    return {"inputs": done, "wall_seconds": round(time.monotonic() - started, 1),
            "cpu_seconds_per_input_median": round(sorted(s for s, _, _ in slowest)[len(slowest) // 2], 3)
            if slowest else None,
            "outcomes": dict(outcomes), "by_entry": {k: dict(v) for k, v in sorted(by_entry.items())},
            "causes": dict(causes.most_common()), "peak_worker_rss_mb": round(peak_rss_seen(workers)),
            "slowest": [{"seconds": round(s, 2), "entry": e, "seed": seed} for s, e, seed in slowest[:5]],
            "failures": failures}


def peak_rss_seen(workers) -> float:
    return max([Worker.peak_seen] + [w.peak for w in workers])


def _drive(workers, pending, args, record) -> None:
    """Hand out inputs until none are left, replacing a worker that hangs, dies or grows too big."""
    while any(w.seed is not None for w in workers):
        for index, w in enumerate(workers):
            if w.seed is None:
                continue
            rss = resident_mb(w.process.pid)
            w.peak = max(w.peak, rss)
            Worker.peak_seen = max(Worker.peak_seen, rss)
            # over the CPU limit, or blocked (no CPU spent) for ten times as long
            over_time = (w.cpu() > args.timeout
                         or time.monotonic() - w.started > args.timeout * args.wall_factor)
            if w.connection.poll(0.02):
                try:
                    outcome, why, trace = w.connection.recv()
                except EOFError:
                    outcome, why, trace = "crash", "worker died", None
                record(w, outcome, why, trace)
            elif over_time or rss > args.memory_mb or not w.process.is_alive():
                outcome = ("hang" if over_time else "memory" if rss > args.memory_mb else "crash")
                why = (f"over {args.timeout:.0f} s of CPU or {args.timeout * args.wall_factor:.0f} s"
                       if outcome == "hang" else
                       f"{rss:,.0f} MB resident" if outcome == "memory" else "worker died")
                record(w, outcome, why, None)
                w.kill()
                w = workers[index] = Worker(args.db)
            else:
                continue
            w.seed = None
            if pending:
                w.give(pending.popleft())
    for w in workers:
        w.connection.send(None)
        w.process.join(timeout=5)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--inputs", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--timeout", type=float, default=10.0, help="CPU seconds an input may take")
    parser.add_argument("--wall-factor", type=float, default=10.0,
                        help="wall time limit, as a multiple of --timeout (a blocked input)")
    parser.add_argument("--memory-mb", type=float, default=2048.0)
    parser.add_argument("--db", default=None, help="gazetteer (default: the project's)")
    parser.add_argument("--only", type=int, default=None, help="run one input by its seed")
    parser.add_argument("--skip", type=int, default=0,
                        help="start at this input (go on with a campaign that was stopped)")
    parser.add_argument("--rerun", type=Path, default=None,
                        help="run again the inputs of an earlier --failures file")
    parser.add_argument("--failures", type=Path, default=None,
                        help="write each failure (seed, cause, traceback) to this JSON-lines file")
    args = parser.parse_args()
    if args.rerun is not None and args.failures is not None and args.rerun.resolve() == args.failures.resolve():
        parser.error("--rerun and --failures name the same file")
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))  # stop the workers too
    if args.failures:
        args.failures.parent.mkdir(parents=True, exist_ok=True)
        args.failures.write_text("", encoding="utf-8")
    report = campaign(args)
    failures = report.pop("failures")
    print(json.dumps(report, indent=2))
    if args.only is not None:
        for failure in failures:
            print(failure["trace"] or failure["cause"])


if __name__ == "__main__":
    main()
