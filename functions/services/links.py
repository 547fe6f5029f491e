"""The address of a link or an external video: checked and taken apart with `urllib.parse`, never fetched.

- Every address is `https`, without a user name or password, on a public-looking host name: at least two
  labels of letters, digits and hyphens (an internationalised name is checked in its IDNA form), a top-level
  label that is not all digits, no IP address (`127.0.0.1`, `[::1]`) and no special-use name (`localhost`,
  `.local`, `.internal`, `.test`, `.invalid`, `.home.arpa`). The service stores the address and hands it back;
  it makes no request to it.
- An external video is a YouTube or a Vimeo video. YouTube (`youtube.com`, `www.`/`m.`, `youtu.be`,
  `youtube-nocookie.com`): `/watch?v={id}`, `youtu.be/{id}`, `/shorts/{id}`, `/embed/{id}`, `/live/{id}`, the id 11
  characters of `[A-Za-z0-9_-]`; it embeds from `https://www.youtube-nocookie.com/embed/{id}`, YouTube's
  privacy-enhanced player (no cookies until the viewer plays it). Vimeo (`vimeo.com`, `www.`, `player.vimeo.com`):
  `vimeo.com/{id}`, `vimeo.com/{id}/{hash}` (an unlisted video), `vimeo.com/channels/{name}/{id}`,
  `vimeo.com/groups/{name}/videos/{id}`, `player.vimeo.com/video/{id}` (`?h={hash}`); it embeds from
  `https://player.vimeo.com/video/{id}`, with `?h={hash}` for an unlisted one.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from urllib.parse import SplitResult, parse_qs, urlencode, urlsplit

from functions.errors import InvalidInput

_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")
_UNSAFE = re.compile(r"[\x00-\x20\x7f-\x9f]")
SPECIAL_USE = ("localhost", "local", "internal", "test", "invalid", "home.arpa")
"""Names that never reach the public internet (RFC 6761, RFC 6762, RFC 8375, ICANN's `.internal`)."""

YOUTUBE_HOSTS = frozenset(
    {"youtube.com", "www.youtube.com", "m.youtube.com", "youtube-nocookie.com", "www.youtube-nocookie.com"}
)
YOUTU_BE = "youtu.be"
VIMEO_HOSTS = frozenset({"vimeo.com", "www.vimeo.com"})
VIMEO_PLAYER = "player.vimeo.com"
_YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{11}$")
_YOUTUBE_PATH = re.compile(r"^/(?:shorts|embed|live)/([^/]+)/?$")
_VIMEO_PATH = re.compile(r"^/(?:channels/[^/]+/|groups/[^/]+/videos/)?(\d{1,20})(?:/([0-9a-f]{1,64}))?/?$")
_VIMEO_PLAYER_PATH = re.compile(r"^/video/(\d{1,20})/?$")
_VIMEO_HASH = re.compile(r"^[0-9a-f]{1,64}$")


@dataclass(frozen=True)
class Video:
    provider: str
    video_id: str
    embed_url: str


def _refused(message: str) -> InvalidInput:
    return InvalidInput(f"url: {message}", field="url")


def _host(parts: SplitResult) -> str:
    """The host name, lowercased, without a final dot; a 400 unless it is a public-looking name."""
    try:
        parts.port  # noqa: B018 (urllib checks the port when it is read)
    except ValueError:
        raise _refused("the port is not a number from 0 to 65535") from None
    host = (parts.hostname or "").removesuffix(".")
    try:
        ipaddress.ip_address(host)
    except ValueError:
        pass
    else:
        raise _refused("the host must be a name, not an IP address")
    try:
        ascii_host = host.encode("idna").decode("ascii")
    except UnicodeError:
        raise _refused("the host is not a valid domain name") from None
    labels = ascii_host.split(".")
    if len(labels) < 2 or not all(_LABEL.match(label) for label in labels) or labels[-1].isdigit():
        raise _refused("the host must be a public domain name, such as example.com")
    if any(ascii_host == name or ascii_host.endswith(f".{name}") for name in SPECIAL_USE):
        raise _refused(f"{ascii_host} is not a public host name")
    return host


def checked(url: str) -> tuple[SplitResult, str]:
    """The parts of an acceptable address and its host; a 400 naming `url` otherwise."""
    if _UNSAFE.search(url):
        raise _refused("spaces and control characters are not allowed; percent-encode them")
    try:
        parts = urlsplit(url)
    except ValueError:  # brackets that hold no IPv6 address
        raise _refused("not a valid address") from None
    if parts.scheme.lower() != "https" or not parts.netloc:
        raise _refused("only https:// addresses are accepted")
    if "@" in parts.netloc:
        raise _refused("a user name or password in the address is not accepted")
    return parts, _host(parts)


def _youtube(parts: SplitResult, host: str) -> str | None:
    if host == YOUTU_BE:
        return parts.path.strip("/")
    if parts.path.rstrip("/") == "/watch":
        return (parse_qs(parts.query).get("v") or [""])[0]
    found = _YOUTUBE_PATH.match(parts.path)
    return found.group(1) if found else None


def _vimeo(parts: SplitResult, host: str) -> tuple[str, str | None] | None:
    """(id, hash of an unlisted video)."""
    if host == VIMEO_PLAYER:
        found = _VIMEO_PLAYER_PATH.match(parts.path)
        unlisted = (parse_qs(parts.query).get("h") or [None])[0]
        return (found.group(1), unlisted if unlisted and _VIMEO_HASH.match(unlisted) else None) if found else None
    found = _VIMEO_PATH.match(parts.path)
    return (found.group(1), found.group(2)) if found else None


def video(url: str) -> Video:
    """The YouTube or Vimeo video an address shows; a 400 naming `url` for any other address."""
    parts, host = checked(url)
    if host in YOUTUBE_HOSTS or host == YOUTU_BE:
        video_id = _youtube(parts, host)
        if video_id is None or not _YOUTUBE_ID.match(video_id):
            raise _refused("not a YouTube video address (watch?v=, youtu.be/, /shorts/, /embed/ or /live/ and an id)")
        return Video("youtube", video_id, f"https://www.youtube-nocookie.com/embed/{video_id}")
    if host in VIMEO_HOSTS or host == VIMEO_PLAYER:
        found = _vimeo(parts, host)
        if found is None:
            raise _refused("not a Vimeo video address (vimeo.com/{id} or player.vimeo.com/video/{id})")
        video_id, unlisted = found
        query = f"?{urlencode({'h': unlisted})}" if unlisted else ""
        return Video("vimeo", video_id, f"https://player.vimeo.com/video/{video_id}{query}")
    raise _refused("an external_video must be a YouTube or Vimeo address")


def described(kind: str, url: str) -> dict[str, str | None]:
    """What an asset of `kind` records about `url`: the address, and an external video's provider, id and player."""
    if kind == "external_video":
        found = video(url)
        return {"url": url, "provider": found.provider, "video_id": found.video_id, "embed_url": found.embed_url}
    checked(url)
    return {"url": url, "provider": None, "video_id": None, "embed_url": None}
