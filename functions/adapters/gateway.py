"""API Gateway: the stage's authorizer cache, flushed when a key is revoked, and the tenants' API keys in the
usage plans of their tiers (made by `make key --aws` for a tenant's first key)."""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

from functions.adapters import clients
from functions.adapters.aws_errors import error_code, translated
from functions.errors import TransientError


class AuthorizerCache:
    def __init__(self, rest_api_id: str, stage: str, client: Any = None):
        self.rest_api_id = rest_api_id
        self.stage = stage
        self._client = client

    def flush(self) -> None:
        """Forget every cached authorizer answer of the stage (FlushStageAuthorizersCache), so that a revoked key
        is asked about again. Without an API (locally nothing is cached) there is nothing to flush. Any failure
        is a `TransientError` (the cache's TTL bounds how long a revoked key keeps working then)."""
        if not self.rest_api_id:
            return
        try:
            with translated():
                (self._client or clients.get("apigateway")).flush_stage_authorizers_cache(
                    restApiId=self.rest_api_id, stageName=self.stage
                )
        except ClientError as error:
            raise TransientError(f"{error_code(error)} from API Gateway") from error


class UsagePlans:
    """The tenants' API Gateway API keys (their usage identifiers), each in the usage plan of its tier."""

    def __init__(self, client: Any = None):
        self._client = client

    @property
    def client(self) -> Any:
        return self._client or clients.get("apigateway")

    def plan_id(self, name: str) -> str:
        """The id of the usage plan named `name` (the stack names one per tier)."""
        with translated():
            for page in self.client.get_paginator("get_usage_plans").paginate():
                for plan in page.get("items", []):
                    if plan["name"] == name:
                        return plan["id"]
        raise ValueError(f"no usage plan named {name!r}: is the stack deployed with that tier?")

    def issue(self, plan_name: str, key_name: str, value: str) -> str:
        """An enabled API key of that value in the plan; its id."""
        plan = self.plan_id(plan_name)
        with translated():
            created = self.client.create_api_key(name=key_name, value=value, enabled=True)
            self.client.create_usage_plan_key(usagePlanId=plan, keyId=created["id"], keyType="API_KEY")
        return created["id"]

    def move(self, key_id: str, from_plan: str, to_plan: str) -> None:
        """The API key out of one usage plan and into another (a key is in one plan per stage): between the two
        calls, a fraction of a second, the tenant's requests are refused (403)."""
        old, new = self.plan_id(from_plan), self.plan_id(to_plan)
        with translated():
            self.client.delete_usage_plan_key(usagePlanId=old, keyId=key_id)
            self.client.create_usage_plan_key(usagePlanId=new, keyId=key_id, keyType="API_KEY")
