"""Render the users table of template.yaml for local use (moto, tests).

Everything about the table comes from the template: this module only evaluates CloudFormation
(parameters and their defaults, Conditions, Fn::If, Ref, AWS::NoValue, simple Fn::Sub, Fn::Join,
Fn::Select, Fn::Split, Fn::Equals/Not/And/Or) and maps the evaluated AWS::DynamoDB::Table
properties to boto3 calls.

Public interface:
    render_users_table(template_path="template.yaml", parameters=None) -> dict
    create_table_kwargs(rendered) -> dict
    post_create_calls(rendered) -> list[tuple[str, dict]]

Helpers used by the template tests (also usable elsewhere):
    load_template(path) -> dict
    render_template(template_path="template.yaml", parameters=None) -> dict

Standard library and PyYAML only.
"""

from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Any

import yaml

__all__ = [
    "CfnError",
    "TABLE_LOGICAL_ID",
    "create_table_kwargs",
    "load_template",
    "post_create_calls",
    "render_template",
    "render_users_table",
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
# Loading: YAML with CloudFormation's short-form tags
# ---------------------------------------------------------------------------------------------


class _CfnLoader(yaml.SafeLoader):
    """SafeLoader that turns ``!Ref x`` into ``{"Ref": "x"}``, ``!If [...]`` into ``{"Fn::If": [...]}``..."""


def _construct_node(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    if isinstance(node, yaml.ScalarNode):
        return loader.construct_scalar(node)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node, deep=True)
    return loader.construct_mapping(node, deep=True)


def _tag_constructor(tag: str):
    def construct(loader: yaml.SafeLoader, node: yaml.Node) -> dict:
        value = _construct_node(loader, node)
        if tag == "Ref":
            return {"Ref": value}
        if tag == "Condition":
            return {"Condition": value}
        if tag == "GetAtt" and isinstance(value, str):
            resource, _, attribute = value.partition(".")
            return {"Fn::GetAtt": [resource, attribute]}
        return {f"Fn::{tag}": value}

    return construct


for _tag in (
    "Ref", "Condition", "If", "Equals", "Not", "And", "Or", "Sub", "GetAtt", "Select", "Split",
    "Join", "FindInMap", "Base64", "Cidr", "GetAZs", "ImportValue", "Transform", "Length",
    "ToJsonString",
):
    _CfnLoader.add_constructor(f"!{_tag}", _tag_constructor(_tag))


def _resolve_path(template_path: str | Path) -> Path:
    path = Path(template_path)
    if not path.is_absolute() and not path.exists() and (_REPO_ROOT / path).exists():
        path = _REPO_ROOT / path
    return path


def load_template(template_path: str | Path = "template.yaml") -> dict:
    """Parse a CloudFormation/SAM YAML template, short-form tags included.

    A relative path is taken from the working directory, else from the repository root.
    """
    path = _resolve_path(template_path)
    with open(path, encoding="utf-8") as handle:
        template = yaml.load(handle, Loader=_CfnLoader)  # noqa: S506 - SafeLoader subclass
    if not isinstance(template, dict) or "Resources" not in template:
        raise CfnError(f"{path}: not a CloudFormation template (no Resources)")
    return template


# ---------------------------------------------------------------------------------------------
# Parameters
# ---------------------------------------------------------------------------------------------


def _number(name: str, raw: Any) -> int | float:
    if isinstance(raw, bool):
        raise CfnError(f"parameter {name}: {raw!r} is not a number")
    try:
        number = float(raw)
    except (TypeError, ValueError):
        raise CfnError(f"parameter {name}: {raw!r} is not a number") from None
    return int(number) if number.is_integer() else number


def _parameter_value(name: str, spec: dict, raw: Any) -> Any:
    """Convert and validate one parameter value as CloudFormation would."""
    kind = spec.get("Type", "String")
    if kind == "Number":
        value: Any = _number(name, raw)
        checked = [value]
    elif kind == "CommaDelimitedList" or kind.startswith("List<"):
        if isinstance(raw, (list, tuple)):
            value = [str(item) for item in raw]
        else:
            value = [item.strip() for item in str(raw).split(",")]
        checked = value
    else:
        if isinstance(raw, bool):
            raw = "true" if raw else "false"
        value = str(raw)
        checked = [value]

    allowed = spec.get("AllowedValues")
    if allowed is not None:
        if kind == "Number":
            permitted = {_number(name, a) for a in allowed}
        else:
            permitted = {_scalar_text(a) for a in allowed}
        for item in checked:
            if item not in permitted:
                raise CfnError(f"parameter {name}: {item!r} is not one of {allowed}")
    if kind == "Number":
        if "MinValue" in spec and value < _number(name, spec["MinValue"]):
            raise CfnError(f"parameter {name}: {value} is below MinValue {spec['MinValue']}")
        if "MaxValue" in spec and value > _number(name, spec["MaxValue"]):
            raise CfnError(f"parameter {name}: {value} is above MaxValue {spec['MaxValue']}")
    else:
        pattern = spec.get("AllowedPattern")
        for item in checked:
            if pattern is not None and re.fullmatch(pattern, item) is None:
                raise CfnError(f"parameter {name}: {item!r} does not match {pattern}")
            if "MinLength" in spec and len(item) < int(spec["MinLength"]):
                raise CfnError(f"parameter {name}: {item!r} is shorter than {spec['MinLength']}")
            if "MaxLength" in spec and len(item) > int(spec["MaxLength"]):
                raise CfnError(f"parameter {name}: {item!r} is longer than {spec['MaxLength']}")
    return value


def _resolve_parameters(template: dict, overrides: dict | None) -> dict[str, Any]:
    declared = template.get("Parameters") or {}
    overrides = dict(overrides or {})
    values: dict[str, Any] = dict(DEFAULT_PSEUDO_PARAMETERS)
    for name in list(overrides):
        if name.startswith("AWS::"):
            if name not in DEFAULT_PSEUDO_PARAMETERS:
                raise CfnError(f"unknown pseudo parameter {name}")
            values[name] = str(overrides.pop(name))
    unknown = sorted(set(overrides) - set(declared))
    if unknown:
        raise CfnError(f"unknown parameter(s): {', '.join(unknown)}")
    for name, spec in declared.items():
        if name in overrides:
            raw = overrides[name]
        elif "Default" in spec:
            raw = spec["Default"]
        else:
            raise CfnError(f"parameter {name} has no Default and no value was given")
        values[name] = _parameter_value(name, spec, raw)
    return values


# ---------------------------------------------------------------------------------------------
# Evaluation
# ---------------------------------------------------------------------------------------------

_NO_VALUE = object()
_SUB_VARIABLE = re.compile(r"\$\{([^}]*)\}")


class _Unresolved(Exception):
    """A value depends on a resource (Ref/GetAtt) and cannot be computed before deployment."""


class _Evaluator:
    def __init__(self, template: dict, parameters: dict | None):
        self.template = template
        self.values = _resolve_parameters(template, parameters)
        self.condition_specs = template.get("Conditions") or {}
        self.conditions: dict[str, bool] = {}
        self._evaluating: set[str] = set()

    # -- conditions ------------------------------------------------------------------------
    def condition(self, name: str) -> bool:
        if name in self.conditions:
            return self.conditions[name]
        if name not in self.condition_specs:
            raise CfnError(f"unknown condition {name}")
        if name in self._evaluating:
            raise CfnError(f"condition {name} refers to itself")
        self._evaluating.add(name)
        try:
            result = self._truth(self.condition_specs[name])
        finally:
            self._evaluating.discard(name)
        self.conditions[name] = result
        return result

    def _truth(self, expression: Any) -> bool:
        if isinstance(expression, dict) and len(expression) == 1:
            (function, argument), = expression.items()
            if function == "Condition":
                return self.condition(argument)
            if function == "Fn::Equals":
                left, right = (self.value(item, strict=True) for item in argument)
                return _scalar_text(left) == _scalar_text(right)
            if function == "Fn::Not":
                (inner,) = argument
                return not self._truth(inner)
            if function == "Fn::And":
                return all(self._truth(item) for item in argument)
            if function == "Fn::Or":
                return any(self._truth(item) for item in argument)
        raise CfnError(f"cannot evaluate condition expression {expression!r}")

    # -- values ----------------------------------------------------------------------------
    def value(self, node: Any, strict: bool) -> Any:
        """Evaluate intrinsic functions in ``node``.

        strict: a Ref/GetAtt to a resource raises CfnError; otherwise it is left as it is.
        """
        try:
            result = self._value(node, strict)
        except _Unresolved as unresolved:
            if strict:
                raise CfnError(f"cannot resolve {unresolved.args[0]!r} before deployment") from None
            return copy.deepcopy(node)
        return result

    def _value(self, node: Any, strict: bool) -> Any:
        if isinstance(node, list):
            items = [self._value(item, strict) for item in node]
            return [item for item in items if item is not _NO_VALUE]
        if not isinstance(node, dict):
            return node
        if len(node) == 1:
            (key,) = node
            handler = _FUNCTIONS.get(key)
            if handler is not None:
                return handler(self, node[key], strict)
        result = {}
        for key, item in node.items():
            evaluated = self._value(item, strict)
            if evaluated is not _NO_VALUE:
                result[key] = evaluated
        return result

    def _ref(self, name: Any, strict: bool) -> Any:
        if name == "AWS::NoValue":
            return _NO_VALUE
        if name in self.values:
            return copy.deepcopy(self.values[name])
        if name in (self.template.get("Resources") or {}):
            if strict:
                raise _Unresolved({"Ref": name})
            return {"Ref": name}
        raise CfnError(f"Ref to unknown name {name!r}")

    def _get_att(self, argument: Any, strict: bool) -> Any:
        if strict:
            raise _Unresolved({"Fn::GetAtt": argument})
        return {"Fn::GetAtt": copy.deepcopy(argument)}

    def _if(self, argument: Any, strict: bool) -> Any:
        name, when_true, when_false = argument
        return self._value(when_true if self.condition(name) else when_false, strict)

    def _sub(self, argument: Any, strict: bool) -> Any:
        if isinstance(argument, str):
            text, local = argument, {}
        else:
            text, variables = argument
            local = {key: self._value(item, strict) for key, item in (variables or {}).items()}

        unresolved = []

        def replace(match: re.Match) -> str:
            expression = match.group(1)
            if expression.startswith("!"):
                return "${" + expression[1:] + "}"
            if expression in local:
                value = local[expression]
            elif expression in self.values:
                value = self.values[expression]
            elif "." in expression or expression in (self.template.get("Resources") or {}):
                unresolved.append(expression)
                return match.group(0)
            else:
                raise CfnError(f"Fn::Sub: unknown variable {expression!r} in {text!r}")
            if isinstance(value, (dict, list)) or value is _NO_VALUE:
                unresolved.append(expression)
                return match.group(0)
            return _scalar_text(value)

        rendered = _SUB_VARIABLE.sub(replace, text)
        if unresolved:
            if strict:
                raise _Unresolved({"Fn::Sub": argument})
            return {"Fn::Sub": copy.deepcopy(argument)}
        return rendered

    def _join(self, argument: Any, strict: bool) -> Any:
        delimiter, items = argument
        items = self._value(items, strict)
        if not isinstance(items, list) or any(isinstance(item, (dict, list)) for item in items):
            if strict:
                raise _Unresolved({"Fn::Join": argument})
            return {"Fn::Join": copy.deepcopy(argument)}
        return delimiter.join(_scalar_text(item) for item in items)

    def _select(self, argument: Any, strict: bool) -> Any:
        index, items = argument
        index = self._value(index, strict)
        items = self._value(items, strict)
        if not isinstance(items, list) or isinstance(index, dict):
            if strict:
                raise _Unresolved({"Fn::Select": argument})
            return {"Fn::Select": copy.deepcopy(argument)}
        return items[int(index)]

    def _split(self, argument: Any, strict: bool) -> Any:
        delimiter, text = argument
        text = self._value(text, strict)
        if not isinstance(text, str):
            if strict:
                raise _Unresolved({"Fn::Split": argument})
            return {"Fn::Split": copy.deepcopy(argument)}
        return text.split(delimiter)

    def _find_in_map(self, argument: Any, strict: bool) -> Any:
        map_name, first, second = (self._value(item, strict) for item in argument[:3])
        try:
            return copy.deepcopy(self.template["Mappings"][map_name][first][second])
        except (KeyError, TypeError):
            raise CfnError(f"Fn::FindInMap: no {map_name}/{first}/{second}") from None


def _scalar_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _condition_handler(function: str):
    def handle(evaluator: _Evaluator, argument: Any, strict: bool) -> bool:
        return evaluator._truth({function: argument})

    return handle


_FUNCTIONS = {
    "Ref": _Evaluator._ref,
    "Fn::GetAtt": _Evaluator._get_att,
    "Fn::If": _Evaluator._if,
    "Fn::Sub": _Evaluator._sub,
    "Fn::Join": _Evaluator._join,
    "Fn::Select": _Evaluator._select,
    "Fn::Split": _Evaluator._split,
    "Fn::FindInMap": _Evaluator._find_in_map,
    "Fn::Equals": _condition_handler("Fn::Equals"),
    "Fn::Not": _condition_handler("Fn::Not"),
    "Fn::And": _condition_handler("Fn::And"),
    "Fn::Or": _condition_handler("Fn::Or"),
    "Condition": lambda evaluator, name, strict: evaluator.condition(name),
}


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
    evaluator = _Evaluator(template, parameters)
    for name in evaluator.condition_specs:
        evaluator.condition(name)

    def included(entry: dict) -> bool:
        name = entry.get("Condition")
        return name is None or evaluator.condition(name)

    resources = {}
    for logical_id, resource in (template.get("Resources") or {}).items():
        if not included(resource):
            continue
        rendered = {key: value for key, value in resource.items() if key != "Properties"}
        if "Properties" in resource:
            rendered["Properties"] = evaluator.value(resource["Properties"], strict=False)
        resources[logical_id] = rendered

    outputs = {}
    for name, output in (template.get("Outputs") or {}).items():
        if included(output):
            outputs[name] = evaluator.value(output, strict=False)

    globals_ = evaluator.value(template.get("Globals") or {}, strict=False)
    return {
        "Parameters": {k: v for k, v in evaluator.values.items() if not k.startswith("AWS::")},
        "Conditions": dict(evaluator.conditions),
        "Globals": globals_,
        "Resources": resources,
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
    evaluator = _Evaluator(template, parameters)
    if "Condition" in table and not evaluator.condition(table["Condition"]):
        raise CfnError(f"{TABLE_LOGICAL_ID} is not created with these parameters")
    return evaluator.value(table.get("Properties") or {}, strict=True)


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
