"""The key that signs list cursors (HMAC): a generated Secrets Manager secret that only `list_assets` reads.

The functions find it through `Settings.cursor_secret` (`CURSOR_SECRET`, the secret's ARN). Losing or
changing the value only invalidates page cursors in flight (clients get a 400 and list again from the
start), so the secret is not retained with the stack and has no rotation schedule.
"""

from __future__ import annotations

from aws_cdk import Acknowledgment, RemovalPolicy, Validations
from aws_cdk import aws_secretsmanager as secretsmanager
from constructs import Construct

from infra import names

KEY_LENGTH = 64
"""Characters of the generated value: letters and digits, about 380 bits."""

NO_ROTATION = Acknowledgment(
    id="AwsSolutions-SMG4",
    reason="Signs page cursors only (HMAC, never a credential): rotating it only invalidates cursors in flight. "
    "To rotate, put a new random value (aws secretsmanager put-secret-value); functions read it within 5 minutes.",
)


class Cursors(Construct):
    def __init__(self, scope: Construct, id: str) -> None:
        super().__init__(scope, id)
        self.secret = secretsmanager.Secret(
            self,
            names.CURSOR_KEY,
            description="Signs the asset API's list cursors (HMAC). Changing it only invalidates cursors in flight.",
            generate_secret_string=secretsmanager.SecretStringGenerator(
                password_length=KEY_LENGTH,
                exclude_punctuation=True,
                include_space=False,
            ),
            removal_policy=RemovalPolicy.DESTROY,
        )
        Validations.of(self.secret).acknowledge(NO_ROTATION)
