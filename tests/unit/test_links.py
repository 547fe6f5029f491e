"""The address of a link or an external video: what is accepted, and what a video address is taken apart into."""

from __future__ import annotations

import pytest

from functions.errors import InvalidInput
from functions.services import links

YT = "dQw4w9WgXcQ"


@pytest.mark.parametrize(
    "url",
    [
        f"https://www.youtube.com/watch?v={YT}",
        f"https://youtube.com/watch?v={YT}&t=42s",
        f"https://m.youtube.com/watch?feature=share&v={YT}",
        f"https://WWW.YouTube.com/watch/?v={YT}",
        f"https://youtu.be/{YT}",
        f"https://youtu.be/{YT}?si=abc&t=3",
        f"https://www.youtube.com/shorts/{YT}",
        f"https://youtube.com/shorts/{YT}/",
        f"https://www.youtube.com/embed/{YT}?start=10",
        f"https://www.youtube-nocookie.com/embed/{YT}",
        f"https://youtube-nocookie.com/embed/{YT}",
        f"https://www.youtube.com/live/{YT}?feature=shared",
        f"https://www.youtube.com./watch?v={YT}",
    ],
)
def test_every_youtube_form_gives_the_id_and_the_privacy_enhanced_player(url: str) -> None:
    assert links.video(url) == links.Video("youtube", YT, f"https://www.youtube-nocookie.com/embed/{YT}")


@pytest.mark.parametrize(
    ("url", "embed"),
    [
        ("https://vimeo.com/76979871", "https://player.vimeo.com/video/76979871"),
        ("https://www.vimeo.com/76979871/", "https://player.vimeo.com/video/76979871"),
        ("https://vimeo.com/channels/staffpicks/76979871", "https://player.vimeo.com/video/76979871"),
        ("https://vimeo.com/groups/motion/videos/76979871", "https://player.vimeo.com/video/76979871"),
        ("https://player.vimeo.com/video/76979871", "https://player.vimeo.com/video/76979871"),
        ("https://player.vimeo.com/video/76979871?autoplay=1", "https://player.vimeo.com/video/76979871"),
        ("https://vimeo.com/76979871/a1b2c3d4e5", "https://player.vimeo.com/video/76979871?h=a1b2c3d4e5"),
        (
            "https://player.vimeo.com/video/76979871?h=a1b2c3d4e5&badge=0",
            "https://player.vimeo.com/video/76979871?h=a1b2c3d4e5",
        ),
    ],
)
def test_every_vimeo_form_gives_the_id_and_the_player_with_an_unlisted_hash(url: str, embed: str) -> None:
    assert links.video(url) == links.Video("vimeo", "76979871", embed)


@pytest.mark.parametrize(
    "url",
    [
        "https://www.youtube.com/",
        "https://www.youtube.com/watch",
        "https://www.youtube.com/watch?v=short",
        f"https://www.youtube.com/watch?v={YT}x",
        "https://www.youtube.com/watch?v=dQw4w9WgX%21Q",
        f"https://www.youtube.com/channel/{YT}",
        f"https://www.youtube.com/shorts/{YT}/extra",
        "https://youtu.be/",
        f"https://youtu.be/{YT}/more",
        "https://vimeo.com/",
        "https://vimeo.com/staff",
        "https://vimeo.com/channels/staffpicks",
        "https://player.vimeo.com/video/",
        "https://player.vimeo.com/76979871",
        f"https://example.com/watch?v={YT}",
        f"https://notyoutube.com/watch?v={YT}",
        f"https://youtube.com.evil.example/watch?v={YT}",
        "https://dailymotion.com/video/x7tgad0",
        f"http://www.youtube.com/watch?v={YT}",
    ],
)
def test_anything_else_is_not_an_external_video(url: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        links.video(url)
    assert refused.value.field == "url"


@pytest.mark.parametrize(
    "url",
    [
        "https://example.com",
        "https://www.example.com/a/path?q=1#part",
        "https://docs.example.co.uk:8443/guide",
        "HTTPS://Example.COM/Shout",
        "https://bücher.example/ü",
        "https://my-site.example.org./",
    ],
)
def test_a_link_is_any_https_address_on_a_public_name(url: str) -> None:
    assert links.described("link", url) == {"url": url, "provider": None, "video_id": None, "embed_url": None}


@pytest.mark.parametrize(
    ("url", "why"),
    [
        ("http://example.com/", "https"),
        ("ftp://example.com/file", "https"),
        ("javascript:alert(1)", "https"),
        ("data:text/html,<b>hi</b>", "https"),
        ("//example.com/no-scheme", "https"),
        ("example.com", "https"),
        ("https://", "https"),
        ("https:///path-only", "https"),
        ("https://user:secret@example.com/", "user name"),
        ("https://user@example.com/", "user name"),
        ("https://127.0.0.1/", "IP address"),
        ("https://10.0.0.8:8080/admin", "IP address"),
        ("https://[::1]/", "IP address"),
        ("https://[fe80::1]/", "IP address"),
        ("https://2130706433/", "public domain name"),
        ("https://0x7f.1/", "public domain name"),
        ("https://localhost/", "public domain name"),
        ("https://api.localhost/", "not a public host"),
        ("https://printer.local/", "not a public host"),
        ("https://db.internal/", "not a public host"),
        ("https://router.home.arpa/", "not a public host"),
        ("https://under_score.example.com/", "public domain name"),
        ("https://-dash.example.com/", "public domain name"),
        ("https://exa mple.com/", "spaces"),
        ("https://example.com/a b", "spaces"),
        ("https://example.com/\x00", "spaces"),
        ("https://example.com:99999/", "port"),
        ("https://example.com:http/", "port"),
        ("https://[not-an-ip/", "not a valid address"),
    ],
)
def test_a_link_refuses_what_is_not_a_public_https_address(url: str, why: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        links.described("link", url)
    assert refused.value.field == "url"
    assert why in refused.value.message
