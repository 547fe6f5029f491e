"""cdk-nag AwsSolutions: no finding may stay unacknowledged, error or warning.

cdk-nag 3 is a policy-validation plugin, not an aspect: its findings are not construct annotations
(`Annotations.from_stack(...).find_error` sees none of them). Synth fails on errors only and writes every
finding, warnings included, to `validation-report.json`; `validate_scope` returns them directly.
"""

from __future__ import annotations

import json

from aws_cdk import Acknowledgment, App, Stack, Validations
from aws_cdk import aws_s3 as s3
from cdk_nag import AwsSolutionsChecks


def _findings(report) -> list[str]:
    return [
        f"{violation.severity} {violation.rule_name} at {resource.construct_path}"
        for violation in report.violations
        for resource in violation.violating_resources
    ]


def test_no_unacknowledged_finding(synth):
    assert _findings(AwsSolutionsChecks().validate_scope(synth.app)) == []


def test_synth_validation_report_is_empty(synth):
    """The report of the synth itself: cdk-nag, CloudFormation's default rules and CDK warnings."""
    report = json.loads((synth.outdir / "validation-report.json").read_text())
    assert report["pluginReports"] == []


def test_the_check_sees_findings_and_acknowledgements():
    """Guards the two tests above against passing vacuously."""
    stack = Stack(App(), "Nag")
    bucket = s3.Bucket(stack, "Bucket")
    findings = _findings(AwsSolutionsChecks().validate_scope(stack))
    assert "error AwsSolutions-S1 at Nag/Bucket/Resource" in findings
    Validations.of(bucket).acknowledge(Acknowledgment(id="AwsSolutions-S1", reason="test"))
    assert "error AwsSolutions-S1 at Nag/Bucket/Resource" not in _findings(AwsSolutionsChecks().validate_scope(stack))
