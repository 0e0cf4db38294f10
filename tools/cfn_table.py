"""The users table of template.yaml, and the whole template evaluated, for local use (moto, tests).

Everything about the table comes from the template; the CloudFormation work is done by libraries:
  - cfn-lint's decoder reads the template (short-form tags such as !Ref/!If become long form);
  - jsonschema checks parameter values against the template's own constraints (AllowedValues,
    AllowedPattern, MinValue/MaxValue, MinLength/MaxLength), as CloudFormation does before a deployment;
  - moto's CloudFormation engine (moto.cloudformation.parsing: ResourceMap, clean_json,
    parse_condition) converts the parameters and evaluates Conditions, Ref, Fn::If, Fn::Sub, Fn::Join,
    Fn::Select, Fn::Split, Fn::FindInMap and AWS::NoValue: the same code that runs when moto creates a
    stack. A Ref or Fn::GetAtt to a resource of the template stays as written (nothing is deployed).
What is left here: the mapping from the evaluated AWS::DynamoDB::Table properties to boto3 calls
(tools/README.md says why moto's own CloudFormation model of the table cannot be used for that).

Public interface:
    render_users_table(template_path="template.yaml", parameters=None) -> dict
    create_table_kwargs(rendered) -> dict
    post_create_calls(rendered) -> list[tuple[str, dict]]

Helpers used by the template tests and the local tools:
    load_template(path) -> dict
    render_template(template_path="template.yaml", parameters=None) -> dict
    route_owners(rendered) -> dict
"""

from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Any

__all__ = [
    "CfnError",
    "TABLE_LOGICAL_ID",
    "create_table_kwargs",
    "load_template",
    "post_create_calls",
    "render_template",
    "render_users_table",
    "route_owners",
]

TABLE_LOGICAL_ID = "UsersTable"

#: Values of pseudo parameters when rendering locally; override any of them through
#: ``parameters`` (e.g. ``{"AWS::Region": "eu-west-1"}``).
DEFAULT_PSEUDO_PARAMETERS: dict[str, str] = {
    "AWS::AccountId": "123456789012",
    "AWS::Partition": "aws",
    "AWS::Region": "us-east-1",
    "AWS::StackName": "local",
    "AWS::StackId": "arn:aws:cloudformation:us-east-1:123456789012:stack/local/00000000-0000-0000-0000-000000000000",
    "AWS::URLSuffix": "amazonaws.com",
}

_REPO_ROOT = Path(__file__).resolve().parent.parent


class CfnError(ValueError):
    """The template, or the parameters given for it, cannot be rendered."""


# ---------------------------------------------------------------------------------------------
# Loading (cfn-lint's decoder)
# ---------------------------------------------------------------------------------------------


def _resolve_path(template_path: str | Path) -> Path:
    path = Path(template_path)
    if not path.is_absolute() and not path.exists() and (_REPO_ROOT / path).exists():
        path = _REPO_ROOT / path
    return path


def _plain(node: Any) -> Any:
    """cfn-lint's nodes (dict/str subclasses that carry line numbers) as plain Python values."""
    if isinstance(node, dict):
        return {str(key): _plain(value) for key, value in node.items()}
    if isinstance(node, list):
        return [_plain(item) for item in node]
    if isinstance(node, str):
        return str(node)
    return node


def load_template(template_path: str | Path = "template.yaml") -> dict:
    """Parse a CloudFormation/SAM template (YAML with short-form tags, or JSON) with cfn-lint's decoder.

    A relative path is taken from the working directory, else from the repository root.
    """
    from cfnlint.decode import decode

    path = _resolve_path(template_path)
    template, errors = decode(str(path))
    if errors:
        raise CfnError(f"{path}: " + "; ".join(str(error) for error in errors))
    if not isinstance(template, dict) or "Resources" not in template:
        raise CfnError(f"{path}: not a CloudFormation template (no Resources)")
    return _plain(template)


# ---------------------------------------------------------------------------------------------
# Parameters: the template's constraints as a JSON Schema, checked by jsonschema
# ---------------------------------------------------------------------------------------------


def _scalar_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _number(text: str) -> int | float | None:
    try:
        number = float(text)
    except ValueError:
        return None
    return int(number) if number.is_integer() else number


def _parameter_schema(spec: dict) -> dict:
    """JSON Schema of one parameter's value as CloudFormation checks it (lists: each item)."""
    kind = spec.get("Type", "String")
    number = kind == "Number"
    item: dict[str, Any] = {"type": "number" if number else "string"}
    if "AllowedValues" in spec:
        item["enum"] = [_number(_scalar_text(v)) if number else _scalar_text(v) for v in spec["AllowedValues"]]
    if "AllowedPattern" in spec:  # CloudFormation matches the whole value
        item["pattern"] = f"^(?:{spec['AllowedPattern']})$"
    for keyword, constraint in (("minimum", "MinValue"), ("maximum", "MaxValue"),
                                ("minLength", "MinLength"), ("maxLength", "MaxLength")):
        if constraint in spec:
            item[keyword] = _number(_scalar_text(spec[constraint]))
    if kind == "CommaDelimitedList" or kind.startswith("List<"):
        return {"type": "array", "items": item}
    return item


def _parameter_values(template: dict, overrides: dict | None) -> tuple[dict[str, str], dict[str, str]]:
    """(template parameters, pseudo parameters) as the strings CloudFormation would be given, each
    template parameter checked against its constraints."""
    from jsonschema import Draft202012Validator

    declared = template.get("Parameters") or {}
    overrides = dict(overrides or {})
    pseudo = dict(DEFAULT_PSEUDO_PARAMETERS)
    for name in [n for n in overrides if n.startswith("AWS::")]:
        if name not in DEFAULT_PSEUDO_PARAMETERS:
            raise CfnError(f"unknown pseudo parameter {name}")
        pseudo[name] = str(overrides.pop(name))
    unknown = sorted(set(overrides) - set(declared))
    if unknown:
        raise CfnError(f"unknown parameter(s): {', '.join(unknown)}")

    values: dict[str, str] = {}
    for name, spec in declared.items():
        raw = overrides.get(name, spec.get("Default"))
        if raw is None:
            raise CfnError(f"parameter {name} has no Default and no value was given")
        text = ",".join(_scalar_text(v) for v in raw) if isinstance(raw, (list, tuple)) else _scalar_text(raw)
        kind = spec.get("Type", "String")
        if kind == "Number":
            instance: Any = _number(text)
            if instance is None:
                raise CfnError(f"parameter {name}: {text!r} is not a number")
        elif kind == "CommaDelimitedList" or kind.startswith("List<"):
            instance = [item.strip() for item in text.split(",")]
        else:
            instance = text
        error = next(iter(Draft202012Validator(_parameter_schema(spec)).iter_errors(instance)), None)
        if error is not None:
            raise CfnError(f"parameter {name}: {error.message}")
        values[name] = text
    return values, pseudo


# ---------------------------------------------------------------------------------------------
# Evaluation (moto's CloudFormation engine)
# ---------------------------------------------------------------------------------------------


class _Symbolic:
    """A resource of the template, not deployed: moto's Ref and Fn::GetAtt give back the expression."""

    def __init__(self, logical_id: str):
        self.logical_id = logical_id

    @property
    def physical_resource_id(self) -> dict:
        return {"Ref": self.logical_id}

    def get_cfn_attribute(self, attribute: str) -> dict:
        return {"Fn::GetAtt": [self.logical_id, attribute]}


class _Kept:
    """An expression that needs a deployed resource (e.g. Fn::Sub of ${AuthApi}): kept as written."""

    def __init__(self, node: Any):
        self.node = node


def _resource_map(template: dict, parameters: dict | None):
    from moto.cloudformation.parsing import ResourceMap

    class LocalResourceMap(ResourceMap):
        """moto's evaluation context of a stack, with every resource of the template left symbolic."""

        def __getitem__(self, key: str) -> Any:
            if key in self._parsed_resources:
                return self._parsed_resources[key]
            if key in self._resource_json_map:
                return _Symbolic(key)
            raise KeyError(key)

    values, pseudo = _parameter_values(template, parameters)
    evaluated = {key: value for key, value in template.items() if key in ("Parameters", "Conditions", "Mappings")}
    evaluated["Resources"] = template.get("Resources") or {}
    resource_map = LocalResourceMap(
        stack_id=pseudo["AWS::StackId"], stack_name=pseudo["AWS::StackName"], parameters=values, tags={},
        region_name=pseudo["AWS::Region"], account_id=pseudo["AWS::AccountId"], template=evaluated,
        cross_stack_resources={},
    )
    resource_map._parsed_resources.update(
        {"AWS::Partition": pseudo["AWS::Partition"], "AWS::URLSuffix": pseudo["AWS::URLSuffix"]})
    try:
        resource_map.load_mapping()
        resource_map.load_parameters()
        resource_map.load_conditions()
    except KeyError as missing:
        raise CfnError(f"unknown name {missing.args[0]!r} in the Conditions") from None
    return resource_map


_SUB_VARIABLE = re.compile(r"\$\{([^}!][^}]*)\}")


def _needs_deployment(node: Any, resources: dict) -> bool:
    """Whether evaluating ``node`` needs the value of a resource (a Ref/GetAtt, or a ${Resource} in a Sub)."""
    if isinstance(node, list):
        return any(_needs_deployment(item, resources) for item in node)
    if not isinstance(node, dict):
        return False
    if len(node) == 1:
        ((key, argument),) = node.items()
        if key == "Ref":
            return argument in resources
        if key == "Fn::GetAtt":
            return True
        if key == "Fn::Sub":
            text, variables = (argument, {}) if isinstance(argument, str) else argument
            names = {name for name in _SUB_VARIABLE.findall(text) if name not in variables}
            return any("." in name or name in resources for name in names) or \
                _needs_deployment(variables, resources)
    return any(_needs_deployment(value, resources) for value in node.values())


def _protect(node: Any, resources: dict) -> Any:
    """Wraps the string functions whose result needs a deployed resource, so that moto leaves them be."""
    if isinstance(node, list):
        return [_protect(item, resources) for item in node]
    if not isinstance(node, dict):
        return node
    if len(node) == 1:
        ((key, argument),) = node.items()
        if key in ("Fn::Sub", "Fn::Join", "Fn::Select", "Fn::Split") and _needs_deployment(node, resources):
            return _Kept(copy.deepcopy(node))
        if key in ("Ref", "Fn::GetAtt"):
            return node
    return {key: _protect(value, resources) for key, value in node.items()}


def _unwrap(node: Any) -> Any:
    if isinstance(node, _Kept):
        return node.node
    if isinstance(node, list):  # AWS::NoValue in a list removes the item
        return [_unwrap(item) for item in node if item is not None]
    if isinstance(node, dict):
        return {key: _unwrap(value) for key, value in node.items() if value is not None}
    return node


def _evaluate(node: Any, resource_map, resources: dict) -> Any:
    from moto.cloudformation.parsing import clean_json

    try:
        return _unwrap(clean_json(_protect(node, resources), resource_map))
    except KeyError as missing:
        raise CfnError(f"unknown name {missing.args[0]!r}") from None


def _condition(resource_map, name: str) -> bool:
    try:
        return bool(resource_map.lazy_condition_map[name])
    except KeyError:
        raise CfnError(f"unknown condition {name}") from None


# ---------------------------------------------------------------------------------------------
# Rendering
# ---------------------------------------------------------------------------------------------


def render_template(template_path: str | Path = "template.yaml", parameters: dict | None = None) -> dict:
    """Evaluate the template for ``parameters`` (defaults from its Parameters section).

    Returns ``{"Parameters", "Conditions", "Globals", "Resources", "Outputs"}``: parameter values,
    condition results, and the resources and outputs whose Condition holds, with intrinsic
    functions evaluated. References to resources (Ref, GetAtt, Sub of a resource) are kept as
    they are. Resource attributes (DeletionPolicy, DependsOn...) are kept.
    """
    template = load_template(template_path)
    resources = template.get("Resources") or {}
    resource_map = _resource_map(template, parameters)
    conditions = {name: _condition(resource_map, name) for name in template.get("Conditions") or {}}

    def included(entry: dict) -> bool:
        name = entry.get("Condition")
        return name is None or _condition(resource_map, name)

    rendered_resources = {}
    for logical_id, resource in resources.items():
        if not included(resource):
            continue
        rendered = {key: value for key, value in resource.items() if key != "Properties"}
        if "Properties" in resource:
            rendered["Properties"] = _evaluate(resource["Properties"], resource_map, resources)
        rendered_resources[logical_id] = rendered

    outputs = {name: _evaluate(output, resource_map, resources)
               for name, output in (template.get("Outputs") or {}).items() if included(output)}
    return {
        "Parameters": dict(resource_map.resolved_parameters),
        "Conditions": conditions,
        "Globals": _evaluate(template.get("Globals") or {}, resource_map, resources),
        "Resources": rendered_resources,
        "Outputs": outputs,
    }


def route_owners(rendered: dict) -> dict:
    """``{"POST /signup": "SignupFunction", ...}``: the function that owns each HttpApi route of a
    rendered template (tools/check-events.sh and tools/sam_local_ci.py send events by it)."""
    owner = {}
    for name, resource in rendered["Resources"].items():
        if resource.get("Type") != "AWS::Serverless::Function":
            continue
        for event in (resource["Properties"].get("Events") or {}).values():
            if event.get("Type") == "HttpApi":
                p = event["Properties"]
                owner[f"{p.get('Method', 'ANY').upper()} {p.get('Path', '/')}"] = name
    return owner


def render_users_table(template_path: str = "template.yaml", parameters: dict | None = None) -> dict:
    """The evaluated ``Properties`` of the template's ``UsersTable`` (CloudFormation names).

    ``parameters`` overrides the template's parameter defaults (unknown names are an error);
    pseudo parameters such as ``AWS::Region`` may be given too.
    """
    template = load_template(template_path)
    resources = template.get("Resources") or {}
    table = resources.get(TABLE_LOGICAL_ID)
    if not table or table.get("Type") != "AWS::DynamoDB::Table":
        raise CfnError(f"{TABLE_LOGICAL_ID} is not an AWS::DynamoDB::Table in {template_path}")
    resource_map = _resource_map(template, parameters)
    if "Condition" in table and not _condition(resource_map, table["Condition"]):
        raise CfnError(f"{TABLE_LOGICAL_ID} is not created with these parameters")
    properties = _evaluate(table.get("Properties") or {}, resource_map, resources)
    if _needs_deployment(properties, resources):
        raise CfnError(f"{TABLE_LOGICAL_ID} needs the value of another resource before deployment")
    return properties


# ---------------------------------------------------------------------------------------------
# boto3 mapping
# ---------------------------------------------------------------------------------------------


def _bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    raise CfnError(f"{value!r} is not a boolean")


def _throughput(spec: dict) -> dict:
    return {
        "ReadCapacityUnits": int(spec["ReadCapacityUnits"]),
        "WriteCapacityUnits": int(spec["WriteCapacityUnits"]),
    }


def _on_demand(spec: dict) -> dict:
    return {key: int(value) for key, value in spec.items()}


def _index(spec: dict, provisioned: bool) -> dict:
    index = {
        "IndexName": spec["IndexName"],
        "KeySchema": copy.deepcopy(spec["KeySchema"]),
        "Projection": copy.deepcopy(spec["Projection"]),
    }
    if provisioned and "ProvisionedThroughput" in spec:
        index["ProvisionedThroughput"] = _throughput(spec["ProvisionedThroughput"])
    if "OnDemandThroughput" in spec:
        index["OnDemandThroughput"] = _on_demand(spec["OnDemandThroughput"])
    return index


def create_table_kwargs(rendered: dict) -> dict:
    """kwargs for boto3 ``dynamodb.create_table`` from :func:`render_users_table`'s result."""
    billing_mode = rendered.get("BillingMode", "PROVISIONED")
    provisioned = billing_mode == "PROVISIONED"
    kwargs: dict[str, Any] = {
        "TableName": rendered["TableName"],
        "AttributeDefinitions": copy.deepcopy(rendered["AttributeDefinitions"]),
        "KeySchema": copy.deepcopy(rendered["KeySchema"]),
        "BillingMode": billing_mode,
    }
    if provisioned:
        if "ProvisionedThroughput" not in rendered:
            raise CfnError("PROVISIONED billing without ProvisionedThroughput")
        kwargs["ProvisionedThroughput"] = _throughput(rendered["ProvisionedThroughput"])
    if "OnDemandThroughput" in rendered:
        kwargs["OnDemandThroughput"] = _on_demand(rendered["OnDemandThroughput"])
    if rendered.get("GlobalSecondaryIndexes"):
        kwargs["GlobalSecondaryIndexes"] = [_index(i, provisioned) for i in rendered["GlobalSecondaryIndexes"]]
    if rendered.get("LocalSecondaryIndexes"):
        kwargs["LocalSecondaryIndexes"] = [
            {key: copy.deepcopy(index[key]) for key in ("IndexName", "KeySchema", "Projection")}
            for index in rendered["LocalSecondaryIndexes"]
        ]
    stream = rendered.get("StreamSpecification")
    if stream and stream.get("StreamViewType"):
        kwargs["StreamSpecification"] = {"StreamEnabled": True, "StreamViewType": stream["StreamViewType"]}
    sse = rendered.get("SSESpecification")
    if sse is not None:
        boto_sse: dict[str, Any] = {"Enabled": _bool(sse.get("SSEEnabled", False))}
        if "SSEType" in sse:
            boto_sse["SSEType"] = sse["SSEType"]
        if sse.get("KMSMasterKeyId"):
            boto_sse["KMSMasterKeyId"] = sse["KMSMasterKeyId"]
        kwargs["SSESpecification"] = boto_sse
    if rendered.get("TableClass"):
        kwargs["TableClass"] = rendered["TableClass"]
    if rendered.get("Tags"):
        kwargs["Tags"] = [{"Key": str(t["Key"]), "Value": str(t["Value"])} for t in rendered["Tags"]]
    if "DeletionProtectionEnabled" in rendered:
        kwargs["DeletionProtectionEnabled"] = _bool(rendered["DeletionProtectionEnabled"])
    return kwargs


def post_create_calls(rendered: dict) -> list[tuple[str, dict]]:
    """The boto3 dynamodb calls that complete the table after ``create_table``, in order."""
    table_name = rendered["TableName"]
    calls: list[tuple[str, dict]] = []
    ttl = rendered.get("TimeToLiveSpecification")
    if ttl and _bool(ttl.get("Enabled", False)):
        calls.append((
            "update_time_to_live",
            {
                "TableName": table_name,
                "TimeToLiveSpecification": {"Enabled": True, "AttributeName": ttl["AttributeName"]},
            },
        ))
    pitr = rendered.get("PointInTimeRecoverySpecification")
    if pitr and _bool(pitr.get("PointInTimeRecoveryEnabled", False)):
        specification: dict[str, Any] = {"PointInTimeRecoveryEnabled": True}
        if "RecoveryPeriodInDays" in pitr:
            specification["RecoveryPeriodInDays"] = int(pitr["RecoveryPeriodInDays"])
        calls.append((
            "update_continuous_backups",
            {"TableName": table_name, "PointInTimeRecoverySpecification": specification},
        ))
    insights = rendered.get("ContributorInsightsSpecification")
    if insights and _bool(insights.get("Enabled", False)):
        calls.append((
            "update_contributor_insights",
            {"TableName": table_name, "ContributorInsightsAction": "ENABLE"},
        ))
    return calls


if __name__ == "__main__":  # pragma: no cover - manual inspection
    import json
    import sys

    overrides = dict(argument.split("=", 1) for argument in sys.argv[1:])
    table = render_users_table(parameters=overrides)
    print(json.dumps({"create_table": create_table_kwargs(table), "then": post_create_calls(table)}, indent=2))
