"""Keyword search words: folding, splitting and prefix matching of asset text.

A word is a maximal run of Unicode letters and digits, folded so that
matching ignores case and accents. A query word matches an asset word when
it is a prefix of it; every query word must match.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from urllib.parse import urlsplit

MAX_WORD = 32
"""Words are cut to this many characters (a stored word is a sort-key prefix)."""

MAX_WORDS = 200
"""The most distinct words indexed per asset."""

_RUN = re.compile(r"[^\W_]+")


def _strip_marks(text: str) -> str:
    """NFKD-decompose and drop every combining mark (categories Mn, Mc, Me)."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.category(ch).startswith("M"))


def fold(text: str) -> str:
    """Fold text for matching: decompose, drop combining marks, casefold."""
    return _strip_marks(text).casefold()


def _distinct(parts: Iterable[str], seen: set[str], out: list[str], limit: int | None = None) -> None:
    """Append each part, cut to MAX_WORD, to out unless already seen, until out holds limit words."""
    for part in parts:
        if limit is not None and len(out) >= limit:
            return
        word = part[:MAX_WORD]
        if word not in seen:
            seen.add(word)
            out.append(word)


def words(text: str | None) -> list[str]:
    """Distinct folded words of plain text, in order of first appearance."""
    if not text:
        return []
    out: list[str] = []
    _distinct(_RUN.findall(fold(text)), set(), out)
    return out


def _camel_parts(run: str) -> list[str]:
    """Split a run of letters/digits at camelCase, acronym and letter/digit boundaries."""
    parts: list[str] = []
    start = 0
    for i in range(1, len(run)):
        prev, cur = run[i - 1], run[i]
        if prev.isalpha() != cur.isalpha():
            cut = i  # letter/digit boundary: "IMG0042"
        elif cur.isupper() and not prev.isupper():
            cut = i  # lower or caseless to upper: "sunsetBeach"
        elif prev.isupper() and cur.isalpha() and not cur.isupper() and i - 1 > start and run[i - 2].isupper():
            cut = i - 1  # end of an acronym: "HTTPServer"
        else:
            continue
        parts.append(run[start:cut])
        start = cut
    parts.append(run[start:])
    return parts


def filename_words(name: str | None) -> list[str]:
    """Words of a filename: each run as in words(), then its camelCase and letter/digit parts, so that
    `sunsetBeach.jpg` is found by `sunsetbeach`, `sunset` and `beach`, and `URLs.txt` by `urls`."""
    if not name:
        return []
    pieces: list[str] = []
    for run in _RUN.findall(_strip_marks(name)):
        parts = _camel_parts(run)
        pieces.extend([run, *parts] if len(parts) > 1 else parts)
    return words(" ".join(pieces))


def asset_words(fields: Mapping[str, object]) -> list[str]:
    """Distinct words of an asset, at most MAX_WORDS.

    Field order: title, filename, a link's host name and provider, tags, alt, credits, description, notes.
    The filename is split with filename_words, everything else with words.
    """
    seen: set[str] = set()
    out: list[str] = []
    for group in _asset_groups(fields):
        if len(out) >= MAX_WORDS:
            break
        _distinct(group, seen, out, MAX_WORDS)
    return out


def _asset_groups(fields: Mapping[str, object]) -> Iterator[list[str]]:
    """The words of each field in index order, computed lazily."""
    yield words(_text(fields, "title"))
    yield filename_words(_text(fields, "filename"))
    url = _text(fields, "url")
    yield words(urlsplit(url).hostname if url else None)
    yield words(_text(fields, "provider"))
    tags = fields.get("tags")
    if isinstance(tags, list | tuple):
        for tag in tags:
            if isinstance(tag, str):
                yield words(tag)
    for key in ("alt", "credits", "description", "notes"):
        yield words(_text(fields, key))


def _text(fields: Mapping[str, object], key: str) -> str | None:
    """The field as a string, or None when absent or not a string."""
    value = fields.get(key)
    return value if isinstance(value, str) else None


def query_words(q: str | None) -> list[str]:
    """Distinct words of a search query: `SunSet` looks for `sunset`, which finds `SunSet.png` too."""
    return words(q)


def matches(fields: Mapping[str, object], query: list[str]) -> bool:
    """True when every query word is a prefix of a word of the asset."""
    if not query:
        return True
    indexed = asset_words(fields)
    return all(any(word.startswith(q[:MAX_WORD]) for word in indexed) for q in query)
