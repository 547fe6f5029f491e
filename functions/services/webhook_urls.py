"""No server-side request forgery: which webhook URLs are accepted, and which addresses may be connected to.

- At create and update (and again before every attempt, since DNS can change): `https` only, no user name or
  password, a public-looking host name (`links.checked`: no IP literal, no special-use name), port 443 or 1024
  and above (not the well-known ports of other services). Only the local stack (`webhook_local_receivers`, which
  `make dev` alone turns on) also accepts `http://127.0.0.1` and `http://localhost` on any port.
- At send time every address the host resolves to is checked, and one refused address refuses them all:
  private, loopback, link-local, multicast, reserved, unspecified, shared (CGNAT 100.64/10), the cloud metadata
  addresses (169.254.169.254, fd00:ec2::254), anything not globally routable, and those same addresses inside an
  IPv4-mapped, 6to4, Teredo or NAT64 IPv6 address. The connection then goes to the address checked (pinned), so
  a second lookup (DNS rebinding) cannot move it.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from urllib.parse import SplitResult, urlsplit

from functions.errors import InvalidInput
from functions.services import links

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
LOCAL_HOSTS = ("127.0.0.1", "localhost")
"""The receivers the local stack accepts over plain http."""
LOWEST_PORT = 1024
"""Ports below this are other services' (SSH, SMTP, databases...), but 443."""
SHARED = ipaddress.ip_network("100.64.0.0/10")
METADATA = (ipaddress.ip_address("169.254.169.254"), ipaddress.ip_address("fd00:ec2::254"))
NAT64 = (ipaddress.ip_network("64:ff9b::/96"), ipaddress.ip_network("64:ff9b:1::/48"))
_KINDS = (
    ("is_loopback", "loopback"),
    ("is_private", "private"),
    ("is_link_local", "link-local"),
    ("is_multicast", "multicast"),
    ("is_reserved", "reserved"),
    ("is_unspecified", "unspecified"),
)


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str
    port: int
    path: str
    """The path and query, as sent in the request line."""
    local: bool
    """A local receiver (`make dev` only): plain http on loopback."""


def _refused(message: str) -> InvalidInput:
    return InvalidInput(f"url: {message}", field="url")


def target(url: str, *, local_receivers: bool) -> Target:
    """The parts of an acceptable webhook URL; a 400 naming `url` otherwise."""
    try:
        parts, host = links.checked(url)
    except InvalidInput:
        local = _local(url) if local_receivers else None
        if local is None:
            raise
        parts, host = local
    else:
        if parts.port is not None and parts.port != 443 and parts.port < LOWEST_PORT:
            raise _refused(f"port {parts.port} is not accepted: use 443, or 1024 and above")
    if parts.fragment:
        raise _refused("a fragment (#...) is not sent to a server; leave it out")
    is_local = parts.scheme == "http"
    port = parts.port or (80 if is_local else 443)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return Target(scheme=parts.scheme, host=host, port=port, path=path, local=is_local)


def _local(url: str) -> tuple[SplitResult, str] | None:
    """`http://127.0.0.1[:port]/...` or `http://localhost[:port]/...`, the local stack's receivers."""
    if not url.isprintable() or " " in url:
        return None
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 (urllib checks the port when it is read)
    except ValueError:
        return None
    if parts.scheme != "http" or parts.hostname not in LOCAL_HOSTS or "@" in parts.netloc:
        return None
    return parts, parts.hostname or ""


def refusal(address: IPAddress) -> str | None:
    """Why `address` may not be connected to; None for a public unicast address."""
    if address in METADATA:
        return f"{address} is a cloud metadata address"
    if isinstance(address, ipaddress.IPv6Address):
        embedded = _embedded(address)
        if embedded is not None:
            reason = refusal(embedded)
            if reason is not None:
                return f"{address} carries an IPv4 address that is refused: {reason}"
        if address.ipv4_mapped is not None:
            return f"{address} is an IPv4-mapped address"
    elif address in SHARED:
        return f"{address} is a shared (carrier-grade NAT) address"
    for attribute, kind in _KINDS:
        if getattr(address, attribute):
            return f"{address} is a {kind} address"
    if not address.is_global:
        return f"{address} is not a public address"
    return None


def _embedded(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address inside an IPv4-mapped, 6to4, Teredo (its client) or NAT64 address."""
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address.teredo is not None:
        return address.teredo[1]
    if any(address in network for network in NAT64):
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def checked_addresses(found: list[str], target: Target) -> str:
    """The address to connect to among those the host resolved to: the first, once every one is allowed.

    A local receiver (`make dev`) is allowed loopback and nothing else. Raises `Refused`."""
    if not found:
        raise Refused(f"{target.host} did not resolve to any address")
    for text in found:
        address = ipaddress.ip_address(text.split("%", 1)[0])
        if target.local:
            if not address.is_loopback:
                raise Refused(f"{target.host} resolved to {address}, which is not loopback")
            continue
        reason = refusal(address)
        if reason is not None:
            raise Refused(f"{target.host} resolved to a refused address: {reason}")
    return found[0]


class Refused(Exception):
    """An attempt that must not connect: the address, or the URL, is not allowed."""
