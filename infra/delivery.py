"""Delivery: a CloudFront distribution in front of the delivery function (functions/deliver.py).

The function is the distribution's origin through its function URL with origin access control: the URL
refuses anything CloudFront did not sign, so the edge is the only way in, and the bucket stays private
(the function reads it with its own role). CloudFront caches every answer as long as its `Cache-Control`
says, which the function bounds by the URL's expiry and the asset's availability window; the publisher
invalidates an asset's paths when its delivery changes. The cache key holds the transform and signature
parameters only (other parameters neither reach the function nor split the cache) and `Accept` normalised
by a viewer-request function to the one thing `fm=auto` depends on, so browsers don't fragment the cache.
"""

from __future__ import annotations

from dataclasses import replace

from aws_cdk import Acknowledgment, CustomResource, Duration, RemovalPolicy, Stack, Validations
from aws_cdk import aws_certificatemanager as acm
from aws_cdk import aws_cloudfront as cloudfront
from aws_cdk import aws_cloudfront_origins as origins
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_secretsmanager as secretsmanager
from constructs import Construct

from functions import schema
from functions.adapters.edge import FILES_PATH
from functions.services.delivery import SIGNATURE_PARAMS, TRANSFORM_PARAMS
from infra import names
from infra.cursors import KEY_LENGTH
from infra.permissions import DELIVERY_ACCESS, Access
from infra.runtime import FunctionBasis, PythonFunction

DELIVER_MEMORY_MIB = 2048
"""Decoding a 24 MP JPEG at a reduced DCT scale and encoding AVIF: memory also buys CPU in Lambda."""
DELIVER_TIMEOUT_SECONDS = 30
CACHE_QUERY = sorted(TRANSFORM_PARAMS | SIGNATURE_PARAMS | {"preset"})
NORMALISE_ACCEPT_JS = """\
function handler(event) {
  var request = event.request;
  var accept = request.headers.accept ? request.headers.accept.value.toLowerCase() : '';
  var best = accept.indexOf('image/avif') >= 0 ? 'image/avif'
    : accept.indexOf('image/webp') >= 0 ? 'image/webp' : '*/*';
  request.headers.accept = { value: best };
  return request;
}
"""
"""What `fm=auto` reads of `Accept` (functions.services.serving.accepted), as the only `Accept` the origin sees."""

STRIP_FILES_PREFIX_JS = f"""\
function handler(event) {{
  var request = event.request;
  request.uri = request.uri.substring({len(FILES_PATH) - 1});
  return request;
}}
"""
"""`/_files/originals/...` -> `/originals/...`: the object's key. CloudFront checks the signed URL before it."""
SIGNING_KEY_NOT_ROTATED = Acknowledgment(
    id="AwsSolutions-SMG4",
    reason="The private half of the CDN key pair; CloudFront holds the public half. Rotate by replacing the "
    "key pair resource (a new key group member), not by a Secrets Manager rotation, which CloudFront would not see.",
)
NO_ROTATION = Acknowledgment(
    id="AwsSolutions-SMG4",
    reason="Derives each tenant's delivery signing key (HMAC): rotating it invalidates every signed delivery URL "
    "at once, including the stable signed srcset URLs pasted into pages. Rotate deliberately with "
    "aws secretsmanager put-secret-value; functions read it within 5 minutes.",
)


def delivery_key(scope: Construct, id: str) -> secretsmanager.Secret:
    """The secret each tenant's signing key is derived from: every function that shows an asset reads it, so it
    exists before them (and before the distribution, whose origin is one of them)."""
    secret = secretsmanager.Secret(
        scope,
        id,
        description="Derives each tenant's delivery signing key (HMAC). Changing it breaks signed delivery URLs.",
        generate_secret_string=secretsmanager.SecretStringGenerator(
            password_length=KEY_LENGTH, exclude_punctuation=True, include_space=False
        ),
        removal_policy=RemovalPolicy.DESTROY,
    )
    Validations.of(secret).acknowledge(NO_ROTATION)
    return secret


class Delivery(Construct):
    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        basis: FunctionBasis,
        cors_origins: tuple[str, ...],
        domain: str | None = None,
        certificate_arn: str | None = None,
    ) -> None:
        super().__init__(scope, id)
        key_group, self.signing_key, key_pair_id = self._signing_key(basis)
        self.function = PythonFunction(
            self,
            names.DELIVER_FUNCTION,
            module=names.DELIVER_FUNCTION,
            basis=replace(
                basis,
                environment={
                    **basis.environment,
                    "DELIVERY_KEY_PAIR_ID": key_pair_id,
                    "DELIVERY_SIGNING_KEY": self.signing_key.secret_arn,
                },
            ),
            access=DELIVERY_ACCESS,
            memory_mib=DELIVER_MEMORY_MIB,
            timeout_seconds=DELIVER_TIMEOUT_SECONDS,
        )
        self.function.role.add_to_principal_policy(
            iam.PolicyStatement(actions=["secretsmanager:GetSecretValue"], resources=[self.signing_key.secret_arn])
        )
        function_url = self.function.function.add_function_url(auth_type=lambda_.FunctionUrlAuthType.AWS_IAM)
        headers = ["Accept", *(["Origin"] if len(cors_origins) > 1 else [])]
        cache = cloudfront.CachePolicy(
            self,
            names.DELIVERY_CACHE,
            comment="Delivery: transform and signature parameters, normalised Accept; the origin's Cache-Control",
            query_string_behavior=cloudfront.CacheQueryStringBehavior.allow_list(*CACHE_QUERY),
            header_behavior=cloudfront.CacheHeaderBehavior.allow_list(*headers),
            cookie_behavior=cloudfront.CacheCookieBehavior.none(),
            min_ttl=Duration.seconds(0),
            default_ttl=Duration.seconds(0),
            max_ttl=Duration.days(365),
        )
        strip = self._viewer_request(
            names.STRIP_FILES_PREFIX,
            STRIP_FILES_PREFIX_JS,
            "/_files/<key> -> <key>: the bucket behind the delivery function's signed redirects",
        )
        files = cloudfront.BehaviorOptions(
            origin=origins.S3BucketOrigin.with_origin_access_control(basis.targets.bucket),
            allowed_methods=cloudfront.AllowedMethods.ALLOW_GET_HEAD,
            viewer_protocol_policy=cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
            cache_policy=cloudfront.CachePolicy.CACHING_OPTIMIZED,
            trusted_key_groups=[key_group],
            response_headers_policy=cloudfront.ResponseHeadersPolicy(
                self,
                names.FILES_HEADERS,
                comment="Large delivered files: the CORS origins and the delivery function's safety headers",
                cors_behavior=cloudfront.ResponseHeadersCorsBehavior(
                    access_control_allow_origins=list(cors_origins),
                    access_control_allow_methods=["GET", "HEAD"],
                    access_control_allow_headers=["*"],
                    access_control_expose_headers=["ETag", "Content-Disposition"],
                    access_control_allow_credentials=False,
                    origin_override=True,
                ),
                security_headers_behavior=cloudfront.ResponseSecurityHeadersBehavior(
                    content_type_options=cloudfront.ResponseHeadersContentTypeOptions(override=True),
                    content_security_policy=cloudfront.ResponseHeadersContentSecurityPolicy(
                        content_security_policy=schema.DELIVERY_SAFE_HEADERS["Content-Security-Policy"], override=True
                    ),
                ),
            ),
            function_associations=[strip],
        )
        normalise = self._viewer_request(
            names.NORMALISE_ACCEPT, NORMALISE_ACCEPT_JS, "Accept -> image/avif, image/webp or */*: what fm=auto reads"
        )
        certificate = (
            acm.Certificate.from_certificate_arn(self, "Certificate", certificate_arn) if certificate_arn else None
        )
        self.distribution = cloudfront.Distribution(
            self,
            names.DISTRIBUTION,
            comment="Asset delivery: originals, renditions and transforms",
            default_behavior=cloudfront.BehaviorOptions(
                origin=origins.FunctionUrlOrigin.with_origin_access_control(function_url),
                allowed_methods=cloudfront.AllowedMethods.ALLOW_GET_HEAD,
                viewer_protocol_policy=cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
                cache_policy=cache,
                function_associations=[normalise],
            ),
            additional_behaviors={f"{FILES_PATH}*": files},
            domain_names=[domain] if domain and certificate else None,
            certificate=certificate,
            # the default *.cloudfront.net certificate's policy is fixed (TLSv1); a custom domain's is not
            minimum_protocol_version=cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021 if certificate else None,
            http_version=cloudfront.HttpVersion.HTTP2_AND_3,
            price_class=cloudfront.PriceClass.PRICE_CLASS_100,
        )
        self.url = f"https://{domain}" if domain and certificate else f"https://{self.distribution.domain_name}"
        self.distribution_arn = Stack.of(self).format_arn(
            service="cloudfront",
            region="",
            resource="distribution",
            resource_name=self.distribution.distribution_id,
        )
        self._acknowledge(custom_certificate=certificate is not None)

    def _viewer_request(self, id: str, code: str, comment: str) -> cloudfront.FunctionAssociation:
        function = cloudfront.Function(
            self,
            id,
            code=cloudfront.FunctionCode.from_inline(code),
            runtime=cloudfront.FunctionRuntime.JS_2_0,
            comment=comment,
        )
        return cloudfront.FunctionAssociation(function=function, event_type=cloudfront.FunctionEventType.VIEWER_REQUEST)

    def _signing_key(self, basis: FunctionBasis) -> tuple[cloudfront.KeyGroup, secretsmanager.Secret, str]:
        """The key pair of the signed redirects: made at deploy time by functions/make_signing_key.py, its
        private half in a secret only that function writes and the delivery function reads."""
        secret = secretsmanager.Secret(
            self,
            names.SIGNING_KEY,
            description="Private key (PEM) of the CDN key pair that signs redirects to large files. Set on deploy.",
            removal_policy=RemovalPolicy.DESTROY,
        )
        Validations.of(secret).acknowledge(SIGNING_KEY_NOT_ROTATED)
        maker = PythonFunction(
            self, names.SIGNING_KEY_FUNCTION, module=names.SIGNING_KEY_FUNCTION, basis=basis, access=Access()
        )
        maker.role.add_to_principal_policy(
            iam.PolicyStatement(
                actions=["secretsmanager:GetSecretValue", "secretsmanager:PutSecretValue"],
                resources=[secret.secret_arn],
            )
        )
        pair = CustomResource(
            self,
            names.SIGNING_KEY_PAIR,
            service_token=maker.function.function_arn,
            properties={"SecretArn": secret.secret_arn},
        )
        public_key = cloudfront.PublicKey(
            self,
            names.SIGNING_PUBLIC_KEY,
            encoded_key=pair.get_att_string("PublicKey"),
            comment="Verifies the delivery function's redirects to large files",
        )
        key_group = cloudfront.KeyGroup(self, names.SIGNING_KEY_GROUP, items=[public_key])
        return key_group, secret, public_key.public_key_id

    def _acknowledge(self, custom_certificate: bool) -> None:
        reasons = [
            Acknowledgment(
                id="AwsSolutions-CFR1",
                reason="Assets are delivered worldwide; availability windows and signed URLs decide who gets what.",
            ),
            Acknowledgment(
                id="AwsSolutions-CFR2",
                reason="No WAF web ACL yet, as for the API: transforms with parameters of one's own need a "
                "signature, presets are bounded, and the cache answers repeats. Attach a global web ACL for rate "
                "limits before exposing it to hostile traffic.",
            ),
            Acknowledgment(
                id="AwsSolutions-CFR3",
                reason="Standard logs need a bucket with ACLs; the function logs every refusal and CloudFront's "
                "metrics count requests and errors. Turn on standard logging v2 to CloudWatch if you need each hit.",
            ),
        ]
        if not custom_certificate:
            reasons.append(
                Acknowledgment(
                    id="AwsSolutions-CFR4",
                    reason="The default *.cloudfront.net certificate allows TLS 1.0 viewers and cannot be "
                    "changed; set delivery_domain and delivery_certificate_arn to enforce TLS 1.2.",
                )
            )
        Validations.of(self.distribution).acknowledge(*reasons)
