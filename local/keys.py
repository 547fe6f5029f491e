"""`make key`: create an API key for a tenant and print it alone on the last line.

Against the running local stack by default; with `--aws` against the deployed table named by
`--table` (or `TABLE_NAME`), using your usual AWS credentials. A tenant's first key makes the tenant:
its tier (`--tier`, one of `cdk.json`'s `tiers`) and, on AWS, its API Gateway API key in the usage plan of
that tier (found by name, `<stack>-<tier>`; `--stack`). Later keys of the tenant keep its tier.

With `--move` (`make tier`) it makes no key: it puts the tenant in `--tier` (on AWS, its API key into that tier's
usage plan) and stamps the tier on the tenant and each of its keys.
"""

from __future__ import annotations

import argparse
import os
import sys

from botocore.exceptions import ClientError

from functions.adapters.gateway import UsagePlans
from functions.adapters.keys import Keys, TenantUsage
from functions.adapters.table import Table
from functions.errors import TransientError
from functions.routes import SCOPES
from functions.services import keys
from infra import names, tiers
from local.stack import EMULATOR_PORT, local_environment


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tenant", required=True)
    parser.add_argument("--scopes", default=",".join(SCOPES), help="comma-separated, e.g. keys:admin,assets:read")
    parser.add_argument("--label")
    parser.add_argument("--tier", default=keys.DEFAULT_TIER, choices=sorted(tiers.from_cdk_json()))
    parser.add_argument(
        "--move", action="store_true", help="`make tier`: put the tenant and its keys in --tier; make no key"
    )
    parser.add_argument("--aws", action="store_true", help="write to the deployed table instead of the local one")
    parser.add_argument("--table", default=os.environ.get("TABLE_NAME"))
    parser.add_argument("--stack", default=names.STACK, help="the deployed stack, whose usage plans are named after it")
    parser.add_argument("--emulator-port", type=int, default=int(os.environ.get("EMULATOR_PORT", EMULATOR_PORT)))
    args = parser.parse_args(argv)
    command = "make tier" if args.move else "make key"
    issue: keys.Issue = keys.no_gateway
    move: keys.Move = keys.no_usage_plans
    if args.aws:
        if not args.table:
            parser.error("--aws needs --table (the stack's TableName output) or TABLE_NAME")
        table_name = args.table
        plans = UsagePlans()

        def issue(tenant: str, tier: str, value: str) -> str:
            return plans.issue(tiers.usage_plan_name(args.stack, tier), f"{args.stack}-{tenant}", value)

        def move(usage: TenantUsage, tier: str) -> None:
            if usage.usage_key_id is None:
                raise ValueError("the tenant has no API Gateway API key: was it made locally?")
            plan = tiers.usage_plan_name
            plans.move(usage.usage_key_id, plan(args.stack, usage.tier), plan(args.stack, tier))
    else:
        os.environ.update(local_environment(args.emulator_port))
        table_name = args.table or os.environ["TABLE_NAME"]
    scopes = [s.strip() for s in args.scopes.split(",") if s.strip()]
    table = Table(table_name)
    try:
        if args.move:
            moved = keys.move_tenant(table, args.tenant, args.tier, move)
            print(f"Tenant {args.tenant} and its {moved} keys are in the {args.tier} tier.")
            return
        key = keys.create_key(table, args.tenant, scopes, label=args.label, tier=args.tier, issue=issue)
        usage = Keys(table).tenant(args.tenant)
    except (ValueError, ClientError) as error:
        sys.exit(f"{command}: {error}")
    except TransientError:
        where = f"table {table_name}" if args.aws else f"the local emulator on port {args.emulator_port}"
        sys.exit(f"{command}: cannot reach {where}" + ("" if args.aws else "; is `make dev` running?"))
    tier = usage.tier if usage else args.tier
    print(f"API key for tenant {args.tenant} ({tier} tier) with scopes {' '.join(scopes)}:")
    print(key)


if __name__ == "__main__":
    main()
