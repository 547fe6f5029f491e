"""`make openapi`: the client SDK's typed operations, generated from `openapi.json`.

Writes `client/assets_client/_generated.py`: one `TypedDict` per object schema of the document (an alias for the
others), and one method per operation on `Operations`, named by its `operationId`, with the path parameters
positional, the body as `body`, the query parameters and the `If-Match` / `Idempotency-Key` headers as keywords,
and the success answer's type as its result. The methods call `Operations._call`, which `assets_client.Client`
implements (HTTP, retries, errors). A route added to the table reaches the SDK by `make openapi` alone.

    python -m local.sdk [--check]
"""

from __future__ import annotations

import json
import keyword
import re
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
OPENAPI_FILE = ROOT / "openapi.json"
OUTPUT = ROOT / "client" / "assets_client" / "_generated.py"
METHODS = ("get", "post", "put", "patch", "delete")
HEADERS = {"idempotency-key": "idempotency_key", "if-match": "if_match"}
"""The header parameters an operation may declare, and their keyword in the SDK."""
SCALARS = {"string": "str", "integer": "int", "number": "float", "boolean": "bool", "null": "None"}
WIDTH = 116


def type_name(ref: str) -> str:
    """`#/components/schemas/Asset-Output` -> `AssetOutput`."""
    return re.sub(r"\W", "", ref.rsplit("/", 1)[-1])


def union(types: list[str]) -> str:
    unique = list(dict.fromkeys(types))
    if "Any" in unique:
        return "Any"
    return " | ".join(sorted(unique, key=lambda t: t == "None"))


def py_type(schema: dict[str, Any]) -> str:
    """The Python type of a JSON Schema, as source text."""
    if "$ref" in schema:
        return type_name(schema["$ref"])
    for combinator in ("anyOf", "oneOf"):
        if combinator in schema:
            return union([py_type(s) for s in schema[combinator]])
    if "const" in schema:
        return f"Literal[{schema['const']!r}]"
    if "enum" in schema:
        return f"Literal[{', '.join(repr(v) for v in schema['enum'])}]"
    kind = schema.get("type")
    if isinstance(kind, list):
        return union([py_type({**schema, "type": k}) for k in kind])
    if kind in SCALARS:
        return SCALARS[kind]
    if kind == "array":
        return f"list[{py_type(schema.get('items', {}))}]"
    if kind == "object" or "additionalProperties" in schema or "patternProperties" in schema:
        values = [s for s in schema.get("patternProperties", {}).values()]
        extra = schema.get("additionalProperties")
        if isinstance(extra, dict):
            values.append(extra)
        return f"dict[str, {union([py_type(v) for v in values]) if values else 'Any'}]"
    return "Any"


def docstring(text: str, indent: str) -> list[str]:
    """A docstring's lines, wrapped to the line length, or none for no text."""
    text = " ".join(text.replace('"""', "'''").replace("\\", "\\\\").split())
    if not text:
        return []
    lines = textwrap.wrap(text, WIDTH - len(indent) - 6, break_on_hyphens=False)
    if len(lines) == 1:
        return [f'{indent}"""{lines[0]}"""']
    return [f'{indent}"""{lines[0]}', *(f"{indent}{line}" for line in lines[1:]), f'{indent}"""']


def is_record(schema: dict[str, Any]) -> bool:
    return "properties" in schema


def record(name: str, schema: dict[str, Any]) -> list[str]:
    """A `TypedDict`: fields the schema does not require are `NotRequired`."""
    required = set(schema.get("required", ()))
    fields = schema["properties"]
    plain = all(f.isidentifier() and not keyword.iskeyword(f) for f in fields)
    if not plain:  # a field name Python cannot spell: the functional syntax, its types as forward references
        body = ", ".join(
            f"{f!r}: {py_type(s)!r}" if f in required else f"{f!r}: NotRequired[{py_type(s)!r}]"
            for f, s in fields.items()
        )
        return [f"{name} = TypedDict({name!r}, {{{body}}})", ""]
    lines = [f"class {name}(TypedDict):", *docstring(schema.get("description", ""), "    ")]
    for field, field_schema in fields.items():
        lines.append(f"    {field}: {_field_type(field_schema, field in required)}")
        lines += docstring(field_schema.get("description", ""), "    ")
    return [*lines, "", ""]


def _field_type(schema: dict[str, Any], required: bool) -> str:
    return py_type(schema) if required else f"NotRequired[{py_type(schema)}]"


def references(schema: Any) -> set[str]:
    if isinstance(schema, dict):
        found = {type_name(schema["$ref"])} if "$ref" in schema else set()
        return found.union(*(references(v) for v in schema.values()))
    if isinstance(schema, list):
        return set().union(*(references(v) for v in schema))
    return set()


def aliases(schemas: dict[str, dict[str, Any]]) -> list[str]:
    """The schemas that are not objects, as aliases after the classes, each after the aliases it names."""
    pending = {type_name(n): s for n, s in schemas.items() if not is_record(s)}
    lines: list[str] = []
    while pending:
        ready = [n for n, s in pending.items() if not references(s) & set(pending) - {n}]
        for name in ready or list(pending)[:1]:
            schema = pending.pop(name)
            lines += [f"{name}: TypeAlias = {py_type(schema)}", *docstring(schema.get("description", ""), ""), ""]
    return lines


def success(operation: dict[str, Any]) -> str:
    """The result type: the JSON of each 2xx answer; None for one without a body, `Redirect` for a 3xx."""
    types = []
    for status, response in operation["responses"].items():
        if not status.startswith(("2", "3")):
            continue
        schema = response.get("content", {}).get("application/json", {}).get("schema")
        types.append(py_type(schema) if schema else "Redirect" if status.startswith("3") else "None")
    return union(types or ["None"])


def method(path: str, verb: str, operation: dict[str, Any]) -> list[str]:
    name = operation["operationId"]
    positional, keywords, query, headers = [], [], [], []
    for parameter in operation.get("parameters", []):
        where, pname, schema = parameter["in"], parameter["name"], parameter.get("schema", {})
        if where == "path":
            positional.append(f"{pname}: {py_type(schema)}")
        elif where == "query":
            keywords.append(f"{pname}: {union([py_type(schema), 'None'])} = None")
            query.append(pname)
        elif where == "header" and pname.lower() in HEADERS:
            keywords.append(f"{HEADERS[pname.lower()]}: str | None = None")
            headers.append(pname.lower())
    body = operation.get("requestBody")
    if body:
        schema = body["content"]["application/json"]["schema"]
        positional.append(
            f"body: {py_type(schema)}" if body.get("required") else f"body: {py_type(schema)} | None = None"
        )
    signature = ", ".join(["self", *positional, *(["*", *keywords] if keywords else [])])
    path_args = re.findall(r"\{(\w+)\}", path)
    call = [
        f"{verb.upper()!r}",
        f"{path!r}",
        f"path={{{', '.join(f'{a!r}: {a}' for a in path_args)}}}",
        f"query={{{', '.join(f'{q!r}: {q}' for q in query)}}}",
    ]
    if body:
        call.append("body=body")
    if "if-match" in headers:
        call.append("if_match=if_match")
    if "idempotency-key" in headers:
        call.append("idempotency_key=idempotency_key, idempotent=True")
    if operation.get("security") == []:
        call.append("auth=False")
    text = " ".join(x for x in (operation.get("summary", "") + ".", operation.get("description", "")) if x)
    return [
        f"    def {name}({signature}) -> {success(operation)}:",
        *docstring(f"`{verb.upper()} {path}`: {text}", "        "),
        f"        return self._call({', '.join(call)})",
        "",
    ]


def generate(document: dict[str, Any]) -> str:
    schemas = document["components"]["schemas"]
    lines = [
        '"""Generated from `openapi.json` by `make openapi` (`local/sdk.py`): do not edit."""',
        "",
        "from __future__ import annotations",
        "",
        "from collections.abc import Callable",
        "from typing import {typing}",
        "",
        "",
        "class Redirect(TypedDict):",
        '    """A 3xx answer: where it points (a download\'s presigned URL)."""',
        "",
        "    status: int",
        "    location: str",
        "",
        "",
    ]
    for name, schema in schemas.items():
        if is_record(schema):
            lines += record(type_name(name), schema)
    lines += aliases(schemas)
    lines += [
        "",
        "class Operations:",
        '    """One method per operation of the API; `Client` implements `_call` (HTTP, retries, errors)."""',
        "",
        "    _call: Callable[..., Any]",
        "",
    ]
    operations = sorted(
        (operation["operationId"], path, verb, operation)
        for path, item in document["paths"].items()
        for verb, operation in item.items()
        if verb in METHODS
    )
    for _, path, verb, operation in operations:
        lines += method(path, verb, operation)
    source = "\n".join(lines) + "\n"
    used = [n for n in ("Any", "Literal", "NotRequired", "TypeAlias", "TypedDict") if re.search(rf"\b{n}\b", source)]
    return formatted(source.replace("{typing}", ", ".join(used), 1))


def formatted(source: str) -> str:
    """Through `ruff format` (pinned in requirements-dev.txt), so the file reads like the rest of the code."""
    done = subprocess.run(  # noqa: S603 - this interpreter's ruff, on our own source
        [sys.executable, "-m", "ruff", "format", "--stdin-filename", str(OUTPUT), "-"],
        input=source,
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    return done.stdout


def main(argv: list[str]) -> None:
    text = generate(json.loads(OPENAPI_FILE.read_text()))
    if "--check" in argv:
        sys.exit(0 if OUTPUT.read_text() == text else f"{OUTPUT.relative_to(ROOT)} is stale: run `make openapi`")
    OUTPUT.write_text(text)
    print(f"wrote {OUTPUT}")


if __name__ == "__main__":
    main(sys.argv[1:])
