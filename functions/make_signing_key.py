"""CloudFormation custom resource: the RSA key pair that signs redirects to large files behind the CDN.

On create, a 2048-bit key is generated here and its private half put in the stack's signing-key secret; the
public half is returned (`PublicKey`) for the distribution's key group. On update the key is kept (read back
from the secret); on delete nothing is done (the secret goes with the stack). The private key never leaves
this function and the secret: it is in no template, asset or output.

The answer is PUT to the presigned `ResponseURL` CloudFormation gives (its custom resource protocol).
"""

from __future__ import annotations

import json
import urllib.request
from typing import Any

from aws_lambda_powertools import Logger

from functions.adapters import clients
from functions.tracing import traced

logger = Logger(service="assets")
KEY_BITS = 2048
"""What CloudFront accepts for a public key (RSA 2048)."""


def _public_pem(private_key: Any) -> str:
    from cryptography.hazmat.primitives import serialization

    return (
        private_key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )


def key_pair(secret_arn: str, create: bool) -> str:
    """The public key PEM, after generating and storing a new private key when `create`."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    secrets = clients.get("secretsmanager")
    if create:
        private_key = rsa.generate_private_key(public_exponent=65537, key_size=KEY_BITS)
        pem = private_key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        ).decode()
        secrets.put_secret_value(SecretId=secret_arn, SecretString=pem)
        return _public_pem(private_key)
    pem = secrets.get_secret_value(SecretId=secret_arn)["SecretString"]
    return _public_pem(serialization.load_pem_private_key(pem.encode(), password=None))


def _respond(event: dict[str, Any], status: str, data: dict[str, str], reason: str = "") -> None:
    body = json.dumps(
        {
            "Status": status,
            "Reason": reason or "see the function's log",
            "PhysicalResourceId": event.get("PhysicalResourceId") or f"{event['StackId']}/{event['LogicalResourceId']}",
            "StackId": event["StackId"],
            "RequestId": event["RequestId"],
            "LogicalResourceId": event["LogicalResourceId"],
            "Data": data,
        }
    ).encode()
    request = urllib.request.Request(  # noqa: S310 - CloudFormation's presigned https URL
        event["ResponseURL"], data=body, method="PUT", headers={"Content-Type": ""}
    )
    with urllib.request.urlopen(request, timeout=30):  # noqa: S310
        pass


@traced
@logger.inject_lambda_context
def handler(event: dict[str, Any], context: Any) -> None:
    kind = event["RequestType"]
    try:
        data = {}
        if kind in ("Create", "Update"):
            data["PublicKey"] = key_pair(event["ResourceProperties"]["SecretArn"], create=kind == "Create")
        _respond(event, "SUCCESS", data)
    except Exception as error:
        logger.exception("the signing key could not be made")
        _respond(event, "FAILED", {}, reason=f"{type(error).__name__}: {error}"[:500])
