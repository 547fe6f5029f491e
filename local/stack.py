"""`make dev`: the emulator (moto server), the resources, the gateway, the queue and stream readers and TTL, on
loopback."""

from __future__ import annotations

import argparse
import logging
import os
import signal
import threading
from collections.abc import Callable, Iterable
from typing import Any

from functions.settings import Settings

HOST = "127.0.0.1"
GATEWAY_PORT = 8000
EMULATOR_PORT = 5055
DEV_TENANT = "dev"
DEV_TIER = "partner"
"""The tier of the key `make dev` prints (`DEV_TIER` to choose another of `cdk.json`'s tiers): the highest, so that
the e2e tests and schemathesis, which send requests as fast as the stack answers, are not throttled. A key of
another tenant made with `make key TIER=standard` meets the standard limits."""
SETTINGS = Settings(
    table_name="assets",
    bucket_name="assets-local",
    event_bus_name="assets",
    parallel_read_bytes=Settings.max_hashed_bytes,
    cors_allow_origin=os.environ.get("CORS_ALLOW_ORIGIN", Settings.cors_allow_origin),
)
"""The stack's settings, `CORS_ALLOW_ORIGIN` from the environment, but for one: the emulator answers each ranged
GET by reading the whole object, so the processor reads every file as one stream here (a 1 GiB original:
seconds, not a minute). The parallel ranged reads are exercised by tests/integration/test_large_files.py."""


def local_environment(emulator_port: int) -> dict[str, str]:
    """What the handlers see locally: the emulator as every AWS endpoint, and the stack's settings."""
    return {
        **SETTINGS.to_env(),
        "AWS_ENDPOINT_URL": f"http://{HOST}:{emulator_port}",
        "AWS_ACCESS_KEY_ID": "local",
        "AWS_SECRET_ACCESS_KEY": "local",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_REGION": "us-east-1",
        "POWERTOOLS_SERVICE_NAME": "assets",
        "POWERTOOLS_METRICS_NAMESPACE": "Assets",
        "POWERTOOLS_LOG_LEVEL": os.environ.get("POWERTOOLS_LOG_LEVEL", "WARNING"),
    }


class OneTableRequestAtATime:
    """moto's DynamoDB is not thread-safe (a transaction copies the table and may put the copy back): the
    emulator serves one DynamoDB (and DynamoDB Streams) request at a time, holding `EMULATOR_TABLES`."""

    def __init__(self, app: Callable[..., Iterable[bytes]], lock: threading.Lock):
        self.app = app
        self.lock = lock

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if not environ.get("HTTP_X_AMZ_TARGET", "").startswith("DynamoDB"):
            return self.app(environ, start_response)
        with self.lock:
            return list(self.app(environ, start_response))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", GATEWAY_PORT)))
    parser.add_argument("--emulator-port", type=int, default=int(os.environ.get("EMULATOR_PORT", EMULATOR_PORT)))
    args = parser.parse_args(argv)
    from infra.tiers import from_cdk_json

    tier = os.environ.get("DEV_TIER", DEV_TIER)
    if tier not in from_cdk_json():
        parser.error(f"DEV_TIER={tier} is not one of cdk.json's tiers: {', '.join(from_cdk_json())}")
    os.environ.update(local_environment(args.emulator_port))
    os.environ["DELIVERY_URL"] = f"http://{HOST}:{args.port}/cdn"  # local.gateway.CDN_PATH
    os.environ["MOTO_DISABLE_GLOBAL_CORS"] = "true"  # read when moto is imported; BucketCors answers CORS
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    for noisy in ("werkzeug", "botocore", "urllib3"):
        logging.getLogger(noisy).setLevel(logging.WARNING)

    from moto.moto_server.werkzeug_app import DomainDispatcherApplication, MotoRequestHandler, create_backend_app
    from werkzeug.serving import make_server

    from functions.adapters.table import Table
    from functions.routes import ROUTES, SCOPES
    from functions.services import keys
    from local.expiry import Expiry
    from local.gateway import AUTHORIZER, DELIVERY, Gateway
    from local.lambda_runtime import Functions
    from local.provision import provision
    from local.s3_cors import BucketCors, moto_rules
    from local.s3_policy import PolicyCheck
    from local.streams import EMULATOR_TABLES, StreamReader
    from local.worker import EXPORTS, FOLDER_JOBS, PROCESSOR, Worker

    # moto's own server (what ThreadedMotoServer runs), behind the bucket's CORS rules and the POST policy
    # check, which S3 applies and moto doesn't
    emulator_app = BucketCors(
        PolicyCheck(
            OneTableRequestAtATime(DomainDispatcherApplication(create_backend_app), EMULATOR_TABLES),
            secrets={os.environ["AWS_ACCESS_KEY_ID"]: os.environ["AWS_SECRET_ACCESS_KEY"]},
        ),
        moto_rules,
    )
    emulator = make_server(HOST, args.emulator_port, emulator_app, threaded=True, request_handler=MotoRequestHandler)
    emulator_thread = threading.Thread(target=emulator.serve_forever, name="emulator", daemon=True)
    emulator_thread.start()
    resources = provision(SETTINGS)
    os.environ["JOBS_QUEUE_URL"] = resources.jobs_queue_url
    os.environ["EXPORTS_QUEUE_URL"] = resources.exports_queue_url
    key = keys.create_key(
        Table(SETTINGS.table_name),
        DEV_TENANT,
        list(SCOPES),
        key=os.environ.get("DEV_API_KEY"),
        label="make dev",
        tier=tier,
    )
    functions = Functions()
    stream = StreamReader(SETTINGS.table_name, functions)
    functions.load(
        AUTHORIZER, DELIVERY, PROCESSOR, FOLDER_JOBS, EXPORTS, *stream.modules, *(route.module for route in ROUTES)
    )
    workers = [
        Worker(resources.upload_queue_url, functions),
        Worker(resources.jobs_queue_url, functions, batch_size=1, module=FOLDER_JOBS),
        Worker(resources.exports_queue_url, functions, batch_size=1, module=EXPORTS),
        stream,
        Expiry(SETTINGS.table_name, stream),
    ]
    for worker in workers:
        worker.start()
    server = make_server(HOST, args.port, Gateway(functions), threaded=True)

    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    threading.Thread(target=server.serve_forever, name="gateway", daemon=True).start()

    base = f"http://{HOST}:{args.port}"
    print(f"Local asset backend on {base}  (Swagger UI: {base}/docs, emulator: {os.environ['AWS_ENDPOINT_URL']})")
    print(f"Delivery (the CDN's paths): {os.environ['DELIVERY_URL']}  CORS origins: {SETTINGS.cors_allow_origin}")
    print(f"Dev API key for tenant '{DEV_TENANT}' ({tier} tier, every scope):")
    print(f"  export API={base} KEY={key}", flush=True)
    stop.wait()
    server.shutdown()
    for worker in workers:
        worker.stopping.set()
    emulator.shutdown()
    emulator_thread.join()


if __name__ == "__main__":
    main()
