"""The name index: every gazetteer name and demonym in one Aho-Corasick automaton, cached beside the database.

The cache is data, never code: a JSON header line (what it was built from, the demonyms, the
sizes and SHA-256 of the automaton's bytes) followed by the automaton's own serialised bytes,
which pyahocorasick turns back into an automaton without pickle. It is read only when the file
belongs to the user (or root), no one else may write it, its digest matches and it was built
from the same gazetteer; otherwise the index is rebuilt. A planted file is therefore ignored,
whatever it holds.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
from importlib.metadata import version
from pathlib import Path

from geomap.files import atomic_target
from geomap.gazetteer import Gazetteer
from geomap.toponyms.wordlists import common_words

# Bump when the index's layout or the way it is built changes, so old caches are rebuilt.
INDEX_VERSION = "5"
CACHE_SUFFIX = ".names.idx"
CACHE_FORMAT = "geomap name index"
# the header holds the demonyms (some thousands): far below this
MAX_HEADER_BYTES = 16 * 1024 * 1024


# Bits of the value stored with each key in the automaton.
PLACE = 1


DEMONYM = 2


CAPS_FORM = 4  # the gazetteer writes the name in capitals ("USA", "NSW")


DOTTED_FORM = 8  # the gazetteer writes it with dots ("U.S.", "Ky.")


COMMON = 16  # the key is a common English word ("police", "reading")


MAJOR = 32  # a country, first-level division, region, continent, capital or big city


TOP = 64  # a country or a continent


LENGTH_SHIFT = 8


_MAJOR_POPULATION = 1_000_000


class NameIndex:
    """The gazetteer's names in an Aho-Corasick automaton, with a few facts per name."""

    def __init__(self, automaton, demonyms: dict[str, str], meta: dict[str, str]):
        self.automaton = automaton
        self.demonyms = demonyms
        self.meta = meta

    @classmethod
    def build(cls, gazetteer: Gazetteer) -> "NameIndex":
        """Return a fresh index of every name and demonym in the gazetteer."""
        import ahocorasick

        majors = dict(gazetteer.major_places(_MAJOR_POPULATION))
        common = common_words()
        flags: dict[str, int] = {}
        for name, key, place_id, _primary in gazetteer.iter_names():
            if not key:
                continue
            bits = flags.get(key, PLACE) | PLACE
            letters = [ch for ch in name if ch.isalpha()]
            if len(letters) >= 2 and all(ch.isupper() for ch in letters):
                bits |= CAPS_FORM
            if "." in name:
                bits |= DOTTED_FORM
            kind = majors.get(place_id)
            if kind is not None:
                bits |= MAJOR | (TOP if kind in ("country", "continent") else 0)
            flags[key] = bits
        demonyms = {k: cc for k, cc in gazetteer.demonyms().items() if k and cc}
        for key in demonyms:
            flags[key] = flags.get(key, 0) | DEMONYM
        automaton = ahocorasick.Automaton(ahocorasick.STORE_INTS)
        for key, bits in flags.items():
            if key in common:
                bits |= COMMON
            automaton.add_word(f" {key} ", bits | (len(key) + 2) << LENGTH_SHIFT)
        automaton.make_automaton()
        return cls(automaton, demonyms, _cache_stamp(gazetteer))

    @classmethod
    def load(cls, gazetteer: Gazetteer, *, cache: bool = True) -> "NameIndex":
        """Return the index, from the cache beside the database when it is trusted and matches, else built."""
        path = cache_path(gazetteer)
        stamp = _cache_stamp(gazetteer)
        if cache:
            index = _read_cache(path, stamp)
            if index is not None:
                return cls(*index, stamp)
        index = cls.build(gazetteer)
        if cache:
            index.save(path)
        return index

    def save(self, path: Path) -> None:
        """Write the cache to `path` atomically (a temporary file, then rename); best effort."""
        import ahocorasick

        # pyahocorasick's own serialisation (what its pickle support uses): a list of byte
        # strings and a few integers; values are plain integers (STORE_INTS), so no objects
        chunks, *settings = self.automaton.__reduce__()[1]
        if self.automaton.store != ahocorasick.STORE_INTS or settings[-1] is not None:
            return
        digest = hashlib.sha256()
        for chunk in chunks:
            digest.update(chunk)
        header = {"format": CACHE_FORMAT, "meta": self.meta, "settings": settings,
                  "sizes": [len(chunk) for chunk in chunks], "sha256": digest.hexdigest(),
                  "demonyms": self.demonyms}
        try:
            with atomic_target(path) as tmp, open(tmp, "wb") as f:
                f.write(json.dumps(header, ensure_ascii=True).encode("ascii") + b"\n")
                for chunk in chunks:
                    f.write(chunk)
            # the pickle earlier versions kept beside it is never read again
            path.with_name(path.name.removesuffix(CACHE_SUFFIX) + ".names.pkl").unlink(missing_ok=True)
        except OSError:
            pass  # a read-only location: the index is simply rebuilt next time


def cache_path(gazetteer: Gazetteer) -> Path:
    """Return where the name index of a gazetteer is cached (beside the database)."""
    return gazetteer.path.with_name(gazetteer.path.name + CACHE_SUFFIX)


def _cache_stamp(gazetteer: Gazetteer) -> dict[str, str]:
    return {"index": INDEX_VERSION, "built": gazetteer.meta.get("built", ""),
            "sources_digest": gazetteer.meta.get("sources_digest", ""),
            "size": str(gazetteer.path.stat().st_size), "pyahocorasick": version("pyahocorasick")}


def _read_cache(path: Path, stamp: dict[str, str]):
    """Return (automaton, demonyms) from a trusted cache built for `stamp`, else None."""
    import ahocorasick

    try:
        # not through a link, and checked on the open file itself (no swap after the check)
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        return None
    with os.fdopen(fd, "rb") as f:
        if not _trusted(os.fstat(fd)):
            return None
        try:
            header = json.loads(f.readline(MAX_HEADER_BYTES))
            if not (isinstance(header, dict) and header.get("format") == CACHE_FORMAT
                    and header.get("meta") == stamp and _valid_header(header)):
                return None
            chunks = [f.read(size) for size in header["sizes"]]
        except (OSError, ValueError):
            return None
        if [len(chunk) for chunk in chunks] != header["sizes"] or f.read(1):
            return None
    digest = hashlib.sha256()
    for chunk in chunks:
        digest.update(chunk)
    if digest.hexdigest() != header["sha256"]:
        return None
    settings = header["settings"]
    if settings[1] != ahocorasick.STORE_INTS:
        return None
    try:
        return ahocorasick.Automaton(chunks, *settings), header["demonyms"]
    except (ValueError, TypeError, MemoryError):
        return None


def _trusted(info: os.stat_result) -> bool:
    """A regular file of the user's (or root's) that no one else may write."""
    return (stat.S_ISREG(info.st_mode) and info.st_uid in (os.geteuid(), 0)
            and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH))


def _valid_header(header: dict) -> bool:
    settings, sizes, demonyms = header.get("settings"), header.get("sizes"), header.get("demonyms")
    return (isinstance(settings, list) and len(settings) == 6 and settings[-1] is None
            and all(type(v) is int for v in settings[:-1])
            and isinstance(sizes, list) and all(type(v) is int and v >= 0 for v in sizes)
            and isinstance(header.get("sha256"), str) and isinstance(demonyms, dict)
            and all(isinstance(k, str) and isinstance(v, str) for k, v in demonyms.items()))


def name_index(gazetteer: Gazetteer) -> NameIndex:
    """Return the name index of a gazetteer, loaded once per gazetteer handle."""
    index = gazetteer.derived.get("name_index")
    if index is None:
        index = gazetteer.derived["name_index"] = NameIndex.load(gazetteer)
    return index
