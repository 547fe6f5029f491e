"""Builds the CDK app for `app.py` and the tests alike: same stack, same cdk.json feature flags, same cdk-nag checks."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from aws_cdk import App, Aspects, Validations
from cdk_nag import AwsSolutionsChecks

from infra import names
from infra.architecture import OnArchitecture
from infra.runtime import ROOT
from infra.stack import AssetBackendStack

CDK_JSON = ROOT / "cdk.json"


def build(context: Mapping[str, Any] | None = None) -> tuple[App, AssetBackendStack]:
    """The app with cdk.json's context (feature flags) applied even without the CLI, plus `context`.

    Context from the CLI (`-c`, cdk.json) still takes precedence, as for any CDK app.
    """
    app = App(context={**json.loads(CDK_JSON.read_text())["context"], **(context or {})})
    if str(app.node.try_get_context(names.SKIP_BUNDLING_CONTEXT)).lower() == "true":
        app.node.set_context(names.BUNDLING_STACKS_CONTEXT, [])
    stack = AssetBackendStack(app, names.STACK)
    Aspects.of(app).add(OnArchitecture())
    Validations.of(app).add_plugins(AwsSolutionsChecks(app))
    return app, stack
