"""Comment models: a remark on an asset, optionally pinned to a region of the image or a page of a PDF."""

from __future__ import annotations

from typing import Annotated

from pydantic import BeforeValidator, Discriminator, Field, Tag, model_validator

from functions.models.common import AssetId, Input, Model, TenantId, Timestamp, whole

CommentId = Annotated[
    str, Field(pattern=r"^[0-9a-f]{32}$", description="Comment identifier (32 lowercase hex characters, time-ordered).")
]
Fraction = Annotated[float, Field(ge=0, le=1, strict=False)]


class Region(Input):
    """A rectangle of the image, in fractions of its displayed width and height."""

    x: Annotated[Fraction, Field(description="Left edge, 0 to 1.")]
    y: Annotated[Fraction, Field(description="Top edge, 0 to 1.")]
    w: Annotated[Fraction, Field(description="Width, 0 to 1; `x + w` at most 1.")]
    h: Annotated[Fraction, Field(description="Height, 0 to 1; `y + h` at most 1.")]

    @model_validator(mode="after")
    def _inside(self) -> Region:
        if self.x + self.w > 1 or self.y + self.h > 1:
            raise ValueError("the region must lie inside the image: x + w and y + h at most 1")
        return self


class Page(Input):
    page: Annotated[int, Field(ge=1, le=100_000, description="A page of the PDF, from 1."), BeforeValidator(whole)]


def _kind(value: object) -> str:
    """Which annotation a value is: one with `page` is a page, anything else is read as a region."""
    return "page" if isinstance(value, Page) or (isinstance(value, dict) and "page" in value) else "region"


Annotation = Annotated[
    Annotated[Region, Tag("region")] | Annotated[Page, Tag("page")],
    Discriminator(_kind),
    Field(description="What the comment points at: a region `{x, y, w, h}` of the image or `{page}` of a PDF."),
]


class CommentRequest(Input):
    text: Annotated[str, Field(min_length=1, max_length=2000, description="The comment, 1 to 2,000 characters.")]
    annotation: Annotation | None = None


class Comment(Model):
    id: CommentId
    asset_id: AssetId
    text: str
    annotation: Annotation | None = None
    author: Annotated[str | None, Field(description="The label of the API key that wrote it; null without one.")] = None
    created_at: Timestamp


class CommentRecord(Comment):
    tenant: TenantId

    def public(self) -> Comment:
        return Comment.model_validate(self.model_dump(include=set(Comment.model_fields)))


class CommentPage(Model):
    items: Annotated[list[Comment], Field(description="The oldest first.")]
    next_cursor: Annotated[str | None, Field(description="Pass as `cursor` for the next page; null at the end.")]


class CommentEventDetail(Model):
    """`detail` of the `comment.*` events."""

    id: Annotated[str, Field(description="The change's own id, the same on every delivery of it.")]
    tenant: TenantId
    comment: Comment
