"""Delivery models: where an asset is served from, and what a transform may ask for."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, AwareDatetime, BeforeValidator, Field, PlainSerializer

from functions.models.common import TIMESTAMP_FORMAT, Input, Model, whole

Fit = Literal["cover", "contain", "inside", "fill"]
Format = Literal["auto", "webp", "avif", "jpeg", "png"]
SRCSET_WIDTHS = (320, 640, 960, 1280, 1920)


class FocalPoint(Input):
    """The point of the image a `fit=cover` crop keeps in view."""

    x: Annotated[float, Field(ge=0, le=1, strict=False, description="From the left edge, 0 to 1.")]
    y: Annotated[float, Field(ge=0, le=1, strict=False, description="From the top edge, 0 to 1.")]


def _in_utc(value: datetime) -> datetime:
    if not EARLIEST <= value <= LATEST:
        raise ValueError("must be between 1970-01-01 and 9999-12-30, UTC")
    return value.astimezone(UTC)


EARLIEST = datetime(1970, 1, 1, tzinfo=UTC)
LATEST = datetime(9999, 12, 30, tzinfo=UTC)
When = Annotated[
    AwareDatetime,
    Field(strict=False, description="ISO 8601 with a time zone, e.g. `2027-01-01T00:00:00Z`, from 1970 on."),
    AfterValidator(_in_utc),
    PlainSerializer(lambda value: value.strftime(TIMESTAMP_FORMAT), return_type=str, when_used="json"),
]
"""A time a client sends, stored in UTC in the same fixed-width form as every timestamp."""


class SrcsetEntry(Model):
    width: Annotated[int, Field(description="Width in pixels of the image at `url`.")]
    url: Annotated[str, Field(description="A transform URL (`fm=auto`), signed when the asset needs it.")]


Dimension = Annotated[int | None, Field(ge=1, le=8192), BeforeValidator(whole)]


class Transform(Input):
    """The transform query of a delivery URL. The signature (`sig`, `exp`) is checked before it is read."""

    w: Annotated[Dimension, Field(description="Width in pixels (before `dpr`).")] = None
    h: Annotated[Dimension, Field(description="Height in pixels (before `dpr`).")] = None
    fit: Annotated[
        Fit,
        Field(
            description="With both `w` and `h`: `cover` crops around the focal point, `contain` letterboxes, `inside` "
            "fits within, `fill` stretches."
        ),
    ] = "inside"
    dpr: Annotated[float, Field(ge=1, le=3, description="Device pixel ratio: `w` and `h` are multiplied by it.")] = 1
    q: Annotated[int, Field(ge=1, le=100, description="Quality of lossy formats.")] = 80
    fm: Annotated[
        Format | None,
        Field(description="Output format; `auto` picks AVIF, then WebP, from the request's `Accept`, else JPEG/PNG."),
    ] = None

    model_config = {"strict": False}


class DeliveryInfo(Model):
    """What a client needs to build its own delivery URLs (the SDK's `sign`)."""

    base_url: Annotated[str, Field(description="Every delivery URL starts with this.")]
    secret: Annotated[
        str,
        Field(
            description="The tenant's delivery signing key (base64url): sign transform URLs with it as the README's "
            "Delivery section shows. Anyone holding it can sign any URL of the tenant: keep it server-side."
        ),
    ]
    presets: Annotated[dict[str, str], Field(description="Named transforms (`?preset=name`), which need no signature.")]
    max_dimension: Annotated[int, Field(description="The largest `w` or `h` (times `dpr`) a transform may ask for.")]
    url_ttl_seconds: Annotated[int, Field(description="Lifetime of the signed URLs the API hands out.")]
