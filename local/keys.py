"""`make key`: create an API key for a tenant and print it alone on the last line.

Against the running local stack by default; with `--aws` against the deployed table named by
`--table` (or `TABLE_NAME`), using your usual AWS credentials. A tenant's first key makes the tenant:
its tier (`--tier`, one of `cdk.json`'s `tiers`) and, on AWS, its API Gateway API key in the usage plan of
that tier (found by name, `<stack>-<tier>`; `--stack`). Later keys of the tenant keep its tier.
"""

from __future__ import annotations

import argparse
import os
import sys

from botocore.exceptions import ClientError

from functions.adapters.gateway import UsagePlans
from functions.adapters.keys import Keys
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
    parser.add_argument("--aws", action="store_true", help="write to the deployed table instead of the local one")
    parser.add_argument("--table", default=os.environ.get("TABLE_NAME"))
    parser.add_argument("--stack", default=names.STACK, help="the deployed stack, whose usage plans are named after it")
    parser.add_argument("--emulator-port", type=int, default=int(os.environ.get("EMULATOR_PORT", EMULATOR_PORT)))
    args = parser.parse_args(argv)
    issue: keys.Issue = keys.no_gateway
    if args.aws:
        if not args.table:
            parser.error("--aws needs --table (the stack's TableName output) or TABLE_NAME")
        table_name = args.table
        plans = UsagePlans()

        def issue(tenant: str, tier: str, value: str) -> str:
            return plans.issue(tiers.usage_plan_name(args.stack, tier), f"{args.stack}-{tenant}", value)
    else:
        os.environ.update(local_environment(args.emulator_port))
        table_name = args.table or os.environ["TABLE_NAME"]
    scopes = [s.strip() for s in args.scopes.split(",") if s.strip()]
    table = Table(table_name)
    try:
        key = keys.create_key(table, args.tenant, scopes, label=args.label, tier=args.tier, issue=issue)
        usage = Keys(table).tenant(args.tenant)
    except (ValueError, ClientError) as error:
        sys.exit(f"make key: {error}")
    except TransientError:
        where = f"table {table_name}" if args.aws else f"the local emulator on port {args.emulator_port}"
        sys.exit(f"make key: cannot reach {where}" + ("" if args.aws else "; is `make dev` running?"))
    tier = usage.tier if usage else args.tier
    print(f"API key for tenant {args.tenant} ({tier} tier) with scopes {' '.join(scopes)}:")
    print(key)


if __name__ == "__main__":
    main()
