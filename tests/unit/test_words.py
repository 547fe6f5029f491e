from __future__ import annotations

import pytest

from functions.words import (
    MAX_WORD,
    MAX_WORDS,
    asset_words,
    filename_words,
    fold,
    matches,
    query_words,
    words,
)


def asset(**fields: object) -> dict[str, object]:
    """A stored asset's searchable fields, all empty unless given."""
    base: dict[str, object] = {
        "title": None,
        "filename": None,
        "alt": None,
        "description": None,
        "notes": None,
        "credits": None,
        "tags": [],
    }
    base.update(fields)
    return base


def search(fields: dict[str, object], q: str) -> bool:
    return matches(fields, query_words(q))


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Café", "cafe"),
        ("ÉCOLE", "ecole"),
        ("Straße", "strasse"),
        ("Cafe\u0301", "cafe"),  # decomposed accent, as macOS stores filenames
        ("ﬁle", "file"),  # compatibility ligature
        ("\uff34\uff4f\uff4b\uff59\uff4f", "tokyo"),  # full-width letters
        ("Привет", "привет"),
        ("ΣΟΦΊΑ", "σοφια"),
        ("東京", "東京"),
        ("plain", "plain"),
    ],
)
def test_fold(text: str, folded: str) -> None:
    assert fold(text) == folded


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Sunset over the Bay", ["sunset", "over", "the", "bay"]),
        ("Café Terrace", ["cafe", "terrace"]),
        ("ÉCOLE normale", ["ecole", "normale"]),
        ("SunsetBeach", ["sunsetbeach"]),  # plain text is not split on camelCase
        ("photo_2024-final.v2", ["photo", "2024", "final", "v2"]),
        ("it's   a\ttest\nline", ["it", "s", "a", "test", "line"]),
        ("東京 タワー", ["東京", "タワー"]),
        ("Привет, мир!", ["привет", "мир"]),
        ("नमस्ते दुनिया", ["नमसत", "दनय"]),  # vowel signs dropped, words stay whole
    ],
)
def test_words_split(text: str, expected: list[str]) -> None:
    assert words(text) == expected


@pytest.mark.parametrize("text", [None, "", "   ", "!?-_.,;:()[]{}", "___", "— … «»"])
def test_words_empty(text: str | None) -> None:
    assert words(text) == []
    assert filename_words(text) == []


def test_words_dedupe_keeps_first_appearance() -> None:
    assert words("Sun sun SUN moon Sün sun") == ["sun", "moon"]


def test_words_cut_to_max_word() -> None:
    long = "a" * (MAX_WORD + 8)
    assert words(f"{long} b") == ["a" * MAX_WORD, "b"]


def test_words_dedupe_after_cut() -> None:
    stem = "x" * MAX_WORD
    assert words(f"{stem}one {stem}two") == [stem]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("SunsetBeach_2024-final.JPG", ["sunsetbeach", "sunset", "beach", "2024", "final", "jpg"]),
        ("IMG_0042.HEIC", ["img", "0042", "heic"]),
        ("myHTTPServer.png", ["myhttpserver", "my", "http", "server", "png"]),
        ("Café Terrace.jpg", ["cafe", "terrace", "jpg"]),
        ("Cafe\u0301Terrace.jpg", ["cafeterrace", "cafe", "terrace", "jpg"]),
        ("iPhone12Pro.mov", ["iphone12pro", "i", "phone", "12", "pro", "mov"]),
        ("report-v2_final draft.pdf", ["report", "v2", "v", "2", "final", "draft", "pdf"]),
        ("HTML.html", ["html"]),
        ("a-b_c.d e", ["a", "b", "c", "d", "e"]),
        ("東京Tower.jpg", ["東京tower", "東京", "tower", "jpg"]),
        ("ПриветМир.txt", ["приветмир", "привет", "мир", "txt"]),
    ],
)
def test_filename_words(name: str, expected: list[str]) -> None:
    assert filename_words(name) == expected


def test_filename_words_keep_the_whole_run_before_its_parts() -> None:
    assert filename_words("URLs.txt") == ["urls", "ur", "ls", "txt"]


def test_filename_words_cut_to_max_word() -> None:
    name = "b" * (MAX_WORD + 5) + ".jpg"
    assert filename_words(name) == ["b" * MAX_WORD, "jpg"]


def test_query_words_are_plain_words_and_distinct() -> None:
    assert query_words("sunsetBeach SUNSET beach 2024 Sunset") == ["sunsetbeach", "sunset", "beach", "2024"]
    assert query_words("") == []
    assert query_words(" ,. ") == []


def test_asset_words_field_order() -> None:
    fields = asset(
        title="Title",
        filename="FileName.jpg",
        alt="alt",
        description="description",
        notes="notes",
        credits="credits",
        tags=["tag one", "Tag2"],
    )
    assert asset_words(fields) == [
        "title",
        "filename",
        "file",
        "name",
        "jpg",
        "tag",
        "one",
        "tag2",
        "alt",
        "credits",
        "description",
        "notes",
    ]


def test_asset_words_only_filename_is_camel_split() -> None:
    fields = asset(title="SunsetBeach", filename="SunsetBeach.jpg")
    assert asset_words(fields) == ["sunsetbeach", "sunset", "beach", "jpg"]
    assert asset_words(asset(title="SunsetBeach")) == ["sunsetbeach"]


def test_asset_words_dedupe_across_fields() -> None:
    fields = asset(title="Sunset", filename="sunset.jpg", tags=["SUNSET", "beach"], notes="Beach sunset")
    assert asset_words(fields) == ["sunset", "jpg", "beach"]


def test_asset_words_all_none() -> None:
    assert asset_words(asset()) == []
    assert asset_words(asset(tags=None)) == []
    assert asset_words({}) == []


def test_asset_words_capped_at_max_words() -> None:
    title = " ".join(f"t{i}" for i in range(MAX_WORDS - 2))
    fields = asset(title=title, filename="Late.jpg", notes="never indexed")
    result = asset_words(fields)
    assert len(result) == MAX_WORDS
    assert result[: MAX_WORDS - 2] == [f"t{i}" for i in range(MAX_WORDS - 2)]
    assert result[-2:] == ["late", "jpg"]
    assert "never" not in result
    assert not search(fields, "never")
    assert search(fields, "late")


def test_asset_words_cap_counts_distinct_words() -> None:
    title = " ".join(["same"] * (MAX_WORDS * 2))
    fields = asset(title=title, notes="kept")
    assert asset_words(fields) == ["same", "kept"]


@pytest.mark.parametrize(
    ("fields", "q"),
    [
        (asset(filename="Café Terrace.jpg"), "cafe"),
        (asset(filename="Café Terrace.jpg"), "CAFÉ"),
        (asset(title="cafe"), "Café"),
        (asset(title="ÉCOLE"), "ecole"),
        (asset(title="école"), "ECOLE"),
        (asset(title="Sunset"), "sun"),
        (asset(title="Sunset"), "SUN"),
        (asset(title="sunset"), "SUNSET"),
        (asset(filename="SunsetBeach_2024-final.JPG"), "beach"),
        (asset(filename="SunsetBeach_2024-final.JPG"), "2024"),
        (asset(filename="SunsetBeach_2024-final.JPG"), "20"),
        (asset(filename="SunsetBeach_2024-final.JPG"), "fin"),
        (asset(filename="SunsetBeach_2024-final.JPG"), "jpg"),
        (asset(filename="SunsetBeach_2024-final.JPG"), "sunsetBeach"),
        (asset(filename="myHTTPServer.png"), "http"),
        (asset(filename="myHTTPServer.png"), "serv"),
        (asset(filename="IMG_0042.HEIC"), "img 0042"),
        (asset(filename="IMG_0042.HEIC"), "IMG_0042"),
        (asset(alt="A dog on the beach"), "dog"),
        (asset(description="Long description of a harbour"), "harb"),
        (asset(notes="approved by legal"), "legal"),
        (asset(credits="Photo: Jane Doe"), "doe"),
        (asset(tags=["Summer", "holiday"]), "holi"),
        (asset(tags=["Summer", "holiday"]), "summer holiday"),
        (asset(title="東京タワー"), "東京"),
        (asset(title="Привет мир"), "ПРИВЕТ"),
        (asset(title="Sunset", tags=["beach"], filename="x.jpg"), "sun beach jpg"),
        (asset(filename="SunsetBeach.jpg"), "sunsetbeach"),
        (asset(filename="SunsetBeach.jpg"), "SunsetBe"),
        (asset(filename="URLs.txt"), "urls"),
        (asset(title="sunset"), "SunSet"),
    ],
)
def test_matches(fields: dict[str, object], q: str) -> None:
    assert search(fields, q) is True


@pytest.mark.parametrize(
    ("fields", "q"),
    [
        (asset(title="Sunset"), "set"),  # not a prefix of a word
        (asset(title="sunset"), "sunsets"),  # longer than the word
        (asset(filename="SunsetBeach.jpg"), "each"),
        (asset(title="Cafe"), "caffe"),
        (asset(title="Sunset", tags=["beach"]), "sunset mountain"),  # every word must match
        (asset(title="Sunset", tags=["beach"]), "mountain sunset"),
        (asset(), "anything"),
        (asset(title="Tokyo"), "東京"),
        (asset(tags=["holiday"]), "holidays"),
        (asset(title="sunset beach"), "sunsetbeach"),  # only a filename is split, so only it has the run
    ],
)
def test_does_not_match(fields: dict[str, object], q: str) -> None:
    assert search(fields, q) is False


@pytest.mark.parametrize("q", ["", "   ", "!?"])
def test_empty_query_matches_everything(q: str) -> None:
    assert search(asset(), q) is True
    assert search(asset(title="Sunset"), q) is True


def test_matches_empty_list() -> None:
    assert matches(asset(), []) is True


def test_long_query_word_matches_long_stored_word() -> None:
    long = "".join(chr(ord("a") + i % 26) for i in range(40))
    fields = asset(title=long)
    assert asset_words(fields) == [long[:MAX_WORD]]
    assert query_words(long) == [long[:MAX_WORD]]
    assert search(fields, long) is True
    assert search(fields, long[:10]) is True
    assert search(fields, "z" + long[1:]) is False


def test_matches_cuts_raw_long_query_word() -> None:
    long = "q" * 40
    assert matches(asset(title=long), [long]) is True


def test_matches_ignores_none_fields() -> None:
    fields = asset(title=None, filename="beach.jpg", tags=None)
    assert search(fields, "beach") is True
    assert search(fields, "none") is False
