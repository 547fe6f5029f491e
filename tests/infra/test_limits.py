"""CloudFormation's quotas per template: 500 resources, 200 parameters, 200 outputs, 1 MB of template.

Every template (the main stack's and each nested stack's) keeps a tenth of each free, so a change that nears a quota
fails here, not at deploy time. The route functions are spread over nested stacks by resource
(`infra.route_functions`): a new resource gets a stack of its own, and a stack grows with its own routes only.
"""

from __future__ import annotations

import json
from collections import Counter

from functions.routes import ROUTES
from infra import names

MAX_RESOURCES = 450
MAX_PARAMETERS = 180
MAX_OUTPUTS = 180
MAX_TEMPLATE_BYTES = 900_000


def test_every_template_keeps_a_tenth_of_each_quota_free(synth):
    assert len(synth.templates) == 1 + len({route.resource for route in ROUTES})
    for path, template in synth.templates.items():
        assert len(template["Resources"]) <= MAX_RESOURCES, path
        assert len(template.get("Parameters", {})) <= MAX_PARAMETERS, path
        assert len(template.get("Outputs", {})) <= MAX_OUTPUTS, path
        assert len(json.dumps(template, separators=(",", ":"))) <= MAX_TEMPLATE_BYTES, path


def test_each_route_function_is_in_the_nested_stack_of_its_resource(synth):
    """Logical ids are unique across templates (the `synth` fixture checks it), so a function's template is found
    by its id."""
    handlers = synth.functions()
    where = {lid: path for path, template in synth.templates.items() for lid in template["Resources"]}
    for route in ROUTES:
        stack = where[handlers[f"{route.module}.handler"]]
        assert stack.endswith(f"/{names.routes_stack(route.resource)}"), route.name
    main = synth.templates[synth.stack.node.path]["Resources"]
    in_main = Counter(r["Type"] for r in main.values())
    assert in_main["AWS::CloudFormation::Stack"] == len({route.resource for route in ROUTES})
    # the authorizer and the workers stay; no route function does
    assert in_main["AWS::Lambda::Function"] < len(ROUTES)


def test_routes_stack_names():
    assert names.routes_stack("shares") == "SharesRoutes"
    assert names.routes_stack("api_keys") == "ApiKeysRoutes"
