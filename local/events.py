"""`make events`: print every `asset.*` event of the running local stack, one JSON line each, as it arrives.

The local stack copies every event of its bus to a queue (`provision.EVENTS_QUEUE`); this drains that
queue, so run one tail at a time (a second would share the events with it).
"""

from __future__ import annotations

import argparse
import json
import os
import sys

from local.provision import EVENTS_QUEUE
from local.stack import EMULATOR_PORT, local_environment


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--emulator-port", type=int, default=int(os.environ.get("EMULATOR_PORT", EMULATOR_PORT)))
    parser.add_argument("--once", action="store_true", help="print what is queued now and stop")
    args = parser.parse_args(argv)
    os.environ.update(local_environment(args.emulator_port))

    import boto3
    from botocore.exceptions import BotoCoreError, ClientError

    sqs = boto3.client("sqs")
    try:
        queue_url = sqs.get_queue_url(QueueName=EVENTS_QUEUE)["QueueUrl"]
        while True:
            wait = 0 if args.once else 10
            messages = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10, WaitTimeSeconds=wait)
            for message in messages.get("Messages", []):
                print(json.dumps(json.loads(message["Body"]), separators=(",", ":")), flush=True)
                sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])
            if args.once and not messages.get("Messages"):
                return
    except (BotoCoreError, ClientError):
        sys.exit(
            f"make events: cannot reach the local stack's emulator on port {args.emulator_port}; is `make dev` running?"
        )
    except KeyboardInterrupt:
        return


if __name__ == "__main__":
    main()
