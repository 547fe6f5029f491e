"""`Idempotency-Key` on every POST: a retried request is answered once, a reused key with another is a 409."""

from __future__ import annotations

import pytest

from tests.integration.conftest import Stack
from tests.integration.test_listing import everything

UPLOAD = {"filename": "a.png", "content_type": "image/png", "size": 1}


def post(stack: Stack, route: str, body: dict, key: str | None, tenant: str = "acme", **call) -> tuple[int, dict]:
    headers = {"Idempotency-Key": key} if key is not None else None
    status, answer, _ = stack.call(route, body=body, headers=headers, tenant=tenant, **call)
    return status, answer


def test_the_same_upload_sent_again_is_answered_once(stack: Stack) -> None:
    first = post(stack, "create_upload", UPLOAD, "k-1")
    again = post(stack, "create_upload", UPLOAD, "k-1")

    assert first[0] == again[0] == 201
    assert again[1]["asset"] == first[1]["asset"]
    assert len(everything(stack)) == 1


def test_a_key_used_with_another_request_is_409(stack: Stack) -> None:
    post(stack, "create_upload", UPLOAD, "k-1")
    status, error = post(stack, "create_upload", {**UPLOAD, "size": 2}, "k-1")
    assert (status, error["error"], error["field"]) == (409, "idempotency_conflict", "Idempotency-Key")
    status, error = post(stack, "create_folder", {"name": "Brand"}, "k-1")
    assert (status, error["error"]) == (409, "idempotency_conflict")
    assert len(everything(stack)) == 1


def test_keys_belong_to_their_tenant(stack: Stack) -> None:
    mine = post(stack, "create_upload", UPLOAD, "shared")
    theirs = post(stack, "create_upload", UPLOAD, "shared", tenant="globex")
    assert (mine[0], theirs[0]) == (201, 201)
    assert mine[1]["asset"]["id"] != theirs[1]["asset"]["id"]


def test_a_refused_request_is_not_kept(stack: Stack) -> None:
    status, _ = post(stack, "create_upload", {**UPLOAD, "size": "1"}, "k-2")
    assert status == 400
    status, _ = post(stack, "create_upload", UPLOAD, "k-2")
    assert status == 201


def test_without_a_key_every_request_is_done(stack: Stack) -> None:
    post(stack, "create_upload", UPLOAD, None)
    post(stack, "create_upload", UPLOAD, None)
    assert len(everything(stack)) == 2


@pytest.mark.parametrize("key", ["", "x" * 256, "has space", "tab\there"])
def test_a_malformed_key_is_400_naming_it(stack: Stack, key: str) -> None:
    status, error = post(stack, "create_upload", UPLOAD, key)
    assert (status, error["field"]) == (400, "Idempotency-Key")


def test_folders_and_copies_are_idempotent_too(stack: Stack) -> None:
    folder = post(stack, "create_folder", {"name": "Brand"}, "f-1")
    assert post(stack, "create_folder", {"name": "Brand"}, "f-1") == folder  # not a 409 for the same name

    from tests import files

    asset = stack.upload(files.jpeg())
    stack.drain()
    path = {"asset_id": asset["id"]}
    copy = post(stack, "copy_asset", {}, "c-1", path_params=path)
    assert post(stack, "copy_asset", {}, "c-1", path_params=path) == copy
    assert copy[0] == 201
    assert len(everything(stack)) == 2
