"""The CDN in front of the delivery function: origin access control, the cache key, the outputs."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from functions.adapters.edge import FILES_PATH
from functions.services.serving import accepted
from infra import names
from infra.delivery import CACHE_QUERY, NORMALISE_ACCEPT_JS, STRIP_FILES_PREFIX_JS


def test_the_function_url_takes_only_cloudfronts_signed_requests(synth):
    (url,) = synth.of_type("AWS::Lambda::Url").values()
    assert url["Properties"]["AuthType"] == "AWS_IAM"
    controls = [
        o["Properties"]["OriginAccessControlConfig"]
        for o in synth.of_type("AWS::CloudFront::OriginAccessControl").values()
    ]
    assert sorted((c["OriginAccessControlOriginType"], c["SigningBehavior"]) for c in controls) == [
        ("lambda", "always"),
        ("s3", "always"),
    ]
    grants = [
        p["Properties"]
        for p in synth.of_type("AWS::Lambda::Permission").values()
        if p["Properties"]["Principal"] != "apigateway.amazonaws.com"
    ]
    # CloudFront, for this distribution only, may invoke it, and only through its URL
    assert sorted(g["Action"] for g in grants) == ["lambda:InvokeFunction", "lambda:InvokeFunctionUrl"]
    for grant in grants:
        assert grant["Principal"] == "cloudfront.amazonaws.com"
        assert "FunctionUrl" in json.dumps(grant["FunctionName"])
        assert {"Ref": synth.logical_id(synth.stack.delivery.distribution)} in grant["SourceArn"]["Fn::Join"][1]
    assert [g.get("InvokedViaFunctionUrl") for g in grants if g["Action"] == "lambda:InvokeFunction"] == [True]


def test_the_cache_key_holds_the_delivery_parameters_and_a_normalised_accept(synth):
    (policy,) = synth.of_type("AWS::CloudFront::CachePolicy").values()
    config = policy["Properties"]["CachePolicyConfig"]
    key = config["ParametersInCacheKeyAndForwardedToOrigin"]
    assert sorted(key["QueryStringsConfig"]["QueryStrings"]) == CACHE_QUERY
    assert key["HeadersConfig"]["Headers"] == ["Accept"]  # one origin (`*`): Origin need not split the cache
    assert key["CookiesConfig"]["CookieBehavior"] == "none"
    assert (config["DefaultTTL"], config["MinTTL"]) == (0, 0)  # the function's Cache-Control decides
    (distribution,) = synth.of_type("AWS::CloudFront::Distribution").values()
    behavior = distribution["Properties"]["DistributionConfig"]["DefaultCacheBehavior"]
    assert behavior["AllowedMethods"] == ["GET", "HEAD"]
    assert behavior["ViewerProtocolPolicy"] == "redirect-to-https"
    (association,) = behavior["FunctionAssociations"]
    assert association["EventType"] == "viewer-request"


ACCEPTS = [
    "image/avif,image/webp,image/apng,image/svg+xml,image/*,*/*;q=0.8",
    "image/webp,*/*",
    "IMAGE/WEBP",
    "image/png,image/*;q=0.8",
    "",
]


@pytest.mark.skipif(shutil.which("node") is None, reason="node runs the CloudFront function's JavaScript")
def test_the_viewer_function_normalises_accept_as_the_function_reads_it():
    script = NORMALISE_ACCEPT_JS + (
        "const out = [];"
        f"for (const a of {json.dumps(ACCEPTS)}) {{"
        "  const r = handler({request: {headers: a ? {accept: {value: a}} : {}}});"
        "  out.push(r.headers.accept.value);"
        "}"
        "console.log(JSON.stringify(out));"
    )
    normalised = json.loads(subprocess.run(["node", "-e", script], capture_output=True, text=True, check=True).stdout)
    assert [accepted(a) for a in normalised] == [accepted(a) for a in ACCEPTS]
    assert len(set(normalised)) == 3


def test_functions_are_told_the_delivery_url_but_the_delivery_function_is_not(synth):
    functions = synth.of_type("AWS::Lambda::Function")
    deliver = functions[synth.logical_id(synth.stack.delivery.function.function)]
    assert "DELIVERY_URL" not in json.dumps(deliver["Properties"]["Environment"]) or (
        deliver["Properties"]["Environment"]["Variables"]["DELIVERY_URL"] == ""
    )
    get_asset = functions[synth.functions()["functions.assets.get_asset.handler"]]
    variables = get_asset["Properties"]["Environment"]["Variables"]
    assert "DomainName" in json.dumps(variables["DELIVERY_URL"])
    assert variables["DELIVERY_DISTRIBUTION_ID"] == {"Ref": synth.logical_id(synth.stack.delivery.distribution)}


def test_outputs(synth):
    outputs = synth.template.find_outputs("*")
    assert "DomainName" in json.dumps(outputs[names.DELIVERY_URL_OUTPUT]["Value"])
    assert outputs[names.DISTRIBUTION_ID_OUTPUT]["Value"] == {
        "Ref": synth.logical_id(synth.stack.delivery.distribution)
    }


def test_large_files_come_from_the_bucket_only_through_signed_urls(synth):
    (distribution,) = synth.of_type("AWS::CloudFront::Distribution").values()
    (files,) = distribution["Properties"]["DistributionConfig"]["CacheBehaviors"]
    assert files["PathPattern"] == f"{FILES_PATH}*"
    (group,) = synth.of_type("AWS::CloudFront::KeyGroup")
    assert files["TrustedKeyGroups"] == [{"Ref": group}]
    (headers,) = synth.of_type("AWS::CloudFront::ResponseHeadersPolicy").values()
    cors = headers["Properties"]["ResponseHeadersPolicyConfig"]["CorsConfig"]
    assert cors["AccessControlAllowOrigins"]["Items"] == ["*"]  # CORS_ALLOW_ORIGIN, as for the API
    assert files["ResponseHeadersPolicyId"] == {
        "Ref": next(iter(synth.of_type("AWS::CloudFront::ResponseHeadersPolicy")))
    }
    (public_key,) = synth.of_type("AWS::CloudFront::PublicKey").values()
    encoded = public_key["Properties"]["PublicKeyConfig"]["EncodedKey"]
    assert encoded["Fn::GetAtt"][1] == "PublicKey"  # from the key-pair resource: no key material in the template
    (maker,) = [r for r in synth.resources.values() if r["Type"] == "AWS::CloudFormation::CustomResource"]
    assert "make_signing_key" in json.dumps(synth.resources[maker["Properties"]["ServiceToken"]["Fn::GetAtt"][0]])
    bucket = synth.logical_id(synth.stack.storage.bucket)
    policies = [
        p for p in synth.of_type("AWS::S3::BucketPolicy").values() if p["Properties"]["Bucket"] == {"Ref": bucket}
    ]
    statements = [s for p in policies for s in p["Properties"]["PolicyDocument"]["Statement"]]
    (cloudfront,) = [s for s in statements if s.get("Principal") == {"Service": "cloudfront.amazonaws.com"}]
    assert cloudfront["Action"] == "s3:GetObject"
    assert "AWS:SourceArn" in json.dumps(cloudfront["Condition"])  # this distribution only


@pytest.mark.skipif(shutil.which("node") is None, reason="node runs the CloudFront function's JavaScript")
def test_the_files_function_turns_the_path_into_the_objects_key():
    script = STRIP_FILES_PREFIX_JS + ("console.log(handler({request: {uri: '/_files/originals/acme/0123/abcd'}}).uri);")
    run = subprocess.run(["node", "-e", script], capture_output=True, text=True, check=True)
    assert run.stdout.strip() == "/originals/acme/0123/abcd"
