"""Metrics of the geoparser against gold corpora (../shared/corpora) and the seed gold.

The definitions follow Gritta et al. 2018 ("What's missing in geographical parsing?") and the
shared scorer: a prediction matches a gold toponym when their spans overlap (each gold toponym
at most one prediction); a match with the gold GeoNames id, or a country with the gold
country's code, has no error; otherwise the great-circle distance is the error.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from geomap.articles import read_json_line
from geomap.gazetteer import Gazetteer, normalize_name
from geomap.geo import haversine_km
from geomap.resolve import Resolver

ACC_KM = 161.0  # 100 miles
MAX_ERROR_KM = 20039.0  # half the Earth's circumference: the error of a place with no point
SEED_POSITIVE = ("literal", "metonymic")
SEED_TRAPS = ("not_place", "embedded")
# GeoWebNews labels that are locations; its other labels are neither right nor wrong.
GWN_POSITIVE = frozenset({"Literal", "Metonymic", "Mixed", "Coercion", "Embedded_Literal"})


class CorpusError(ValueError):
    """A gold file that cannot be read."""


@dataclass
class Scores:
    """Recognition and resolution metrics over a set of documents."""

    gold: int = 0
    predicted: int = 0
    matched: int = 0
    trap_hits: int = 0
    errors: list[float] = field(default_factory=list)
    covered: int = 0  # gold toponyms with a gazetteer entry within 161 km
    traps: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        """Return the metrics as the JSON record `geomap evaluate` prints."""
        p = self.matched / self.predicted if self.predicted else 0.0
        r = self.matched / self.gold if self.gold else 0.0
        errs = sorted(self.errors)
        within = sum(e < ACC_KM for e in errs)
        return {
            "gold": self.gold, "predicted": self.predicted, "matched": self.matched,
            "trap_hits": self.trap_hits,
            "precision": round(p, 4), "recall": round(r, 4),
            "f1": round(2 * p * r / (p + r), 4) if p + r else 0.0,
            "acc161_resolved": round(within / len(errs), 4) if errs else 0.0,
            "acc161_end_to_end": round(within / self.gold, 4) if self.gold else 0.0,
            "median_km": round(errs[len(errs) // 2], 1) if errs else None,
            "mean_km": round(sum(errs) / len(errs), 1) if errs else None,
            "auc": round(error_auc(errs), 4) if len(errs) > 1 else None,
            "coverage": round(self.covered / self.gold, 4) if self.gold else 0.0,
            "traps": self.traps,
        }


def error_auc(errors: Iterable[float]) -> float:
    """Return the normalised area under the log-error curve (0 best, 1 worst)."""
    logs = [math.log(1.0 + e) for e in sorted(errors)]
    if len(logs) < 2:
        return 0.0
    area = sum((a + b) / 2.0 for a, b in zip(logs, logs[1:]))
    return area / (math.log(MAX_ERROR_KM) * (len(logs) - 1))


def _overlap(a: dict, b: dict) -> bool:
    return a["start"] < b["end"] and b["start"] < a["end"]


def toponym_error(gold: dict, pred: dict) -> float:
    """Return the error in km of a prediction for a gold toponym."""
    if pred.get("lat") is None or pred.get("lon") is None:
        return MAX_ERROR_KM
    gid = gold.get("geonameid") or gold.get("geonames_id")
    if gid and str(pred.get("geonames_id") or "") == str(gid):
        return 0.0
    if gold.get("kind") == "country" and gold.get("country_code") and \
            pred.get("kind") == "country" and pred.get("country_code") == gold["country_code"]:
        return 0.0  # country points differ between sources by hundreds of km
    return haversine_km(float(gold["lat"]), float(gold["lon"]), float(pred["lat"]),
                        float(pred["lon"]))


def score_document(scores: Scores, positive: list[dict], predictions: list[dict], *,
                   neutral: list[dict] = (), traps: list[dict] = ()) -> None:
    """Add one document's gold toponyms and predictions to `scores`."""
    used: set[int] = set()
    for g in positive:
        scores.gold += 1
        match = next((i for i, p in enumerate(predictions)
                      if i not in used and _overlap(g, p)), None)
        if match is None:
            continue
        used.add(match)
        scores.matched += 1
        scores.errors.append(toponym_error(g, predictions[match]))
    for i, p in enumerate(predictions):
        if i in used:
            continue
        trap = next((t for t in traps if _overlap(p, t)), None)
        if trap is not None:
            scores.trap_hits += 1
            scores.traps.append(f"{trap.get('text', '?')!s} at {trap['start']} "
                                f"({trap.get('label', 'trap')})")
            scores.predicted += 1
        elif not any(_overlap(p, n) for n in neutral):
            scores.predicted += 1
    scores.predicted += len(used)


def coverage_of(gold: dict, resolver: Resolver) -> bool:
    """True when the gazetteer has an entry for the gold phrase within 161 km of the gold point."""
    key = normalize_name(gold.get("phrase") or gold.get("text") or "")
    places = [c.place for c, _ in resolver.ranked(key)]
    cc = resolver.index.demonyms.get(key)
    if cc and resolver.country(cc):
        places.append(resolver.country(cc))
    return any(toponym_error(gold, {**p.fields(), "geonames_id": p.geonames_id}) < ACC_KM
               for p in places)


def read_jsonl(path: str | Path) -> list[dict]:
    """Return the JSON objects of a corpus file, one per non-blank line."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise CorpusError(f"cannot read {path}: {exc}") from None
    docs = []
    # lines end at "\n" only, as geomap.articles reads JSON lines
    for number, line in enumerate(text.split("\n"), 1):
        if not line.strip():
            continue
        try:
            doc = read_json_line(line)
        except ValueError as exc:
            raise CorpusError(f"{path}, line {number}: {exc}") from None
        if not isinstance(doc, dict):
            raise CorpusError(f"{path}, line {number}: not a JSON object")
        docs.append(doc)
    return docs


def evaluate_corpus(path: str | Path, gazetteer: Gazetteer, *,
                    progress: Callable[[Iterable], Iterable] | None = None,
                    ner: bool = False) -> dict:
    """Return the metrics of the geoparser on a corpus in the ../shared/corpora format."""
    docs = read_jsonl(path)
    resolver = Resolver(gazetteer)
    scores = Scores()
    for doc in (progress(docs) if progress else docs):
        if "text" not in doc or "toponyms" not in doc:
            raise CorpusError(f"{path}: document {doc.get('doc_id')!r} lacks text or toponyms")
        preds = [m.as_dict() for m in resolver.find_places(doc["text"], ner=ner)]
        positive = [t for t in doc["toponyms"] if t.get("type") in (None, *GWN_POSITIVE)]
        neutral = [t for t in doc["toponyms"] if t not in positive]
        score_document(scores, positive, preds, neutral=neutral)
        scores.covered += sum(coverage_of(t, resolver) for t in positive)
    return {"corpus": str(path), "documents": len(docs), **scores.as_dict()}


def evaluate_seeds(shared: str | Path, gazetteer: Gazetteer, *, ner: bool = False) -> dict:
    """Return the metrics on the seed articles (shared/seeds, gold in shared/gold/seeds.json)."""
    shared = Path(shared)
    gold_path = shared / "gold" / "seeds.json"
    try:
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError) as exc:  # bad UTF-8 and bad JSON are ValueErrors
        raise CorpusError(f"cannot read the seed gold {gold_path}: {exc}") from None
    resolver = Resolver(gazetteer)
    scores = Scores()
    for art in gold["articles"]:
        text_path = shared / "seeds" / art["file"]
        try:
            text = text_path.read_text(encoding="utf-8")
        except OSError as exc:
            raise CorpusError(f"cannot read seed article {text_path}: {exc}") from None
        preds = [m.as_dict() for m in resolver.find_places(text, ner=ner)]
        positive, neutral, traps = [], [], []
        for t in art["toponyms"]:
            if t["label"] in SEED_POSITIVE:
                place = gold["places"][t["place"]]
                positive.append({**t, **place, "geonameid": place.get("geonames_id"),
                                 "phrase": t["text"]})
            elif t["label"] in SEED_TRAPS:
                traps.append(t)
            else:
                neutral.append(t)
        before = len(scores.traps)
        score_document(scores, positive, preds, neutral=neutral, traps=traps)
        scores.covered += sum(coverage_of(t, resolver) for t in positive)
        scores.traps[before:] = [f"{art['file']}: {t}" for t in scores.traps[before:]]
    return {"corpus": "seeds", "documents": len(gold["articles"]), **scores.as_dict()}
