"""`assets`: the asset backend from a terminal or a script."""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, NoReturn

import httpx
from rich.console import Console
from rich.progress import (
    BarColumn,
    DownloadColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeRemainingColumn,
    TransferSpeedColumn,
)
from rich.table import Table

from assets_client import config
from assets_client._generated import AssetPage, ExportRequest, ShareRequest
from assets_client.client import Client
from assets_client.errors import ApiError
from assets_client.uploads import Cancelled, Outcome, Uploader, sha256_of

OK, FAILED, USAGE, AUTH, NOT_FOUND, UNREACHABLE, INTERRUPTED = 0, 1, 2, 3, 4, 5, 130
EXIT_CODES = f"""exit codes:
  {OK}    done
  {FAILED}    some items failed (upload, export), or the API refused the request
  {USAGE}    usage: bad arguments, no API URL configured, a path that does not exist
  {AUTH}    the API key is missing, unknown (401) or lacks the scope (403)
  {NOT_FOUND}    no such asset, folder, share or export (404)
  {UNREACHABLE}    the API could not be reached (after retries)
  {INTERRUPTED}  interrupted (Ctrl-C); in-flight uploads were aborted

settings: --api-url / --api-key, else ASSETS_API_URL / ASSETS_API_KEY, else {config.config_path()}
(api_url = "...", api_key = "..."; ASSETS_CONFIG names another file)."""
EVENTS_QUEUE = "asset-events-local"
"""The local stack's copy of every event of its bus (`make events` reads the same queue)."""
WAIT_TIMEOUT = 600.0


class Usage(Exception):
    """A usage error found after parsing: exit 2 with the message."""


class Cli:
    def __init__(self, args: argparse.Namespace):
        self.args = args
        self.json = args.json
        self.out = Console(highlight=False, soft_wrap=True)
        self.err = Console(stderr=True, highlight=False)
        try:
            settings = config.load(args.api_url, args.api_key)
        except ValueError as error:
            raise Usage(str(error)) from None
        if not settings.api_url:
            raise Usage("no API URL: set ASSETS_API_URL, pass --api-url or write api_url in the config file")
        self.client = Client(settings.api_url, settings.api_key)

    def emit(self, data: Any) -> None:
        print(json.dumps(data, indent=2, ensure_ascii=False))

    def progress(self, counting: bool = False) -> Progress:
        """Bars on standard error, on a terminal and without `--json`: of bytes, or of items when `counting`."""
        amounts = (MofNCompleteColumn(),) if counting else (DownloadColumn(), TransferSpeedColumn())
        return Progress(
            TextColumn("{task.description}", justify="left"),
            BarColumn(),
            *amounts,
            TimeRemainingColumn(),
            console=self.err,
            disable=self.json or not self.err.is_terminal,
        )

    # listing

    def ls(self) -> int:
        a = self.args
        query = {
            "folder_id": a.folder,
            "recursive": a.recursive or None,
            "kind": a.kind,
            "status": a.status,
            "content_type": a.content_type,
            "tag": a.tag or None,
            "q": getattr(a, "query", None),
            "sort": a.sort,
            "order": a.order,
            "created_after": a.created_after,
            "created_before": a.created_before,
            "updated_after": a.updated_after,
            "updated_before": a.updated_before,
        }
        if a.all:
            items = list(self.client.iterate(self.client.list_assets, limit=250, **query))
            page: AssetPage = {"items": items, "next_cursor": None}
        else:
            page = self.client.list_assets(limit=a.limit, cursor=a.cursor, **query)
        if self.json:
            self.emit(page)
            return OK
        for item in page["items"]:
            name = item.get("title") or item.get("filename") or item.get("url") or ""
            size = _size(item.get("size"))
            print(f"{item['id']}  {item['status']:<7}  {item['kind']:<14}  {size:>10}  {item['updated_at']}  {name}")
        if page.get("next_cursor"):
            self.err.print(f"more: --cursor {page['next_cursor']} (or --all)")
        return OK

    search = ls

    def get(self) -> int:
        asset = self.client.get_asset(self.args.id)
        if self.json:
            self.emit(asset)
            return OK
        table = Table(box=None, show_header=False)
        for field in ("id", "status", "kind", "filename", "title", "content_type", "size", "sha256", "tags"):
            value = asset.get(field)
            table.add_row(field, _size(value) if field == "size" else str(value if value is not None else ""))
        for field in ("folder_id", "version", "error", "url", "created_at", "updated_at"):
            if asset.get(field) is not None:
                table.add_row(field, str(asset.get(field)))
        self.out.print(table)
        return OK

    # changes

    def rm(self) -> int:
        self.client.delete_asset(self.args.id, permanent=self.args.permanent or None)
        return self._done({"id": self.args.id, "deleted": True, "permanent": self.args.permanent})

    def mv(self) -> int:
        folder = None if self.args.folder == "root" else self.args.folder
        asset = self.client.update_asset(self.args.id, {"folder_id": folder})
        return self._done(asset, f"{asset['id']} -> {asset.get('folder_id') or 'root'}")

    def tag(self) -> int:
        """Adds and removes tags with a compare-and-set on the asset's revision, again if another write won."""
        for _ in range(5):
            asset = self.client.get_asset(self.args.id)
            removed = {t.casefold() for t in self.args.remove}
            tags = [t for t in asset.get("tags", []) if t.casefold() not in removed]
            known = {t.casefold() for t in tags}
            tags += [t for t in dict.fromkeys(self.args.tags) if t.casefold() not in known | removed]
            try:
                updated = self.client.update_asset(self.args.id, {"tags": tags}, if_match=f'"{asset.get("revision")}"')
            except ApiError as error:
                if error.status == 412:
                    continue
                raise
            return self._done(updated, f"{updated['id']}: {', '.join(updated.get('tags', [])) or '(no tags)'}")
        raise ApiError(412, "precondition_failed", "the asset kept changing; try again", "If-Match")

    def share(self) -> int:
        a = self.args
        request: ShareRequest = {"asset_ids": a.ids} if a.ids else {}
        if a.folder:
            request["folder_id"] = a.folder
        for name in ("password", "expires_at", "max_downloads", "note"):
            if getattr(a, name) is not None:
                request[name] = getattr(a, name)  # type: ignore[literal-required]
        share = self.client.create_share(request)
        return self._done(share, share.get("url") or share["id"])

    def _done(self, data: Any, text: str | None = None) -> int:
        if self.json:
            self.emit(data)
        elif text:
            self.out.print(text)
        return OK

    # bytes out

    def download(self) -> int:
        asset = self.client.get_asset(self.args.id)
        link = self.client.download_asset(self.args.id, redirect=False)
        url = link["url"] if "url" in link else link["location"]
        target = self.args.output or asset.get("filename") or self.args.id
        size = self._save(url, target, asset.get("size"), asset.get("filename") or self.args.id)
        if target == "-":
            return OK
        return self._done({"id": asset["id"], "path": target, "size": size}, f"saved {target} ({_size(size)})")

    def _save(self, url: str, target: str, size: int | None, label: str) -> int:
        """Streams `url` to `target` (`-`: standard output); a file appears whole or not at all."""
        written = 0
        with self.progress() as progress, self.client.stream(url) as response:
            task = progress.add_task(label, total=size)
            if target == "-":
                for chunk in response.iter_bytes():
                    sys.stdout.buffer.write(chunk)
                    written += len(chunk)
                    progress.advance(task, len(chunk))
                sys.stdout.buffer.flush()
                return written
            path = Path(target)
            with tempfile.NamedTemporaryFile(dir=path.parent.resolve(), prefix=f".{path.name}.", delete=False) as tmp:
                try:
                    for chunk in response.iter_bytes():
                        tmp.write(chunk)
                        written += len(chunk)
                        progress.advance(task, len(chunk))
                except BaseException:
                    Path(tmp.name).unlink()
                    raise
            os.replace(tmp.name, path)
        return written

    def export(self) -> int:
        a = self.args
        if sum(bool(x) for x in (a.ids, a.folder, a.tag or a.query)) != 1:
            raise Usage("export: give asset ids, --folder, or --tag/--query (one of them)")
        request: ExportRequest
        if a.ids:
            request = {"asset_ids": a.ids}
        elif a.folder:
            request = {"folder_id": a.folder}
        else:
            request = {"query": {"tag": a.tag or [], **({"q": a.query} if a.query else {})}}
        export = self.client.get_export(self.client.create_export(request)["id"])
        with self.progress(counting=True) as progress:
            task = progress.add_task("export", total=None)
            while export["status"] in ("pending", "running"):
                time.sleep(1)
                export = self.client.get_export(export["id"])
                progress.update(task, completed=export["progress"]["done"], total=export["progress"]["total"] or None)
        if export["status"] != "ready" or not export.get("url"):
            if self.json:
                self.emit(export)
            else:
                self.err.print(f"export failed: {export.get('error')}")
            return FAILED
        target = a.output or f"export-{export['id']}.zip"
        self._save(str(export["url"]), target, export.get("size"), target)
        return self._done({**export, "path": target}, f"saved {target} ({_size(export.get('size'))})")

    # uploads

    def upload(self) -> int:
        files = list(_files(self.args.paths))
        cancel = threading.Event()
        uploader = Uploader(self.client, part_concurrency=self.args.concurrency, cancel=cancel)
        hashing: list[Future[Outcome]] = []
        sending: list[Future[Outcome]] = []
        interrupted = False
        with self.progress() as progress, ThreadPoolExecutor(self.args.concurrency, "upload") as pool:
            overall = progress.add_task("[bold]total", total=sum(f.stat().st_size for f in files))
            try:
                hashing = [pool.submit(self._hash, uploader, progress, f) for f in files]
                first: dict[str | None, Path] = {}
                for outcome in _gathered(hashing):
                    if outcome.status == "failed":
                        continue
                    if outcome.sha256 in first:
                        outcome.status, outcome.reason = "duplicate", f"same bytes as {first[outcome.sha256]}"
                        progress.advance(overall, outcome.size)
                        continue
                    first[outcome.sha256] = outcome.path
                    sending.append(pool.submit(self._send, uploader, progress, overall, outcome))
                _gathered(sending)
            except KeyboardInterrupt:
                interrupted = True
                signal.signal(signal.SIGINT, signal.SIG_IGN)  # let the in-flight uploads remove what they made
                cancel.set()
                self.err.print("interrupted: aborting the uploads in flight...")
                pool.shutdown(wait=True, cancel_futures=True)
        outcomes = [f.result() for f in hashing if f.done() and not f.cancelled()]
        by_sha = {o.sha256: o.asset for o in outcomes if o.asset}
        for outcome in outcomes:
            if outcome.status == "duplicate" and outcome.asset is None:
                outcome.asset = by_sha.get(outcome.sha256)
        self._summary(outcomes, files)
        if interrupted:
            return INTERRUPTED
        return FAILED if any(o.status == "failed" for o in outcomes) else OK

    def _hash(self, uploader: Uploader, progress: Progress, path: Path) -> Outcome:
        size = path.stat().st_size
        task = progress.add_task(f"hash {path.name}", total=size)
        try:
            digest = sha256_of(path, lambda n: progress.advance(task, n), uploader.cancel)
        except Cancelled:
            return Outcome(path, "cancelled", reason="interrupted", size=size)
        except OSError as error:
            return Outcome(path, "failed", reason=str(error), size=size)
        finally:
            progress.remove_task(task)
        return Outcome(path, "hashed", sha256=digest, size=size)

    def _send(self, uploader: Uploader, progress: Progress, overall: TaskID, outcome: Outcome) -> Outcome:
        task = progress.add_task(outcome.path.name, total=outcome.size)

        def advance(n: int) -> None:
            progress.advance(task, n)
            progress.advance(overall, n)

        try:
            status, asset = uploader.upload(
                outcome.path, outcome.sha256 or "", folder_id=self.args.folder, tags=self.args.tag, progress=advance
            )
            outcome.status, outcome.asset = status, asset
            if status == "duplicate":
                progress.advance(overall, outcome.size)
            elif self.args.wait:
                progress.update(task, description=f"{outcome.path.name} (processing)")
                outcome.asset = uploader.wait(asset["id"], self.args.timeout)
                if outcome.asset["status"] == "failed":
                    outcome.status, outcome.reason = "failed", outcome.asset.get("error") or "processing failed"
        except Cancelled:
            if outcome.status == "hashed":  # else it is up, and only the wait for its processing was cut short
                outcome.status, outcome.reason = "cancelled", "interrupted"
        except (ApiError, OSError, TimeoutError) as error:
            outcome.status, outcome.reason = "failed", str(error)
        finally:
            progress.remove_task(task)
        return outcome

    def _summary(self, outcomes: list[Outcome], files: list[Path]) -> None:
        groups: dict[str, list[dict[str, Any]]] = {"uploaded": [], "duplicate": [], "failed": [], "cancelled": []}
        for outcome in sorted(outcomes, key=lambda o: str(o.path)):
            if outcome.status not in groups:  # hashed, never sent
                continue
            entry = {"path": str(outcome.path), "size": outcome.size, "sha256": outcome.sha256}
            if outcome.asset:
                entry |= {"id": outcome.asset["id"], "status": outcome.asset["status"]}
            if outcome.reason:
                entry["reason"] = outcome.reason
            groups[outcome.status].append(entry)
        not_started = len(files) - sum(len(group) for group in groups.values())
        if self.json:
            self.emit(
                {
                    "uploaded": groups["uploaded"],
                    "duplicates": groups["duplicate"],
                    "failed": groups["failed"],
                    "cancelled": groups["cancelled"],
                    "not_started": not_started,
                }
            )
            return
        for entry in groups["uploaded"]:
            self.out.print(f"uploaded   {entry['path']} -> {entry.get('id')} ({entry.get('status')})")
        for entry in groups["duplicate"]:
            self.out.print(
                f"duplicate  {entry['path']} -> {entry.get('id')} ({entry.get('reason') or 'in the library'})"
            )
        for entry in groups["failed"] + groups["cancelled"]:
            self.err.print(
                f"[red]{'failed' if entry in groups['failed'] else 'cancelled'}[/]  {entry['path']}: {entry['reason']}"
            )
        self.out.print(
            f"{len(groups['uploaded'])} uploaded, {len(groups['duplicate'])} duplicates, {len(groups['failed'])} failed"
            + (f", {len(groups['cancelled']) + not_started} cancelled" if groups["cancelled"] or not_started else "")
        )

    # changes over time

    def watch(self) -> int:
        events = self._queue_events() if self.args.local is not None else self._polled_changes()
        for event in events:
            if self.json:
                print(json.dumps(event, ensure_ascii=False), flush=True)
            else:
                detail = event.get("detail", event)
                asset = detail.get("asset", detail)
                self.out.print(
                    f"{event.get('time') or asset.get('updated_at', '')}  {event.get('detail-type', 'asset.changed')}"
                    f"  {asset.get('id', '')}  {asset.get('status', '')}  {asset.get('filename') or ''}"
                )
        return OK

    def _polled_changes(self) -> Iterator[dict[str, Any]]:
        """Assets as they change: the listing sorted by update time, from the newest one seen on."""
        newest = self.client.list_assets(sort="updated_at", order="desc", limit=1)["items"]
        since = newest[0]["updated_at"] if newest else datetime.now(UTC).isoformat().replace("+00:00", "Z")
        while True:
            for asset in self.client.iterate(
                self.client.list_assets, sort="updated_at", order="asc", updated_after=since, limit=250
            ):
                since = asset["updated_at"]
                yield dict(asset)
            if self.args.once:
                return
            time.sleep(self.args.interval)

    def _queue_events(self) -> Iterator[dict[str, Any]]:
        """The local stack's events, from its queue on the emulator (SQS's JSON protocol; the emulator takes any
        signature)."""
        endpoint = self.args.local or f"http://127.0.0.1:{os.environ.get('EMULATOR_PORT', '5055')}"
        with httpx.Client(base_url=endpoint, timeout=30) as sqs:

            def call(action: str, body: dict[str, Any]) -> dict[str, Any]:
                response = sqs.post(
                    "/",
                    json=body,
                    headers={
                        "X-Amz-Target": f"AmazonSQS.{action}",
                        "Content-Type": "application/x-amz-json-1.0",
                        "Authorization": "AWS4-HMAC-SHA256 Credential=local/20260101/us-east-1/sqs/aws4_request, "
                        "SignedHeaders=host, Signature=local",
                    },
                )
                if response.status_code != 200:
                    raise ApiError.from_response(response)
                return response.json()

            try:
                queue = call("GetQueueUrl", {"QueueName": EVENTS_QUEUE})["QueueUrl"]
            except httpx.TransportError as error:
                raise ApiError.from_transport(error) from error
            while True:
                wait_seconds = 0 if self.args.once else 10
                messages = call(
                    "ReceiveMessage", {"QueueUrl": queue, "MaxNumberOfMessages": 10, "WaitTimeSeconds": wait_seconds}
                ).get("Messages", [])
                for message in messages:
                    yield json.loads(message["Body"])
                    call("DeleteMessage", {"QueueUrl": queue, "ReceiptHandle": message["ReceiptHandle"]})
                if self.args.once and not messages:
                    return


def _gathered(futures: list[Future[Outcome]]) -> list[Outcome]:
    """The futures' results, waited for in short steps so that Ctrl-C reaches the main thread."""
    pending = set(futures)
    while pending:
        _, pending = wait(pending, timeout=0.2, return_when=FIRST_COMPLETED)
    return [f.result() for f in futures]


def _files(paths: list[str]) -> Iterator[Path]:
    """Each file named, and every file under each directory named (sorted)."""
    for name in paths:
        path = Path(name)
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*") if p.is_file())
        elif path.is_file():
            yield path
        else:
            raise Usage(f"{name}: no such file or directory")


def _size(value: Any) -> str:
    if not isinstance(value, int):
        return ""
    size = float(value)
    for unit in ("B", "KiB", "MiB", "GiB"):
        if size < 1024 or unit == "GiB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return str(value)


def parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--json", action="store_true", default=argparse.SUPPRESS, help="machine-readable output")
    common.add_argument("--api-url", default=argparse.SUPPRESS, help="the API's base URL (ASSETS_API_URL)")
    common.add_argument("--api-key", default=argparse.SUPPRESS, help="the API key (ASSETS_API_KEY)")
    main = argparse.ArgumentParser(
        prog="assets",
        description="Upload, list, fetch and manage the assets of an asset backend.",
        epilog=EXIT_CODES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        parents=[common],
    )
    sub = main.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name: str, text: str) -> argparse.ArgumentParser:
        return sub.add_parser(
            name,
            help=text,
            description=text,
            parents=[common],
            epilog=EXIT_CODES,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )

    up = command("upload", "upload files and directories (duplicates of what the library holds are not sent)")
    up.add_argument("paths", nargs="+", metavar="PATH")
    up.add_argument("--folder", help="folder id to upload into")
    up.add_argument("--tag", action="append", default=[], help="a tag for every file (repeat it)")
    up.add_argument("--concurrency", type=_positive, default=4, help="files (and parts of a large file) at once")
    up.add_argument("--wait", action="store_true", help="wait until each asset is ready (or failed)")
    up.add_argument("--timeout", type=float, default=WAIT_TIMEOUT, help="seconds --wait waits per file")

    for name, text in (("ls", "list assets"), ("search", "find assets by keywords")):
        listing = command(name, text)
        if name == "search":
            listing.add_argument("query", metavar="QUERY")
        listing.add_argument("--folder", help="a folder id, or root")
        listing.add_argument("--recursive", action="store_true", help="the folder's whole subtree")
        listing.add_argument("--kind")
        listing.add_argument("--status", choices=("pending", "ready", "failed"))
        listing.add_argument("--content-type")
        listing.add_argument("--tag", action="append", default=[], help="every one must be on the asset")
        listing.add_argument(
            "--sort", choices=("created_at", "updated_at", "title", "filename", "size", "download_count")
        )
        listing.add_argument("--order", choices=("asc", "desc"))
        for bound in ("created_after", "created_before", "updated_after", "updated_before"):
            listing.add_argument(f"--{bound.replace('_', '-')}", dest=bound, metavar="TIME")
        listing.add_argument("--limit", type=_positive, default=50)
        listing.add_argument("--cursor")
        listing.add_argument("--all", action="store_true", help="every page")

    command("get", "show an asset").add_argument("id")
    dl = command("download", "download an asset's original file")
    dl.add_argument("id")
    dl.add_argument("-o", "--output", help="file to write, - for standard output (default: its file name)")
    rm = command("rm", "delete an asset (to the trash)")
    rm.add_argument("id")
    rm.add_argument("--permanent", action="store_true", help="delete for good, not to the trash")
    mv = command("mv", "move an asset into a folder")
    mv.add_argument("id")
    mv.add_argument("--folder", required=True, help="folder id, or root")
    tag = command("tag", "add (and remove) tags of an asset")
    tag.add_argument("id")
    tag.add_argument("tags", nargs="*", metavar="TAG")
    tag.add_argument("--remove", action="append", default=[], metavar="TAG")
    share = command("share", "share assets (or a folder) by a link")
    share.add_argument("ids", nargs="*", metavar="ID")
    share.add_argument("--folder")
    share.add_argument("--password")
    share.add_argument("--expires-at", metavar="TIME")
    share.add_argument("--max-downloads", type=_positive)
    share.add_argument("--note")
    export = command("export", "make a zip of assets, wait for it and download it")
    export.add_argument("ids", nargs="*", metavar="ID")
    export.add_argument("--folder", help="a folder's whole subtree")
    export.add_argument("--tag", action="append", default=[], help="assets with these tags")
    export.add_argument("--query", help="assets matching these keywords")
    export.add_argument("-o", "--output", help="the zip to write (default: export-<id>.zip)")
    watch = command("watch", "print assets as they change (polling), or the local stack's events")
    watch.add_argument("--interval", type=float, default=2.0, help="seconds between polls")
    watch.add_argument(
        "--local",
        nargs="?",
        const="",
        metavar="EMULATOR_URL",
        help="read the local stack's event queue (make dev's emulator, EMULATOR_PORT) instead",
    )
    watch.add_argument("--once", action="store_true", help="print what there is now and stop")
    return main


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def _fail(cli_json: bool, code: int, error: dict[str, Any]) -> NoReturn:
    if cli_json:
        print(json.dumps(error), file=sys.stderr)
    else:
        Console(stderr=True, highlight=False).print(
            f"[red]error[/]: {error['message']}"
            + (f" ({error['error']}, field {error['field']})" if error.get("field") else f" ({error['error']})")
        )
    sys.exit(code)


def main(argv: list[str] | None = None) -> NoReturn:
    args = parser().parse_args(argv)
    for name in ("json", "api_url", "api_key"):
        setattr(args, name, getattr(args, name, None if name != "json" else False))
    try:
        cli = Cli(args)
        with cli.client:
            run: Callable[[], int] = getattr(cli, args.command)
            sys.exit(run())
    except Usage as error:
        _fail(args.json, USAGE, {"error": "usage", "message": str(error), "field": None})
    except ApiError as error:
        code = {401: AUTH, 403: AUTH, 404: NOT_FOUND, None: UNREACHABLE}.get(error.status, FAILED)
        _fail(
            args.json,
            code,
            {"status": error.status, "error": error.error, "message": error.message, "field": error.field},
        )
    except KeyboardInterrupt:
        sys.exit(INTERRUPTED)
    except BrokenPipeError:
        sys.exit(OK)
