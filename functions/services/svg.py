"""SVG inspection: parsed with defusedxml (entity declarations and external entities forbidden), never rendered."""

from __future__ import annotations

import math
import re
from typing import Any, BinaryIO

from defusedxml import ElementTree

from functions.services.rejected import Rejected

SVG_ROOTS = {"{http://www.w3.org/2000/svg}svg", "svg"}
UNITS_IN_PX = {"": 1.0, "px": 1.0, "pt": 4 / 3, "pc": 16.0, "mm": 96 / 25.4, "cm": 96 / 2.54, "in": 96.0}
"""CSS absolute units; relative ones (em, ex, %) give no size, and the viewBox is used instead."""
_LENGTH = re.compile(r"\s*([+]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?)\s*([a-z]*)\s*", re.IGNORECASE)
_URL = re.compile(r"""url\(\s*['"]?\s*([^'")\s]*)|@import\s+['"]\s*([^'"]*)""", re.IGNORECASE)
_LOCAL_SCHEMES = ("#", "data:")
_HREFS = {"href", "{http://www.w3.org/1999/xlink}href"}


def too_large(max_bytes: int) -> Rejected:
    return Rejected(f"the SVG is larger than {max_bytes} bytes, the most that is inspected", "too_large")


def inspect(file: BinaryIO, max_bytes: int) -> dict[str, Any]:
    """Size and risk flags of an SVG document.

    `has_script`: a <script> element, an on* event attribute, a javascript: URL in any attribute, or a
    <foreignObject> (it embeds HTML the browser renders as active content).
    `has_external_references`: an href/xlink:href, url(...) or @import that points outside the document: anything
    but a fragment (#id) or a data: URL, so relative paths count too since a browser resolves and fetches them.
    """
    data = file.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise too_large(max_bytes)
    root = ElementTree.fromstring(data)
    if root.tag not in SVG_ROOTS:
        raise Rejected("the file is not an SVG document: its root element is not svg", "mismatch")
    has_script = has_external = False
    for element in root.iter():
        name = _local(element.tag)
        has_script = has_script or name in ("script", "foreignObject")
        texts = [element.text or ""] if name == "style" else []
        for attribute, value in element.attrib.items():
            has_script = has_script or _local(attribute).lower().startswith("on") or _is_javascript(value)
            has_external = has_external or (attribute in _HREFS and _is_external(value))
            texts.append(value)
        has_external = has_external or any(_is_external(url) for text in texts for url in _urls(text))
    result: dict[str, Any] = {"format": "SVG", "has_script": has_script, "has_external_references": has_external}
    if dimensions := _dimensions(root.attrib):
        result["dimensions"] = dimensions
    return result


def _local(name: Any) -> str:
    """The name without its {namespace}; comments and processing instructions have a non-str tag."""
    return name.rsplit("}", 1)[-1] if isinstance(name, str) else ""


def _is_javascript(value: str) -> bool:
    return "".join(value.split()).lower().startswith("javascript:")


def _is_external(url: str) -> bool:
    url = url.strip().lower()
    return bool(url) and not url.startswith(_LOCAL_SCHEMES) and not _is_javascript(url)


def _urls(text: str) -> list[str]:
    return [url or imported for url, imported in _URL.findall(text)]


def _length(value: str | None) -> float | None:
    """A width/height attribute in px, or None when missing, relative, zero or not a number."""
    match = _LENGTH.fullmatch(value or "")
    if match is None or match.group(2).lower() not in UNITS_IN_PX:
        return None
    pixels = float(match.group(1)) * UNITS_IN_PX[match.group(2).lower()]
    return pixels if 0 < pixels < math.inf else None


def _view_box(value: str | None) -> tuple[float, float] | None:
    parts = re.split(r"[\s,]+", (value or "").strip())
    if len(parts) != 4:
        return None
    try:
        width, height = float(parts[2]), float(parts[3])
    except ValueError:
        return None
    return (width, height) if 0 < width < math.inf and 0 < height < math.inf else None


def _dimensions(attributes: dict[str, str]) -> dict[str, float] | None:
    """From width/height; a missing or relative one is filled in from the viewBox's aspect ratio, or both from it."""
    width, height = _length(attributes.get("width")), _length(attributes.get("height"))
    view_box = _view_box(attributes.get("viewBox"))
    if view_box is not None:
        if width is None and height is None:
            width, height = view_box
        elif width is None:
            width = height * view_box[0] / view_box[1]
        elif height is None:
            height = width * view_box[1] / view_box[0]
    if width is None or height is None:
        return None
    return {"width": _rounded(width), "height": _rounded(height), "aspect_ratio": round(width / height, 4)}


def _rounded(value: float) -> int | float:
    return int(value) if value.is_integer() else round(value, 2)
