"""The route table: the single source of truth for the HTTP API.

The CDK stack builds one Lambda and one API Gateway method per entry, the local
gateway dispatches with it, each handler module registers its route from it and
the OpenAPI document is generated from those handlers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

READ = "assets:read"
WRITE = "assets:write"
WEBHOOKS_ADMIN = "webhooks:admin"
KEYS_ADMIN = "keys:admin"
SCOPES = (READ, WRITE, WEBHOOKS_ADMIN, KEYS_ADMIN)
"""Every scope a key may hold; the admin ones manage webhooks and API keys."""
PUBLIC = ""
"""The scope of a route anyone may call, without an API key: a share's public URL (its token is the secret)."""


@dataclass(frozen=True)
class Route:
    name: str
    """Module in `functions/{resource}/` that serves the route (and the Lambda's logical name)."""
    resource: str
    """The package of the route's handler: the resource it serves (`assets`, `versions`, `folders`...)."""
    method: str
    path: str
    """API Gateway style path, with `{param}` placeholders."""
    scope: str
    query: tuple[str, ...] = ()
    """The query parameters the handler declares; any other is a 400 (a test holds this to the OpenAPI document)."""
    shows_secret: bool = False
    """Its answer carries a secret shown once (a new API key): never kept by the idempotency layer, which would
    store it in plain text for a day, so the route takes no `Idempotency-Key`."""

    @property
    def public(self) -> bool:
        return self.scope == PUBLIC

    @property
    def idempotent(self) -> bool:
        """Honours `Idempotency-Key` (functions/idempotent.py): every POST of a tenant's but one showing a secret."""
        return self.method == "POST" and not self.public and not self.shows_secret

    @property
    def module(self) -> str:
        return f"functions.{self.resource}.{self.name}"

    @property
    def rule(self) -> str:
        """The path in the event handler's `<param>` syntax."""
        return re.sub(r"\{(\w+)\}", r"<\1>", self.path)


ROUTES: tuple[Route, ...] = (
    Route("create_upload", "uploads", "POST", "/v1/uploads", WRITE),
    Route("sign_upload_parts", "uploads", "POST", "/v1/uploads/{upload_id}/parts", WRITE),
    Route("complete_upload", "uploads", "POST", "/v1/uploads/{upload_id}/complete", WRITE),
    Route("abort_upload", "uploads", "DELETE", "/v1/uploads/{upload_id}", WRITE),
    Route(
        "list_assets",
        "assets",
        "GET",
        "/v1/assets",
        READ,
        query=(
            "limit",
            "cursor",
            "sort",
            "order",
            "kind",
            "status",
            "content_type",
            "folder_id",
            "recursive",
            "tag",
            "q",
            "include_total",
            "created_after",
            "created_before",
            "updated_after",
            "updated_before",
        ),
    ),
    Route("list_filters", "assets", "GET", "/v1/assets/filters", READ),
    Route("get_asset", "assets", "GET", "/v1/assets/{asset_id}", READ),
    Route("update_asset", "assets", "PATCH", "/v1/assets/{asset_id}", WRITE),
    Route("replace_asset", "assets", "PUT", "/v1/assets/{asset_id}", WRITE),
    Route("delete_asset", "assets", "DELETE", "/v1/assets/{asset_id}", WRITE, query=("permanent",)),
    Route("copy_asset", "assets", "POST", "/v1/assets/{asset_id}/copy", WRITE),
    Route("download_asset", "assets", "GET", "/v1/assets/{asset_id}/download", READ, query=("redirect",)),
    Route("download_rendition", "assets", "GET", "/v1/assets/{asset_id}/renditions/{name}", READ, query=("redirect",)),
    Route("create_version", "versions", "POST", "/v1/assets/{asset_id}/versions", WRITE),
    Route("list_versions", "versions", "GET", "/v1/assets/{asset_id}/versions", READ, query=("limit", "cursor")),
    Route(
        "download_version",
        "versions",
        "GET",
        "/v1/assets/{asset_id}/versions/{number}/download",
        READ,
        query=("redirect",),
    ),
    Route("restore_version", "versions", "POST", "/v1/assets/{asset_id}/versions/{number}/restore", WRITE),
    Route("delete_version", "versions", "DELETE", "/v1/assets/{asset_id}/versions/{number}", WRITE),
    Route("create_folder", "folders", "POST", "/v1/folders", WRITE),
    Route("list_folders", "folders", "GET", "/v1/folders", READ, query=("parent_id", "limit", "cursor")),
    Route("get_folder", "folders", "GET", "/v1/folders/{folder_id}", READ),
    Route("update_folder", "folders", "PATCH", "/v1/folders/{folder_id}", WRITE),
    Route("delete_folder", "folders", "DELETE", "/v1/folders/{folder_id}", WRITE, query=("recursive",)),
    Route("list_tags", "tags", "GET", "/v1/tags", READ, query=("limit", "cursor")),
    Route("list_trash", "trash", "GET", "/v1/trash", READ, query=("limit", "cursor")),
    Route("restore_asset", "trash", "POST", "/v1/trash/{asset_id}/restore", WRITE),
    Route("purge_asset", "trash", "DELETE", "/v1/trash/{asset_id}", WRITE),
    Route("get_delivery", "delivery", "GET", "/v1/delivery", WRITE),
    Route("create_comment", "comments", "POST", "/v1/assets/{asset_id}/comments", WRITE),
    Route("list_comments", "comments", "GET", "/v1/assets/{asset_id}/comments", READ, query=("limit", "cursor")),
    Route("delete_comment", "comments", "DELETE", "/v1/assets/{asset_id}/comments/{comment_id}", WRITE),
    Route("create_share", "shares", "POST", "/v1/shares", WRITE),
    Route("list_shares", "shares", "GET", "/v1/shares", READ, query=("asset_id", "limit", "cursor")),
    Route("get_share", "shares", "GET", "/v1/shares/{share_id}", READ),
    Route("update_share", "shares", "PATCH", "/v1/shares/{share_id}", WRITE),
    Route("delete_share", "shares", "DELETE", "/v1/shares/{share_id}", WRITE),
    Route("list_asset_shares", "shares", "GET", "/v1/assets/{asset_id}/shares", READ, query=("limit", "cursor")),
    Route("view_share", "shares", "GET", "/v1/shared/{token}", PUBLIC, query=("access", "cursor")),
    Route("unlock_share", "shares", "POST", "/v1/shared/{token}/unlock", PUBLIC),
    Route(
        "download_shared",
        "shares",
        "GET",
        "/v1/shared/{token}/assets/{asset_id}/download",
        PUBLIC,
        query=("access", "redirect"),
    ),
    Route("create_asset", "assets", "POST", "/v1/assets", WRITE),
    Route("create_export", "exports", "POST", "/v1/exports", WRITE),
    Route("get_export", "exports", "GET", "/v1/exports/{export_id}", READ),
    Route("export_shared", "shares", "POST", "/v1/shared/{token}/exports", PUBLIC, query=("access",)),
    Route("get_shared_export", "shares", "GET", "/v1/shared/{token}/exports/{export_id}", PUBLIC, query=("access",)),
    Route("create_key", "keys", "POST", "/v1/keys", KEYS_ADMIN, shows_secret=True),
    Route("list_keys", "keys", "GET", "/v1/keys", KEYS_ADMIN, query=("limit", "cursor")),
    Route("delete_key", "keys", "DELETE", "/v1/keys/{key_id}", KEYS_ADMIN),
)
UPLOAD_ROUTE = "create_upload"
"""The route with a throttle of its own in every tier (`cdk.json` `tiers`: `uploads_rate`, `uploads_burst`)."""

BY_NAME = {route.name: route for route in ROUTES}

CORS_ALLOW_HEADERS = ("Authorization", "Content-Type", "If-Match", "Idempotency-Key")
"""Request headers a browser may send cross-origin: what the preflight (API Gateway's, the local gateway's)
allows."""
CORS_EXPOSE_HEADERS = ("ETag",)
"""Response headers a browser's script may read cross-origin: the revision to send back in `If-Match`."""


def allowed_origin(origins: tuple[str, ...], origin: str | None) -> str | None:
    """The `Access-Control-Allow-Origin` to answer `origin` with, None when it is not allowed (no header)."""
    if "*" in origins:
        return "*"
    return origin if origin in origins else None


def gateway_error_origin(origins: tuple[str, ...], origin: str | None) -> str | None:
    """`Access-Control-Allow-Origin` on API Gateway's own error answers (401, unknown route, throttled), which
    can only carry a static value or a request header: `*`, the one origin, or, for a list, the caller's
    `Origin` echoed. Those bodies hold no data, and a script then reads why it was refused."""
    if "*" in origins or len(origins) == 1:
        return origins[0] if "*" not in origins else "*"
    return origin


def allowed_methods(path: str) -> list[str]:
    """The methods a path of the table answers, the CORS preflight included (the `Allow` header of a 405)."""
    return [*sorted({route.method for route in ROUTES if route.path == path}), "OPTIONS"]
