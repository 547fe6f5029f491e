"""The functions: one per route plus authorizer and processor, their code asset, settings and layer."""

from __future__ import annotations

import importlib
import json
import subprocess
from pathlib import Path

from aws_cdk import App, Stack
from aws_cdk.assertions import Template

from functions import schema
from functions.routes import ROUTES
from functions.settings import Settings
from infra import layer as layer_module
from infra.runtime import ROOT

OTHERS = {
    "functions.authorize.handler",
    "functions.process_upload.handler",
    "functions.run_folder_job.handler",
    "functions.run_export.handler",
    "functions.forget_expired.handler",
    "functions.publish_events.handler",
    "functions.deliver.handler",
    "functions.make_signing_key.handler",
    "functions.fan_out_webhooks.handler",
    "functions.deliver_webhooks.handler",
}
LONG_RUNNING = {
    "functions.process_upload.handler",
    "functions.run_folder_job.handler",
    "functions.run_export.handler",
    "functions.fan_out_webhooks.handler",
    "functions.deliver_webhooks.handler",
}
"""Queue consumers, sized in their own tests (test_processing, test_folder_jobs, test_exports, test_webhooks)."""
PUBLISHER_SIZE = (256, 60)
"""Its batch's PutEvents calls may each wait out the SDK's retries while the bus is struggling."""
DELIVERY_SIZE = (2048, 30)
"""Decoding and encoding images: memory buys CPU in Lambda."""
PARSERS = {"functions.process_upload.handler", "functions.deliver.handler", "functions.make_signing_key.handler"}
"""The functions with the processing layer: those that decode files (Pillow, PDFium...) or sign with RSA
(cryptography)."""


def test_one_function_per_route_plus_authorizer_and_queue_consumers(synth):
    route_handlers = {f"{route.module}.handler" for route in ROUTES}
    assert len(route_handlers) == len(ROUTES)
    assert set(synth.functions()) == route_handlers | OTHERS


def test_every_handler_imports():
    for handler in {f"{route.module}.handler" for route in ROUTES} | OTHERS:
        module, _, attribute = handler.rpartition(".")
        assert callable(getattr(importlib.import_module(module), attribute)), handler


def test_runtime_and_sizes(synth):
    for handler, lid in synth.functions().items():
        properties = synth.resources[lid]["Properties"]
        assert properties["Runtime"] == "python3.13", handler
        assert properties["Architectures"] == ["arm64"], handler
        size = (properties["MemorySize"], properties["Timeout"])
        if handler == "functions.publish_events.handler":
            assert size == PUBLISHER_SIZE
        elif handler == "functions.deliver.handler":
            assert size == DELIVERY_SIZE
        elif handler not in LONG_RUNNING:
            assert size == (256, 10), handler


def test_logs_are_kept_a_month(synth):
    for handler, lid in synth.functions().items():
        log_group = synth.resources[lid]["Properties"]["LoggingConfig"]["LogGroup"]["Ref"]
        assert synth.resources[log_group]["Properties"]["RetentionInDays"] == 30, handler


def test_settings_point_at_the_stack_resources(synth):
    storage, bus = synth.stack.storage, synth.stack.events.bus
    for handler, lid in synth.functions().items():
        variables = synth.resources[lid]["Properties"]["Environment"]["Variables"]
        own = set(schema.EXPORT_WORKER_ENVIRONMENT) if handler == "functions.run_export.handler" else set()
        assert (
            set(variables)
            == set(Settings().to_env()) | {"POWERTOOLS_SERVICE_NAME", "POWERTOOLS_METRICS_NAMESPACE"} | own
        )
        assert variables["TABLE_NAME"] == {"Ref": synth.logical_id(storage.table)}, handler
        assert variables["BUCKET_NAME"] == {"Ref": synth.logical_id(storage.bucket)}, handler
        assert variables["EVENT_BUS_NAME"] == {"Ref": synth.logical_id(bus)}, handler
        assert variables["CURSOR_SECRET"] == {"Ref": synth.logical_id(synth.stack.cursors.secret)}, handler
        assert variables["POWERTOOLS_SERVICE_NAME"] == "assets", handler
        assert variables["TRACING"] == "True", handler  # functions/tracing.py: Powertools' Tracer on


def test_every_function_has_the_core_layer_and_only_the_decoders_the_parsers(synth):
    layers = {
        synth.resources[lid]["Properties"]["Description"]: lid for lid in synth.of_type("AWS::Lambda::LayerVersion")
    }
    core = layers["Third-party dependencies of the asset backend functions (requirements.txt)."]
    parsers = layers["Third-party dependencies of the asset backend functions (requirements-processing.txt)."]
    for lid in layers.values():
        assert synth.resources[lid]["Properties"]["CompatibleRuntimes"] == ["python3.13"]
        assert synth.resources[lid]["Properties"]["CompatibleArchitectures"] == ["arm64"]
    for handler, lid in synth.functions().items():
        expected = [core, parsers] if handler in PARSERS else [core]
        assert synth.resources[lid]["Properties"]["Layers"] == [{"Ref": ref} for ref in expected], handler


def test_code_asset_is_the_functions_package_only(synth):
    keys = {json.dumps(synth.resources[lid]["Properties"]["Code"]["S3Key"]) for lid in synth.functions().values()}
    (key,) = keys
    asset = synth.outdir / f"asset.{json.loads(key).removesuffix('.zip')}"
    shipped = {p.relative_to(asset) for p in asset.rglob("*") if p.is_file()}
    sources = [*(ROOT / "functions").rglob("*.py"), *(ROOT / "functions" / "templates").iterdir()]
    expected = {p.relative_to(ROOT) for p in sources}
    assert shipped == expected  # the share page's templates included


def test_pip_builds_for_the_lambda_platform():
    command = layer_module.pip_command("/out")
    assert command[1:4] == ["-m", "pip", "install"]
    for option in (
        "--platform=manylinux2014_aarch64",
        "--platform=manylinux_2_28_aarch64",
        "--require-hashes",
        "--only-binary=:all:",
        "--implementation=cp",
        "--python-version=3.13",
        "--requirement=requirements.lock",
        "--target=/out/python",
    ):
        assert option in command
    assert not any("x86_64" in option for option in command)


def test_layer_is_bundled_locally_by_pip(monkeypatch, tmp_path):
    """CDK calls our ILocalBundling through jsii (no Docker); pip is faked here, so no network."""
    calls = []

    def fake_pip(command, check, cwd=None, **kwargs):
        calls.append(command)
        if "pip" in command:
            target = Path(command[-1].removeprefix("--target="))
            target.mkdir(parents=True)
            (target / "installed.txt").write_text("ok")
        return subprocess.CompletedProcess(command, returncode=1, stdout="", stderr="not here")

    monkeypatch.setattr(layer_module.subprocess, "run", fake_pip)
    app = App(outdir=str(tmp_path))
    stack = Stack(app, "LayerOnly")
    layer_module.DependenciesLayer(stack, "Layer")
    template = Template.from_stack(stack).to_json()
    (layer,) = template["Resources"].values()
    asset = tmp_path / f"asset.{layer['Properties']['Content']['S3Key'].removesuffix('.zip')}"
    assert "pip" in calls[0]
    assert calls[0][-1].endswith("/python")
    assert not any("compileall" in call for call in calls)  # no working python3.13: no bytecode
    assert (asset / "python" / "installed.txt").read_text() == "ok"


def test_layer_bytecode_is_compiled_by_the_runtime_python(monkeypatch, tmp_path):
    calls = []

    def fake_run(command, check, **kwargs):
        calls.append(command)
        return subprocess.CompletedProcess(command, returncode=0, stdout=f"{layer_module.PYTHON_VERSION}\n")

    monkeypatch.setattr(layer_module.shutil, "which", lambda name: f"/usr/bin/{name}")
    monkeypatch.setattr(layer_module.subprocess, "run", fake_run)
    layer_module.compile_bytecode(tmp_path)
    python = f"python{layer_module.PYTHON_VERSION}"
    assert calls[-1] == [
        python,
        "-m",
        "compileall",
        "-q",
        "-j",
        "0",
        "--invalidation-mode",
        "unchecked-hash",
        "-d",
        "/opt/python",
        str(tmp_path),
    ]
