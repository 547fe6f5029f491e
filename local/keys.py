"""`make key`: create an API key for a tenant and print it alone on the last line.

Against the running local stack by default; with `--aws` against the deployed table named by
`--table` (or `TABLE_NAME`), using your usual AWS credentials.
"""

from __future__ import annotations

import argparse
import os
import sys

from functions.adapters.table import Table
from functions.errors import TransientError
from functions.routes import SCOPES
from functions.services import keys
from local.stack import EMULATOR_PORT, local_environment


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tenant", required=True)
    parser.add_argument("--scopes", default=",".join(SCOPES), help="comma-separated, e.g. assets:read")
    parser.add_argument("--label")
    parser.add_argument("--aws", action="store_true", help="write to the deployed table instead of the local one")
    parser.add_argument("--table", default=os.environ.get("TABLE_NAME"))
    parser.add_argument("--emulator-port", type=int, default=int(os.environ.get("EMULATOR_PORT", EMULATOR_PORT)))
    args = parser.parse_args(argv)
    if args.aws:
        if not args.table:
            parser.error("--aws needs --table (the stack's TableName output) or TABLE_NAME")
        table_name = args.table
    else:
        os.environ.update(local_environment(args.emulator_port))
        table_name = args.table or os.environ["TABLE_NAME"]
    scopes = [s.strip() for s in args.scopes.split(",") if s.strip()]
    try:
        key = keys.create_key(Table(table_name), args.tenant, scopes, label=args.label)
    except ValueError as error:
        sys.exit(f"make key: {error}")
    except TransientError:
        where = f"table {table_name}" if args.aws else f"the local emulator on port {args.emulator_port}"
        sys.exit(f"make key: cannot reach {where}" + ("" if args.aws else "; is `make dev` running?"))
    print(f"API key for tenant {args.tenant} with scopes {' '.join(scopes)}:")
    print(key)


if __name__ == "__main__":
    main()
