from __future__ import annotations

import io
from typing import Any

import pytest
from defusedxml import DTDForbidden, ElementTree, EntitiesForbidden

from functions.services import svg
from functions.services.rejected import Rejected
from tests import files

MAX_BYTES = 5 * 1024 * 1024


def inspect(data: bytes, max_bytes: int = MAX_BYTES) -> dict[str, Any]:
    return svg.inspect(io.BytesIO(data), max_bytes)


def test_a_plain_svg_with_width_and_height() -> None:
    assert inspect(files.svg('<rect width="10" height="10" fill="#f00"/>')) == {
        "format": "SVG",
        "dimensions": {"width": 120, "height": 80, "aspect_ratio": 1.5},
        "has_script": False,
        "has_external_references": False,
    }


@pytest.mark.parametrize(
    ("attributes", "dimensions"),
    [
        ('viewBox="0 0 300 150"', {"width": 300, "height": 150, "aspect_ratio": 2.0}),
        ('width="100%" height="100%" viewBox="0,0,40,30"', {"width": 40, "height": 30, "aspect_ratio": 1.3333}),
        ('width="200" viewBox="0 0 40 30"', {"width": 200, "height": 150, "aspect_ratio": 1.3333}),
        ('width="1in" height="72pt"', {"width": 96, "height": 96, "aspect_ratio": 1.0}),
        ('width="25.4mm" height="1.27cm"', {"width": 96, "height": 48, "aspect_ratio": 2.0}),
        ('width="10.5px" height="3"', {"width": 10.5, "height": 3, "aspect_ratio": 3.5}),
    ],
)
def test_dimensions_from_attributes_units_and_view_box(attributes: str, dimensions: dict[str, float]) -> None:
    assert inspect(files.svg(attributes=attributes))["dimensions"] == dimensions


@pytest.mark.parametrize("attributes", ["", 'width="2em" height="1em"', 'width="0" height="0"', 'viewBox="0 0 -1 5"'])
def test_no_usable_size_means_no_dimensions(attributes: str) -> None:
    assert "dimensions" not in inspect(files.svg(attributes=attributes))


@pytest.mark.parametrize(
    ("body", "has_script", "has_external"),
    [
        ("<script>alert(1)</script>", True, False),
        ('<rect width="1" height="1" onclick="alert(1)"/>', True, False),
        ('<a href=" JavaScript:alert(1)"><text>x</text></a>', True, False),
        ('<a xmlns:xlink="http://www.w3.org/1999/xlink" xlink:href="javascript:alert(1)"/>', True, False),
        ('<set attributeName="href" to="javascript:alert(1)"/>', True, False),
        ('<foreignObject><div xmlns="http://www.w3.org/1999/xhtml">hi</div></foreignObject>', True, False),
        ('<image href="https://example.com/a.png" width="1" height="1"/>', False, True),
        ('<use xmlns:xlink="http://www.w3.org/1999/xlink" xlink:href="//cdn.example.com/s.svg#icon"/>', False, True),
        ('<image href="file:///etc/passwd"/>', False, True),
        ('<image href="pictures/photo.jpg"/>', False, True),
        ('<rect fill="url(http://example.com/p.svg#g)" width="1" height="1"/>', False, True),
        ("<rect style=\"fill: url( 'https://example.com/x.svg#p' )\"/>", False, True),
        ('<style>@import "https://fonts.example.com/f.css"; rect { fill: red }</style>', False, True),
    ],
)
def test_active_content_and_external_references_are_flagged(body: str, has_script: bool, has_external: bool) -> None:
    result = inspect(files.svg(body))

    assert (result["has_script"], result["has_external_references"]) == (has_script, has_external)


@pytest.mark.parametrize(
    "body",
    [
        '<defs><linearGradient id="g"/></defs><rect fill="url(#g)" width="1" height="1"/>',
        '<use href="#g"/><image href="data:image/png;base64,iVBORw0KGgo="/>',
        "<style>rect { fill: url(#g) }</style>",
    ],
)
def test_local_references_and_data_urls_are_not_external(body: str) -> None:
    assert inspect(files.svg(body))["has_external_references"] is False


def test_a_doctype_without_entities_is_accepted() -> None:
    prolog = (
        '<?xml version="1.0"?><!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" '
        '"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">'
    )

    assert inspect(files.svg(prolog=prolog))["dimensions"]["width"] == 120


def test_entity_declarations_are_refused() -> None:
    with pytest.raises((EntitiesForbidden, DTDForbidden)):
        inspect(files.BILLION_LAUGHS_SVG)


def test_an_xml_root_other_than_svg_is_refused() -> None:
    with pytest.raises(Rejected, match="not an SVG document"):
        inspect(files.NOT_SVG_XML)


def test_an_svg_root_without_namespace_is_accepted() -> None:
    assert inspect(b'<svg width="4" height="2"/>')["dimensions"]["aspect_ratio"] == 2.0


def test_more_than_max_bytes_is_refused_without_reading_the_rest() -> None:
    data = io.BytesIO(files.svg("<g/>" * 1000))

    with pytest.raises(Rejected, match="larger than 1000 bytes"):
        svg.inspect(data, 1000)
    assert data.tell() == 1001


def test_malformed_xml_raises() -> None:
    with pytest.raises(ElementTree.ParseError, match="mismatched tag"):
        inspect(b'<svg xmlns="http://www.w3.org/2000/svg"><g></svg>')
