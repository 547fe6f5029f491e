"""Shares: a public URL that hands some assets, or a folder's subtree, to people without an API key.

The URL's token (192 random bits) is shown once and stored only as its SHA-256. A visit resolves the token
to the share, answers 410 once it has expired or used up its downloads, asks for the password when it has
one (scrypt, compared in constant time; `GUESSES` wrong ones lock it for `LOCK_SECONDS`), and shows only
ready assets inside their availability window and out of the trash. A purged asset leaves every share it was
in; a share left with none is revoked.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from itsdangerous import BadData, URLSafeTimedSerializer

from functions import schema
from functions.adapters.table import asset_key, asset_pk, folder_pk
from functions.errors import Conflict, Gone, InvalidInput, NotFound, PasswordRequired, TooManyAttempts
from functions.models.assets import Asset, AssetRecord
from functions.models.common import DownloadLink, time_ordered_id
from functions.models.exports import Export, ExportCreated
from functions.models.shares import RETAINED_SECONDS as RETAINED_SECONDS  # how long an expired share answers 410
from functions.models.shares import (
    Access,
    Share,
    SharedAsset,
    SharedPage,
    SharePage,
    ShareRecord,
    ShareRequest,
    ShareUpdate,
)
from functions.services import cursors, delivery, exports, listing
from functions.services.assets import WRITE_ATTEMPTS, after, now, presigned, with_file
from functions.services.deps import Deps
from functions.services.kinds import WITHOUT_FILE

TOKEN_BYTES = 24
ACCESS_SECONDS = 3600
"""How long the `access` a correct password gives lasts."""
GUESSES = 5
LOCK_SECONDS = 900
"""After `GUESSES` wrong passwords in a row, no password is checked for this long (429 with `Retry-After`)."""
FOLDER_PAGE = 100
"""Assets per page of a folder share."""
SCRYPT = {"n": 2**14, "r": 8, "p": 1}
"""OWASP's minimum for scrypt; about 50 ms and 16 MiB per check."""
SHARED_PATH = "/v1/shared/"


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, dklen=32, **SCRYPT)
    return f"scrypt${salt.hex()}${digest.hex()}"


def password_matches(stored: str, password: str) -> bool:
    _, salt, digest = stored.split("$")
    candidate = hashlib.scrypt(password.encode(), salt=bytes.fromhex(salt), dklen=32, **SCRYPT)
    return hmac.compare_digest(candidate, bytes.fromhex(digest))


def _future(expires_at: datetime | None, moment: datetime) -> None:
    if expires_at is not None and expires_at <= moment:
        raise InvalidInput("expires_at must be in the future", field="expires_at")


def _existing(deps: Deps, tenant: str, share_id: str) -> ShareRecord:
    share = deps.shares.get(tenant, share_id)
    if share is None:
        raise NotFound(f"share {share_id} not found")
    return share


def create_share(deps: Deps, tenant: str, request: ShareRequest, base_url: str) -> Share:
    """Every asset named must be the tenant's and out of the trash, the folder the tenant's (404 otherwise)."""
    moment = now()
    _future(request.expires_at, moment)
    if request.asset_ids is not None:
        found = {record.id for record in deps.table.get_assets([asset_key(tenant, i) for i in request.asset_ids])}
        missing = next((asset_id for asset_id in request.asset_ids if asset_id not in found), None)
        if missing is not None:
            raise NotFound(f"asset {missing} not found", field="asset_ids")
    elif deps.folders.get(tenant, request.folder_id or "") is None:
        raise NotFound(f"folder {request.folder_id} not found", field="folder_id")
    token = secrets.token_urlsafe(TOKEN_BYTES)
    share = ShareRecord(
        id=time_ordered_id(moment),
        tenant=tenant,
        token_hash=token_hash(token),
        asset_ids=request.asset_ids,
        folder_id=request.folder_id,
        expires_at=request.expires_at,
        max_downloads=request.max_downloads,
        note=request.note,
        has_password=request.password is not None,
        password_hash=hash_password(request.password) if request.password is not None else None,
        created_at=moment,
        updated_at=moment,
    )
    if not deps.shares.add(share):
        raise NotFound(f"folder {request.folder_id} not found", field="folder_id")
    return share.public().model_copy(update={"url": f"{base_url}{SHARED_PATH}{token}"})


def get_share(deps: Deps, tenant: str, share_id: str) -> Share:
    return _existing(deps, tenant, share_id).public()


def list_shares(deps: Deps, tenant: str, limit: int, cursor: str | None, asset_id: str | None = None) -> SharePage:
    """The tenant's shares, or with `asset_id` those that show that asset (by id, or by one of its folders)."""
    scope = f"list_shares|{tenant}|{asset_id or ''}"
    start = cursors.after(deps, scope, cursor)
    if asset_id is None:
        found, last = deps.shares.page(tenant, limit, start)
    else:
        record = deps.table.get_asset(tenant, asset_id)
        if record is None:
            raise NotFound(f"asset {asset_id} not found")
        owners = [asset_pk(tenant, asset_id), *(folder_pk(tenant, f) for f in record.indexed_folders)]
        ids, last = deps.shares.member_ids(owners, limit, start)
        found = deps.shares.get_many(tenant, ids)
    return SharePage(items=[share.public() for share in found], next_cursor=cursors.next_after(deps, scope, last))


def update_share(deps: Deps, tenant: str, share_id: str, request: ShareUpdate) -> Share:
    moment = now()
    sent = request.model_fields_set
    if "expires_at" in sent:
        _future(request.expires_at, moment)
    for _ in range(WRITE_ATTEMPTS):
        share = _existing(deps, tenant, share_id)
        changes: dict[str, Any] = {name: getattr(request, name) for name in sent & {"note"}}
        if "expires_at" in sent:
            changes["expires_at"] = request.expires_at
        if "password" in sent:
            hashed = hash_password(request.password) if request.password is not None else None
            changes |= {"password_hash": hashed, "has_password": hashed is not None, "failures": 0}
            changes |= {"locked_until": None}
        changes["updated_at"] = after(share.updated_at)
        if deps.shares.update(share, changes, expected=share.updated_at):
            return share.model_copy(update=changes).public()
    raise Conflict(f"share {share_id} is being changed by other requests; retry")


def delete_share(deps: Deps, tenant: str, share_id: str) -> None:
    deps.shares.remove(_existing(deps, tenant, share_id))


def detach(deps: Deps, tenant: str, asset_id: str) -> None:
    """A purged asset leaves every share that names it; a share left with no asset is revoked."""
    while True:
        ids, _ = deps.shares.member_ids([asset_pk(tenant, asset_id)], 100, None)
        if not ids:
            return
        for share in deps.shares.get_many(tenant, ids):
            _without(deps, share, asset_id)
        for share_id in ids:
            deps.shares.drop_member(tenant, share_id, asset_id)


def _without(deps: Deps, share: ShareRecord, asset_id: str) -> None:
    for _ in range(WRITE_ATTEMPTS):
        left = [i for i in share.asset_ids or [] if i != asset_id]
        if not left:
            deps.shares.remove(share)
            return
        changes = {"asset_ids": left, "updated_at": after(share.updated_at)}
        if deps.shares.update(share, changes, expected=share.updated_at):
            return
        share = deps.shares.get(share.tenant, share.id)
        if share is None:
            return


# The public side: what a share's URL shows, to anyone who has it.


@dataclass(frozen=True)
class Visit:
    share: ShareRecord
    base: str
    """The share's URL, where its downloads are."""
    access: str | None
    """The `access` the visitor presented (a password share), passed on in every link."""

    def link(self, path: str = "") -> str:
        query = f"?access={self.access}" if self.access else ""
        return f"{self.base}{path}{query}"


def _access_signer(deps: Deps, share: ShareRecord) -> URLSafeTimedSerializer:
    """Signs `access` with the cursor secret, salted with the share and its password's hash: a new password
    ends every access given for the old one."""
    return URLSafeTimedSerializer(cursors.secret(deps), salt=f"share-access|{share.id}|{share.password_hash}")


def _granted(deps: Deps, share: ShareRecord, access: str | None) -> bool:
    if not access:
        return False
    try:
        return _access_signer(deps, share).loads(access, max_age=ACCESS_SECONDS) == share.id
    except BadData:
        return False


def _open(deps: Deps, token: str, *, used_up: bool = False) -> ShareRecord:
    """The share of a token, if it is still open: 404 when there is none (or its folder is gone), 410 when
    expired or (unless `used_up` is fine: a zip already counted) used up."""
    share = deps.shares.by_token(token_hash(token))
    if share is None or (share.folder_id is not None and deps.folders.get(share.tenant, share.folder_id) is None):
        raise NotFound("no such share")
    if share.expires_at is not None and share.expires_at <= now():
        raise Gone("this share has expired")
    if not used_up and share.max_downloads is not None and share.download_count >= share.max_downloads:
        raise Gone("this share has been downloaded as many times as it allows")
    return share


def visit(deps: Deps, token: str, base_url: str, access: str | None, *, used_up: bool = False) -> Visit:
    """An open share the visitor may see: 403 `password_required` without a valid `access`."""
    share = _open(deps, token, used_up=used_up)
    if share.password_hash is not None and not _granted(deps, share, access):
        raise PasswordRequired("this share needs its password: POST it to the share's /unlock")
    return Visit(share, f"{base_url}{SHARED_PATH}{token}", access if share.password_hash else None)


def unlock(deps: Deps, token: str, password: str) -> Access:
    """An `access` for a password share, when the password is right. Wrong guesses count on the share; after
    `GUESSES` in a row it checks nothing for `LOCK_SECONDS`."""
    share = _open(deps, token)
    moment = now()
    if share.locked_until is not None and share.locked_until > moment:
        wait = int((share.locked_until - moment).total_seconds()) + 1
        raise TooManyAttempts("too many wrong passwords; retry later", retry_after=wait)
    if share.password_hash is None:
        raise InvalidInput("this share has no password", field="password")
    if not password_matches(share.password_hash, password):
        failures = share.failures + 1
        locked = failures >= GUESSES
        changes: dict[str, Any] = {"failures": 0 if locked else failures}
        if locked:
            changes["locked_until"] = moment + timedelta(seconds=LOCK_SECONDS)
        deps.shares.update(share, changes)
        raise PasswordRequired("wrong password", field="password")
    if share.failures:
        deps.shares.update(share, {"failures": 0})
    return Access(
        access=_access_signer(deps, share).dumps(share.id), expires_at=moment + timedelta(seconds=ACCESS_SECONDS)
    )


def _shown(asset: Asset, moment: datetime) -> bool:
    return (
        asset.status == "ready"
        and (asset.available_from is None or asset.available_from <= moment)
        and (asset.available_until is None or moment < asset.available_until)
    )


def _shared(visit: Visit, asset: Asset) -> SharedAsset:
    dimensions = asset.metadata.dimensions
    small = next((r.url for r in asset.renditions if r.name == "small"), None)
    if asset.kind in WITHOUT_FILE:
        return SharedAsset(
            id=asset.id, kind=asset.kind, title=asset.title, alt=asset.alt, url=asset.url, embed_url=asset.embed_url
        )
    return SharedAsset(
        id=asset.id,
        kind=asset.kind,
        filename=asset.filename,
        title=asset.title,
        alt=asset.alt,
        content_type=asset.content_type,
        size=asset.size,
        width=dimensions.width if dimensions else None,
        height=dimensions.height if dimensions else None,
        thumbnail_url=small,
        download_url=visit.link(f"/assets/{asset.id}/download"),
    )


def contents(deps: Deps, visit: Visit, cursor: str | None) -> SharedPage:
    """The share's assets a visitor may see; a folder share's a page at a time."""
    share, moment = visit.share, now()
    next_cursor = None
    if share.asset_ids is not None:
        links = delivery.links(deps, share.tenant)
        records = deps.table.get_assets([asset_key(share.tenant, i) for i in share.asset_ids])
        assets = [links.asset(record) for record in records]
    else:
        query = listing.AssetQuery(folder_id=share.folder_id, recursive=True, status="ready")
        page = listing.list_assets(deps, share.tenant, query, FOLDER_PAGE, cursor)
        assets, next_cursor = page.items, page.next_cursor
    return SharedPage(
        note=share.note,
        expires_at=share.expires_at,
        assets=[_shared(visit, asset) for asset in assets if _shown(asset, moment)],
        next_cursor=next_cursor,
    )


def _in_share(share: ShareRecord, record: AssetRecord) -> bool:
    if share.asset_ids is not None:
        return record.id in share.asset_ids
    return share.folder_id in record.indexed_folders


def download(deps: Deps, visit: Visit, asset_id: str) -> DownloadLink:
    """A presigned GET of a shared asset's original, counted on the share (410 past `max_downloads`) and on
    the asset. An asset the share does not show is a 404, as a missing one."""
    share = visit.share
    record = deps.table.get_asset(share.tenant, asset_id)
    if record is None or not _in_share(share, record) or not delivery.available(record, now()):
        raise NotFound("no such asset in this share")
    with_file(record)
    if not deps.shares.count_download(share):
        raise Gone("this share has been downloaded as many times as it allows")
    deps.table.count_download(share.tenant, asset_id)
    key = schema.original_key(share.tenant, asset_id, record.original_revision or "")
    return presigned(deps, key, record.filename, record.content_type)


def export_all(deps: Deps, visit: Visit) -> ExportCreated:
    """ "Download all": a zip of what the share shows, made as any export is; it counts one download of the share
    (410 past `max_downloads`)."""
    share = visit.share
    if not deps.shares.count_download(share):
        raise Gone("this share has been downloaded as many times as it allows")
    record = exports.start(deps, share.tenant, asset_ids=share.asset_ids, folder_id=share.folder_id, share_id=share.id)
    return ExportCreated(id=record.id, status="pending")


def shared_export(deps: Deps, visit: Visit, export_id: str) -> Export:
    """An export this share made; any other is a 404."""
    record = deps.exports.get(visit.share.tenant, export_id)
    if record is None or record.share_id != visit.share.id:
        raise NotFound(f"export {export_id} not found")
    return exports.get(deps, visit.share.tenant, export_id)
