"""DynamoDB access to webhooks (see `functions.schema`):

- an endpoint: pk `T#{tenant}#WH`, sk `WH#{id}` (ids are time-ordered: a Query lists the newest first, and the
  fan-out reads every endpoint of a tenant with one Query);
- a delivery of an event to it: pk `T#{tenant}#WH#{webhook id}`, sk `DLV#{delivery id}` (time-ordered), with its
  attempts, removed by the table's TTL 30 days after it was made.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from functions import schema
from functions.adapters.aws_errors import translated
from functions.adapters.items import deserialize, serialize, serialize_value, set_or_remove, stored_value
from functions.adapters.table import Table
from functions.models.webhooks import Attempt, DeliveryRecord, WebhookRecord


def webhooks_pk(tenant: str) -> str:
    return f"T#{tenant}#WH"


def deliveries_pk(tenant: str, webhook_id: str) -> str:
    return f"T#{tenant}#WH#{webhook_id}"


def webhook_key(tenant: str, webhook_id: str) -> dict[str, Any]:
    return {
        schema.PARTITION_KEY: {"S": webhooks_pk(tenant)},
        schema.SORT_KEY: {"S": schema.webhook_sk(webhook_id)},
    }


def delivery_key(tenant: str, webhook_id: str, delivery_id: str) -> dict[str, Any]:
    return {
        schema.PARTITION_KEY: {"S": deliveries_pk(tenant, webhook_id)},
        schema.SORT_KEY: {"S": schema.delivery_sk(delivery_id)},
    }


def webhook_record(item: dict[str, Any]) -> WebhookRecord:
    values = deserialize(item)
    for key in (schema.PARTITION_KEY, schema.SORT_KEY):
        values.pop(key, None)
    return WebhookRecord.model_validate(values)


def _delivery(item: dict[str, Any]) -> DeliveryRecord:
    values = deserialize(item)
    for key in (schema.PARTITION_KEY, schema.SORT_KEY, schema.TTL_ATTRIBUTE, "attempt_count"):
        values.pop(key, None)
    return DeliveryRecord.model_validate(values)


class Webhooks:
    def __init__(self, table: Table):
        self.table = table

    # Endpoints.

    def add(self, webhook: WebhookRecord) -> None:
        item = serialize(webhook.model_dump(mode="json")) | webhook_key(webhook.tenant, webhook.id)
        with translated():
            self.table.client.put_item(TableName=self.table.name, Item=item)

    def get(self, tenant: str, webhook_id: str) -> WebhookRecord | None:
        with translated():
            item = self.table.client.get_item(
                TableName=self.table.name, Key=webhook_key(tenant, webhook_id), ConsistentRead=True
            ).get("Item")
        return webhook_record(item) if item else None

    def page(self, tenant: str, limit: int, after: str | None) -> tuple[list[WebhookRecord], str | None]:
        """Up to `limit` endpoints, the newest first, after the id `after`; and the id to go on from."""
        start = webhook_key(tenant, after) if after else None
        items, last = self.table.newest_first(webhooks_pk(tenant), limit=limit, start=start)
        following = last[schema.SORT_KEY]["S"].removeprefix(schema.WEBHOOK_SK_PREFIX) if last else None
        return [webhook_record(item) for item in items], following

    def every(self, tenant: str) -> list[WebhookRecord]:
        """Every endpoint of the tenant: one Query (a page holds about a thousand; more pages past that)."""
        found: list[WebhookRecord] = []
        start = None
        while True:
            items, start = self.table.newest_first(webhooks_pk(tenant), start=start)
            found.extend(map(webhook_record, items))
            if start is None:
                return found

    def update(self, webhook: WebhookRecord, changes: dict[str, Any], expected: dict[str, Any]) -> bool:
        """Set (or, for None, remove) attributes if the endpoint is still there and each attribute of `expected`
        still has that value (None: is absent); False if not."""
        expression, names, values = set_or_remove({key: stored_value(value) for key, value in changes.items()})
        conditions = ["attribute_exists(#pk)"]
        names["#pk"] = schema.PARTITION_KEY
        for i, (attribute, value) in enumerate(expected.items()):
            names[f"#e{i}"] = attribute
            if value is None:
                conditions.append(f"attribute_not_exists(#e{i})")
            else:
                conditions.append(f"#e{i} = :e{i}")
                values[f":e{i}"] = serialize_value(stored_value(value))
        update: dict[str, Any] = {
            "Key": webhook_key(webhook.tenant, webhook.id),
            "UpdateExpression": expression,
            "ConditionExpression": " AND ".join(conditions),
            "ExpressionAttributeNames": names,
        }
        if values:
            update["ExpressionAttributeValues"] = values
        return self.table.conditional("update_item", **update) is not None

    def remove(self, tenant: str, webhook_id: str) -> bool:
        """False when there was no such endpoint."""
        return (
            self.table.conditional(
                "delete_item",
                Key=webhook_key(tenant, webhook_id),
                ConditionExpression="attribute_exists(#pk)",
                ExpressionAttributeNames={"#pk": schema.PARTITION_KEY},
            )
            is not None
        )

    # Deliveries.

    def add_delivery(self, delivery: DeliveryRecord) -> bool:
        """False when it is already there (the same event fanned out again)."""
        stored = delivery.model_dump(mode="json") | {schema.TTL_ATTRIBUTE: delivery.ttl, "attempt_count": 0}
        item = serialize(stored) | delivery_key(delivery.tenant, delivery.webhook_id, delivery.id)
        return (
            self.table.conditional(
                "put_item",
                Item=item,
                ConditionExpression="attribute_not_exists(#pk)",
                ExpressionAttributeNames={"#pk": schema.PARTITION_KEY},
            )
            is not None
        )

    def get_delivery(self, tenant: str, webhook_id: str, delivery_id: str) -> DeliveryRecord | None:
        with translated():
            item = self.table.client.get_item(
                TableName=self.table.name, Key=delivery_key(tenant, webhook_id, delivery_id), ConsistentRead=True
            ).get("Item")
        return _delivery(item) if item else None

    def deliveries(
        self, tenant: str, webhook_id: str, limit: int, after: str | None
    ) -> tuple[list[DeliveryRecord], str | None]:
        """Up to `limit` deliveries to the endpoint, the newest first, after the id `after`; and the id to go on
        from."""
        start = delivery_key(tenant, webhook_id, after) if after else None
        items, last = self.table.newest_first(deliveries_pk(tenant, webhook_id), limit=limit, start=start)
        following = last[schema.SORT_KEY]["S"].removeprefix(schema.DELIVERY_SK_PREFIX) if last else None
        return [_delivery(item) for item in items], following

    def record_attempt(self, delivery: DeliveryRecord, attempt: Attempt, changes: dict[str, Any]) -> bool:
        """Add `attempt` and set `changes` (its `status` among them), if no other attempt was recorded since
        `delivery` was read."""
        expression, names, values = set_or_remove({key: stored_value(value) for key, value in changes.items()})
        names |= {"#attempts": "attempts", "#count": "attempt_count"}
        values |= {
            ":attempt": {"L": [serialize_value(attempt.model_dump(mode="json", exclude_none=True))]},
            ":read": {"N": str(len(delivery.attempts))},
            ":one": {"N": "1"},
        }
        return (
            self.table.conditional(
                "update_item",
                Key=delivery_key(delivery.tenant, delivery.webhook_id, delivery.id),
                UpdateExpression=expression.replace("SET ", "SET #attempts = list_append(#attempts, :attempt), ", 1)
                + " ADD #count :one",
                ConditionExpression="#count = :read",
                ExpressionAttributeNames=names,
                ExpressionAttributeValues=values,
            )
            is not None
        )

    def restart(self, delivery: DeliveryRecord, moment: datetime) -> bool:
        """One more attempt, now, of a delivery that has ended (a retry asked for); False if it has not ended."""
        return (
            self.table.conditional(
                "update_item",
                Key=delivery_key(delivery.tenant, delivery.webhook_id, delivery.id),
                UpdateExpression="SET #status = :pending, #next = :now, #retries = :no",
                ConditionExpression="#status <> :pending",
                ExpressionAttributeNames={"#status": "status", "#next": "next_attempt_at", "#retries": "retries"},
                ExpressionAttributeValues={
                    ":pending": {"S": "pending"},
                    ":now": {"S": stored_value(moment)},
                    ":no": {"BOOL": False},
                },
            )
            is not None
        )
