"""template.yaml against the design (docs/design.md): the users table, alarms, functions, routes, IAM.

Rendering goes through tools/cfn_table.py, the same code that creates the local table, so these
tests also cover what the local run and the application tests get.
"""

from __future__ import annotations

import fnmatch
import json
import re
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
TEMPLATE = REPO / "template.yaml"
sys.path.insert(0, str(REPO / "tools"))

import cfn_table  # noqa: E402

KMS_KEY = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
JWT_KEY_ID = "1234abcd-12ab-34cd-56ef-1234567890ab"
# Keys that signed tokens before the current one (a rotation), as their ARNs.
PREVIOUS_JWT_KEYS = [
    "arn:aws:kms:us-east-1:123456789012:key/0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9",
    "arn:aws:kms:us-east-1:123456789012:key/mrk-0123456789abcdef0123456789abcdef",
]

# One parameter set per combination the tests must hold for: both billing modes, with and without
# a customer managed key, streams on and off.
COMBINATIONS = [
    pytest.param({"BillingMode": billing, "KmsKeyArn": key, "EnableStreams": streams},
                 id=f"{billing}-{'cmk' if key else 'awskey'}-streams_{streams}")
    for billing in ("PAY_PER_REQUEST", "PROVISIONED")
    for key in ("", KMS_KEY)
    for streams in ("false", "true")
]

# The actions each function's role may have (docs/design.md: least privilege per function).
BASELINE_ACTIONS = {"logs:CreateLogStream", "logs:PutLogEvents", "xray:PutTraceSegments", "xray:PutTelemetryRecords"}
FUNCTION_ACTIONS = {
    "SignupFunction": {
        "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:ConditionCheckItem", "dynamodb:UpdateItem",
        "dynamodb:DeleteItem", "ses:SendEmail", "ses:SendRawEmail",
    },
    "LoginFunction": {
        "dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:UpdateItem", "dynamodb:PutItem", "dynamodb:DeleteItem",
        "kms:Sign", "kms:GetPublicKey",
    },
    "ResetFunction": {
        "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem",
        "ses:SendEmail", "ses:SendRawEmail",
    },
    "AccountFunction": {
        "dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:UpdateItem", "dynamodb:PutItem", "dynamodb:DeleteItem",
        "kms:GetPublicKey", "ses:SendEmail", "ses:SendRawEmail",
    },
    # No KMS at all (it neither signs nor verifies tokens), no ConditionCheckItem, Scan only on the index.
    "AdminFunction": {
        "dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Scan", "dynamodb:UpdateItem", "dynamodb:PutItem",
        "dynamodb:DeleteItem", "ses:SendEmail", "ses:SendRawEmail",
    },
}
TABLE_KEY_ACTIONS = {"kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey", "kms:DescribeKey"}

ROUTES = {
    "SignupFunction": {
        ("POST", "/signup"), ("POST", "/email-verification"), ("POST", "/email-verification/confirm"),
        ("GET", "/verify-email"),
    },
    "LoginFunction": {
        ("POST", "/login"), ("POST", "/login/mfa"), ("POST", "/token/refresh"), ("POST", "/logout"),
        ("GET", "/.well-known/jwks.json"), ("GET", "/.well-known/openid-configuration"), ("GET", "/passkeys"),
        ("POST", "/passkeys/authentication-options"), ("POST", "/passkeys/login"),
    },
    "ResetFunction": {
        ("POST", "/password-reset"), ("POST", "/password-reset/confirm"),
        ("GET", "/reset-password"), ("GET", "/pages/pages.js"), ("GET", "/pages/passkeys.js"),
        ("GET", "/pages/pages.css"),
    },
    "AccountFunction": {
        ("GET", "/me"), ("PATCH", "/me"), ("DELETE", "/me"), ("POST", "/me/password"), ("POST", "/me/email"),
        ("GET", "/me/sessions"), ("DELETE", "/me/sessions/{sessionId}"),
        ("POST", "/me/mfa/totp"), ("DELETE", "/me/mfa/totp"), ("POST", "/me/mfa/totp/confirm"),
        ("POST", "/me/mfa/recovery-codes"),
        ("POST", "/email-change/confirm"), ("GET", "/confirm-email-change"),
        ("POST", "/me/passkeys/registration-options"), ("POST", "/me/passkeys"), ("GET", "/me/passkeys"),
        ("DELETE", "/me/passkeys/{passkeyId}"),
    },
    "AdminFunction": {
        ("GET", "/admin/users"), ("GET", "/admin/users/{userId}"), ("DELETE", "/admin/users/{userId}"),
        ("POST", "/admin/users/{userId}/disable"), ("POST", "/admin/users/{userId}/enable"),
        ("POST", "/admin/users/{userId}/sign-out"), ("POST", "/admin/users/{userId}/unlock"),
        ("POST", "/admin/users/{userId}/password-reset"), ("DELETE", "/admin/users/{userId}/mfa"),
        ("DELETE", "/admin/users/{userId}/passkeys/{passkeyId}"),
    },
}
# The authorizer API Gateway runs before each function: the JWT authorizer for the signed-in routes (a bearer
# token), AWS_IAM (a SigV4 signature and execute-api:Invoke) for the admin routes, none for the others.
FUNCTION_AUTHORIZER = {"AccountFunction": "AccessToken", "AdminFunction": "AWS_IAM"}
PASSKEY_FUNCTIONS = {"LoginFunction", "AccountFunction"}
ADMIN_UPDATABLE_ATTRIBUTES = {
    "userId", "disabledAt", "disabledReason", "updatedAt", "failedLogins", "lockedUntil", "resetToken",
    "sessionIds", "sessionsVersion", "totpSecret", "totpPendingSecret", "totpLastStep", "recoveryCodes",
    "passkeyIds",
}
# Routes that need a bearer token: API Gateway's JWT authorizer runs before the function. Every /me route does;
# the email-change link's confirmation and page do not (the link may open on another device).
AUTHORIZED_ROUTES = {route for route in ROUTES["AccountFunction"] if route[1].startswith("/me")}

ENV_VARS = {
    "AUTH_USERS_TABLE", "AUTH_JWT_KMS_KEY_ID", "AUTH_JWT_ISSUER", "AUTH_JWT_AUDIENCE",
    "AUTH_MAIL_SENDER", "AUTH_PASSWORD_BCRYPT_COST",
    "AUTH_SESSION_ABSOLUTE_LIFETIME", "AUTH_SESSION_IDLE_TIMEOUT", "AUTH_SESSION_REFRESH_GRACE",
    "AUTH_SESSION_MAX_PER_USER", "AUTH_LOGIN_REQUIRE_VERIFIED_EMAIL",
}
# Set only when the operator gives a page of the shop's; otherwise the links open this API's own pages.
OPTIONAL_ENV_VARS = {"AUTH_RESET_LINK_BASE_URL", "AUTH_VERIFICATION_LINK_BASE_URL", "AUTH_EMAIL_CHANGE_LINK_BASE_URL"}

# Declared empty so that `sam local --env-vars` may set them (local/*.json).
ENDPOINT_OVERRIDES = {"QUARKUS_DYNAMODB_ENDPOINT_OVERRIDE", "QUARKUS_KMS_ENDPOINT_OVERRIDE",
                      "QUARKUS_SES_ENDPOINT_OVERRIDE"}

SYSTEM_ERROR_OPERATIONS = {"GetItem", "PutItem", "UpdateItem", "DeleteItem", "TransactWriteItems", "Query",
                           "BatchGetItem", "Scan"}
CAPACITY_ALARMS = {
    "UsersTableReadCapacityAlarm", "UsersTableWriteCapacityAlarm",
    "EmailIndexReadCapacityAlarm", "EmailIndexWriteCapacityAlarm",
}


def table(**parameters):
    return cfn_table.render_users_table(str(TEMPLATE), parameters)


def render(**parameters):
    return cfn_table.render_template(TEMPLATE, parameters)


def as_list(value):
    return value if isinstance(value, list) else [value]


def metric_ids(alarm):
    return {m["Id"]: m for m in alarm["Properties"]["Metrics"]}


def expression_of(alarm):
    (returned,) = [m for m in alarm["Properties"]["Metrics"] if m.get("ReturnData")]
    return returned["Expression"]


def dimensions(metric):
    return {d["Name"]: d["Value"] for d in metric["MetricStat"]["Metric"]["Dimensions"]}


# ---------------------------------------------------------------------------------------------
# Loader and parameters
# ---------------------------------------------------------------------------------------------


def test_short_form_tags_become_long_form(tmp_path):
    path = tmp_path / "t.yaml"
    path.write_text(
        "Resources:\n"
        "  R:\n"
        "    Type: X\n"
        "    Properties:\n"
        "      A: !Ref P\n"
        "      B: !GetAtt Res.Arn\n"
        "      C: !If [Cond, !Sub 'x-${P}', !Ref AWS::NoValue]\n"
        "      D: !Select [1, !Split [',', 'a,b']]\n"
        "      E: !Join ['-', [a, b]]\n"
        "      F: !Not [!Equals [!Ref P, '']]\n"
    )
    properties = cfn_table.load_template(path)["Resources"]["R"]["Properties"]
    assert properties == {
        "A": {"Ref": "P"},
        "B": {"Fn::GetAtt": ["Res", "Arn"]},
        "C": {"Fn::If": ["Cond", {"Fn::Sub": "x-${P}"}, {"Ref": "AWS::NoValue"}]},
        "D": {"Fn::Select": [1, {"Fn::Split": [",", "a,b"]}]},
        "E": {"Fn::Join": ["-", ["a", "b"]]},
        "F": {"Fn::Not": [{"Fn::Equals": [{"Ref": "P"}, ""]}]},
    }


def test_evaluator_handles_sub_join_select_split_and_conditions(tmp_path):
    path = tmp_path / "t.yaml"
    path.write_text(
        "Parameters:\n"
        "  P: {Type: String, Default: v}\n"
        "  L: {Type: CommaDelimitedList, Default: 'a,b'}\n"
        "Conditions:\n"
        "  IsV: !Equals [!Ref P, v]\n"
        "  Both: !And [!Condition IsV, !Or [!Equals [a, b], !Not [!Equals [a, b]]]]\n"
        "Resources:\n"
        "  R:\n"
        "    Type: X\n"
        "    Properties:\n"
        "      Sub: !Sub '${AWS::Region}/${P}/${!Literal}/${Local}'\n"
        "      SubList: !Sub ['${X}', {X: !Ref P}]\n"
        "      Join: !Join ['+', !Ref L]\n"
        "      Select: !Select [1, !Ref L]\n"
        "      Split: !Split ['.', 'a.b.c']\n"
        "      If: !If [Both, yes-branch, no-branch]\n"
        "      Gone: !Ref AWS::NoValue\n"
        "      Kept: !GetAtt Other.Arn\n"
        "  Other: {Type: Y}\n"
    )
    with pytest.raises(cfn_table.CfnError, match="Local"):
        cfn_table.render_template(path)
    path.write_text(path.read_text().replace("/${Local}", ""))
    rendered = cfn_table.render_template(path, {"P": "v", "AWS::Region": "eu-west-1"})
    assert rendered["Resources"]["R"]["Properties"] == {
        "Sub": "eu-west-1/v/${Literal}",
        "SubList": "v",
        "Join": "a+b",
        "Select": "b",
        "Split": ["a", "b", "c"],
        "If": "yes-branch",
        "Kept": {"Fn::GetAtt": ["Other", "Arn"]},
    }
    assert cfn_table.render_template(path, {"P": "w"})["Resources"]["R"]["Properties"]["If"] == "no-branch"


@pytest.mark.parametrize(
    "parameters",
    [
        {"BillingMode": "ON_DEMAND"},
        {"ReadCapacity": 0},
        {"PasswordBcryptCost": 9},
        {"PasswordBcryptCost": 17},
        {"KmsKeyArn": "not-an-arn"},
        {"PreviousJwtKeyIds": JWT_KEY_ID},  # an ID: IAM needs the ARN
        {"PreviousJwtKeyIds": "alias/ecommerce-users-jwt"},
        {"PreviousJwtKeyIds": "arn:aws:kms:us-east-1:123456789012:alias/ecommerce-users-jwt"},
        {"PreviousJwtKeyIds": f"{PREVIOUS_JWT_KEYS[0]},*"},
        {"NoSuchParameter": "x"},
    ],
)
def test_invalid_parameters_are_refused(parameters):
    with pytest.raises(cfn_table.CfnError):
        table(**parameters)


def test_relative_default_path_works_from_another_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert cfn_table.render_users_table()["TableName"] == "ecommerce-users"


# ---------------------------------------------------------------------------------------------
# The users table (docs/design.md)
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("parameters", COMBINATIONS)
def test_table_matches_design(parameters):
    rendered = table(**parameters)
    assert rendered["TableName"] == "ecommerce-users"
    assert rendered["KeySchema"] == [{"AttributeName": "userId", "KeyType": "HASH"}]
    assert sorted((a["AttributeName"], a["AttributeType"]) for a in rendered["AttributeDefinitions"]) == [
        ("email", "S"), ("userId", "S"),
    ]
    (index,) = rendered["GlobalSecondaryIndexes"]
    assert index["IndexName"] == "email-index"
    assert index["KeySchema"] == [{"AttributeName": "email", "KeyType": "HASH"}]
    assert index["Projection"] == {"ProjectionType": "ALL"}
    assert rendered["TimeToLiveSpecification"] == {"AttributeName": "resetTokenExpiry", "Enabled": True}
    assert rendered["PointInTimeRecoverySpecification"] == {"PointInTimeRecoveryEnabled": "true"}
    assert rendered["DeletionProtectionEnabled"] == "true"
    assert {t["Key"]: t["Value"] for t in rendered["Tags"]} == {
        "Environment": "production", "Project": "ecommerce-auth",
    }

    provisioned = parameters["BillingMode"] == "PROVISIONED"
    assert rendered["BillingMode"] == parameters["BillingMode"]
    assert ("ProvisionedThroughput" in rendered) is provisioned
    assert ("ProvisionedThroughput" in index) is provisioned

    if parameters["KmsKeyArn"]:
        assert rendered["SSESpecification"] == {"SSEEnabled": True, "SSEType": "KMS", "KMSMasterKeyId": KMS_KEY}
    else:
        assert rendered["SSESpecification"] == {"SSEEnabled": True}

    if parameters["EnableStreams"] == "true":
        assert rendered["StreamSpecification"] == {"StreamViewType": "NEW_AND_OLD_IMAGES"}
    else:
        assert "StreamSpecification" not in rendered


def test_provisioned_capacities_come_from_their_own_parameters():
    rendered = table(BillingMode="PROVISIONED", ReadCapacity=7, WriteCapacity=3, GsiReadCapacity=4, GsiWriteCapacity=2)
    assert rendered["ProvisionedThroughput"] == {"ReadCapacityUnits": 7, "WriteCapacityUnits": 3}
    assert rendered["GlobalSecondaryIndexes"][0]["ProvisionedThroughput"] == {
        "ReadCapacityUnits": 4, "WriteCapacityUnits": 2,
    }


def test_table_parameters_reach_the_table():
    rendered = table(TableName="other-users", EnablePointInTimeRecovery="false", DeletionProtection="false",
                     Environment="staging", Project="p")
    assert rendered["TableName"] == "other-users"
    assert rendered["PointInTimeRecoverySpecification"] == {"PointInTimeRecoveryEnabled": "false"}
    assert rendered["DeletionProtectionEnabled"] == "false"
    assert {t["Key"]: t["Value"] for t in rendered["Tags"]} == {"Environment": "staging", "Project": "p"}


def test_table_is_retained_on_delete_and_replace():
    resource = cfn_table.load_template(TEMPLATE)["Resources"]["UsersTable"]
    assert resource["DeletionPolicy"] == "Retain"
    assert resource["UpdateReplacePolicy"] == "Retain"
    assert "Condition" not in resource


# ---------------------------------------------------------------------------------------------
# boto3 mapping (what the local table is created with)
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("parameters", COMBINATIONS)
def test_create_table_kwargs(parameters):
    kwargs = cfn_table.create_table_kwargs(table(**parameters))
    assert kwargs["TableName"] == "ecommerce-users"
    assert kwargs["KeySchema"] == [{"AttributeName": "userId", "KeyType": "HASH"}]
    assert kwargs["GlobalSecondaryIndexes"][0]["IndexName"] == "email-index"
    assert kwargs["BillingMode"] == parameters["BillingMode"]
    assert kwargs["DeletionProtectionEnabled"] is True
    assert kwargs["Tags"] == [{"Key": "Environment", "Value": "production"}, {"Key": "Project", "Value": "ecommerce-auth"}]
    if parameters["BillingMode"] == "PROVISIONED":
        assert kwargs["ProvisionedThroughput"] == {"ReadCapacityUnits": 5, "WriteCapacityUnits": 5}
        assert kwargs["GlobalSecondaryIndexes"][0]["ProvisionedThroughput"] == {"ReadCapacityUnits": 5, "WriteCapacityUnits": 5}
    else:
        assert "ProvisionedThroughput" not in kwargs
        assert "ProvisionedThroughput" not in kwargs["GlobalSecondaryIndexes"][0]
    if parameters["EnableStreams"] == "true":
        assert kwargs["StreamSpecification"] == {"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"}
    else:
        assert "StreamSpecification" not in kwargs
    if parameters["KmsKeyArn"]:
        assert kwargs["SSESpecification"] == {"Enabled": True, "SSEType": "KMS", "KMSMasterKeyId": KMS_KEY}
    else:
        assert kwargs["SSESpecification"] == {"Enabled": True}


@pytest.mark.parametrize("parameters", COMBINATIONS)
def test_boto3_calls_are_valid_for_the_dynamodb_api(parameters):
    botocore_session = pytest.importorskip("botocore.session")
    from botocore.validate import ParamValidator

    model = botocore_session.get_session().get_service_model("dynamodb")
    rendered = table(**parameters)
    calls = [("create_table", cfn_table.create_table_kwargs(rendered)), *cfn_table.post_create_calls(rendered)]
    operations = {op: model.operation_model(op) for op in model.operation_names}
    by_python_name = {re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower(): op for name, op in operations.items()}
    for method, kwargs in calls:
        report = ParamValidator().validate(kwargs, by_python_name[method].input_shape)
        assert not report.has_errors(), f"{method}: {report.generate_report()}"


def test_post_create_calls():
    calls = cfn_table.post_create_calls(table())
    assert calls == [
        ("update_time_to_live", {
            "TableName": "ecommerce-users",
            "TimeToLiveSpecification": {"Enabled": True, "AttributeName": "resetTokenExpiry"},
        }),
        ("update_continuous_backups", {
            "TableName": "ecommerce-users",
            "PointInTimeRecoverySpecification": {"PointInTimeRecoveryEnabled": True},
        }),
    ]
    without_pitr = cfn_table.post_create_calls(table(EnablePointInTimeRecovery="false"))
    assert [name for name, _ in without_pitr] == ["update_time_to_live"]


def test_deletion_protection_off_maps_to_false():
    assert cfn_table.create_table_kwargs(table(DeletionProtection="false"))["DeletionProtectionEnabled"] is False


# ---------------------------------------------------------------------------------------------
# Outputs
# ---------------------------------------------------------------------------------------------


def test_stream_arn_output_only_with_streams():
    with_streams = render(EnableStreams="true")["Outputs"]
    without = render(EnableStreams="false")["Outputs"]
    assert with_streams["StreamArn"]["Value"] == {"Fn::GetAtt": ["UsersTable", "StreamArn"]}
    assert "StreamArn" not in without


def test_outputs():
    outputs = render()["Outputs"]
    assert {
        "TableName", "TableArn", "TableId", "EmailIndexName", "ApiUrl", "JwksUrl",
        "SignupFunctionArn", "LoginFunctionArn", "ResetFunctionArn", "AccountFunctionArn", "AdminFunctionArn",
        "AdminRoutesArn", "AlarmTopicArn", "AlarmTopicName",
    } <= set(outputs)
    assert outputs["TableArn"]["Value"] == {"Fn::GetAtt": ["UsersTable", "Arn"]}
    assert outputs["EmailIndexName"]["Value"] == table()["GlobalSecondaryIndexes"][0]["IndexName"]
    assert outputs["JwksUrl"]["Value"]["Fn::Sub"].endswith("/.well-known/jwks.json")
    assert outputs["JwksUrl"]["Value"]["Fn::Sub"].startswith("https://${AuthApi}.execute-api.")
    for name in ("Signup", "Login", "Reset", "Account", "Admin"):
        assert outputs[f"{name}FunctionArn"]["Value"] == {"Fn::GetAtt": [f"{name}Function", "Arn"]}
    assert outputs["AlarmTopicArn"]["Value"] == {"Ref": "AlarmTopic"}
    # What an operator's policy grants execute-api:Invoke on: the admin routes of this API, nothing else.
    assert outputs["AdminRoutesArn"]["Value"] == {
        "Fn::Sub": "arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${AuthApi}/*/*/admin/users*"}


# ---------------------------------------------------------------------------------------------
# Alarms
# ---------------------------------------------------------------------------------------------


def alarms(**parameters):
    return {k: v for k, v in render(**parameters)["Resources"].items() if v["Type"] == "AWS::CloudWatch::Alarm"}


def test_capacity_alarms_only_when_provisioned():
    on_demand = alarms(BillingMode="PAY_PER_REQUEST")
    provisioned = alarms(BillingMode="PROVISIONED")
    assert not CAPACITY_ALARMS & set(on_demand)
    assert CAPACITY_ALARMS <= set(provisioned)
    always = {
        "UsersTableThrottleAlarm", "UsersTableSystemErrorsAlarm", "SignupFunctionErrorsAlarm",
        "LoginFunctionErrorsAlarm", "ResetFunctionErrorsAlarm", "AuthApi5xxAlarm",
    }
    assert always <= set(on_demand)
    assert always <= set(provisioned)


@pytest.mark.parametrize(
    ("alarm_id", "metric_name", "index", "capacity_parameter"),
    [
        ("UsersTableReadCapacityAlarm", "ConsumedReadCapacityUnits", False, "ReadCapacity"),
        ("UsersTableWriteCapacityAlarm", "ConsumedWriteCapacityUnits", False, "WriteCapacity"),
        ("EmailIndexReadCapacityAlarm", "ConsumedReadCapacityUnits", True, "GsiReadCapacity"),
        ("EmailIndexWriteCapacityAlarm", "ConsumedWriteCapacityUnits", True, "GsiWriteCapacity"),
    ],
)
def test_capacity_alarm_is_percent_of_provisioned(alarm_id, metric_name, index, capacity_parameter):
    capacities = {"ReadCapacity": 11, "WriteCapacity": 13, "GsiReadCapacity": 17, "GsiWriteCapacity": 19}
    alarm = alarms(BillingMode="PROVISIONED", **capacities)[alarm_id]
    properties = alarm["Properties"]
    assert alarm["Condition"] == "IsProvisioned"
    assert properties["Threshold"] == 80
    assert properties["ComparisonOperator"] == "GreaterThanThreshold"
    assert properties["EvaluationPeriods"] == 2
    assert properties["TreatMissingData"] == "notBreaching"
    consumed = [m for m in properties["Metrics"] if "MetricStat" in m]
    assert len(consumed) == 1
    stat = consumed[0]["MetricStat"]
    assert stat["Metric"]["MetricName"] == metric_name
    assert stat["Stat"] == "Sum"
    assert stat["Period"] == 300
    expected_dimensions = {"TableName": {"Ref": "UsersTable"}}
    if index:
        expected_dimensions["GlobalSecondaryIndexName"] = "email-index"
    assert dimensions(consumed[0]) == expected_dimensions
    metric_id = consumed[0]["Id"]
    expression = re.sub(r"\s+", "", expression_of(alarm))
    assert expression == f"({metric_id}/PERIOD({metric_id}))/{capacities[capacity_parameter]}*100"


def test_throttle_alarm_sums_read_and_write_throttle_events():
    alarm = alarms()["UsersTableThrottleAlarm"]
    properties = alarm["Properties"]
    metrics = {i: m for i, m in metric_ids(alarm).items() if "MetricStat" in m}
    names = {m["MetricStat"]["Metric"]["MetricName"] for m in metrics.values()}
    assert names == {"ReadThrottleEvents", "WriteThrottleEvents"}
    assert "ThrottledRequests" not in str(properties)
    for metric in metrics.values():
        assert metric["MetricStat"]["Stat"] == "Sum"
        assert metric["MetricStat"]["Period"] == 300
        assert dimensions(metric)["TableName"] == {"Ref": "UsersTable"}
        assert "Operation" not in dimensions(metric)
    expression = expression_of(alarm)
    for metric_id in metrics:
        assert re.search(rf"\b{metric_id}\b", expression), f"{metric_id} not summed"
    assert "+" in expression
    assert properties["Threshold"] == 10
    assert properties["ComparisonOperator"] == "GreaterThanThreshold"
    assert properties["EvaluationPeriods"] == 1
    assert "MetricName" not in properties


def test_system_errors_alarm_sums_each_operation():
    alarm = alarms()["UsersTableSystemErrorsAlarm"]
    metrics = {i: m for i, m in metric_ids(alarm).items() if "MetricStat" in m}
    assert {m["MetricStat"]["Metric"]["MetricName"] for m in metrics.values()} == {"SystemErrors"}
    assert {dimensions(m)["Operation"] for m in metrics.values()} == SYSTEM_ERROR_OPERATIONS
    assert len(metrics) == len(SYSTEM_ERROR_OPERATIONS)
    expression = expression_of(alarm)
    for metric_id in metrics:
        assert re.search(rf"\b{metric_id}\b", expression), f"{metric_id} not summed"


@pytest.mark.parametrize(
    ("alarm_id", "namespace", "metric_name", "dimension"),
    [
        ("SignupFunctionErrorsAlarm", "AWS/Lambda", "Errors", ("FunctionName", {"Ref": "SignupFunction"})),
        ("LoginFunctionErrorsAlarm", "AWS/Lambda", "Errors", ("FunctionName", {"Ref": "LoginFunction"})),
        ("ResetFunctionErrorsAlarm", "AWS/Lambda", "Errors", ("FunctionName", {"Ref": "ResetFunction"})),
        ("AccountFunctionErrorsAlarm", "AWS/Lambda", "Errors", ("FunctionName", {"Ref": "AccountFunction"})),
        ("AdminFunctionErrorsAlarm", "AWS/Lambda", "Errors", ("FunctionName", {"Ref": "AdminFunction"})),
        ("AuthApi5xxAlarm", "AWS/ApiGateway", "5xx", ("ApiId", {"Ref": "AuthApi"})),
    ],
)
def test_function_and_api_alarms(alarm_id, namespace, metric_name, dimension):
    properties = alarms()[alarm_id]["Properties"]
    assert properties["Namespace"] == namespace
    assert properties["MetricName"] == metric_name
    assert [{"Name": dimension[0], "Value": dimension[1]}] == properties["Dimensions"]
    assert properties["Statistic"] == "Sum"
    assert properties["Period"] == 300


# Every alarm of every variant of the stack (capacity alarms with PROVISIONED, the stream audit alarm with
# streams in JVM mode).
EVERY_ALARM = {"BillingMode": "PROVISIONED", "EnableStreams": "true", "DeploymentMode": "jvm"}
ALARM_TOPIC_RESOURCES = {"AlarmTopic", "AlarmTopicKey", "AlarmTopicKeyAlias", "AlarmTopicPolicy"}


def test_alarm_actions_from_parameter():
    topics = "arn:aws:sns:us-east-1:123456789012:a,arn:aws:sns:us-east-1:123456789012:b"
    rendered = render(AlarmActions=topics, **EVERY_ALARM)
    found = {k: v for k, v in rendered["Resources"].items() if v["Type"] == "AWS::CloudWatch::Alarm"}
    declared = {k for k, v in cfn_table.load_template(TEMPLATE)["Resources"].items()
                if v["Type"] == "AWS::CloudWatch::Alarm"}
    assert set(found) == declared and len(found) == 15
    for alarm_id, alarm in found.items():
        assert alarm["Properties"]["AlarmActions"] == topics.split(","), alarm_id
        assert alarm["Properties"]["TreatMissingData"] == "notBreaching", alarm_id
    # The operator's own topics: the stack creates none, and outputs none.
    assert not ALARM_TOPIC_RESOURCES & set(rendered["Resources"])
    assert "AlarmEmailSubscription" not in rendered["Resources"]
    assert not {"AlarmTopicArn", "AlarmTopicName"} & set(rendered["Outputs"])


@pytest.mark.parametrize("parameters", [{}, EVERY_ALARM, *[p.values[0] for p in COMBINATIONS]])
def test_every_alarm_notifies_someone_with_default_parameters(parameters):
    # Nobody was told before: an empty AlarmActions left every alarm without an action.
    rendered = render(**parameters)
    assert ALARM_TOPIC_RESOURCES <= set(rendered["Resources"])
    found = {k: v for k, v in rendered["Resources"].items() if v["Type"] == "AWS::CloudWatch::Alarm"}
    assert found
    for alarm_id, alarm in found.items():
        assert alarm["Properties"]["AlarmActions"] == [{"Ref": "AlarmTopic"}], alarm_id
        assert "AlarmName" not in alarm["Properties"], alarm_id  # CloudFormation names it <stack>-<id>-<suffix>


def test_the_alarm_topic_is_encrypted_with_a_key_cloudwatch_may_use():
    resources = render()["Resources"]
    topic = resources["AlarmTopic"]["Properties"]
    # A customer managed key: CloudWatch cannot publish to a topic under the AWS managed aws/sns key, whose
    # policy cannot grant it the key.
    assert topic["KmsMasterKeyId"] == {"Fn::GetAtt": ["AlarmTopicKey", "Arn"]}
    key = resources["AlarmTopicKey"]
    assert key["Properties"]["EnableKeyRotation"] is True
    assert key["Properties"]["KeySpec"] == "SYMMETRIC_DEFAULT"  # SNS takes symmetric keys only
    assert key["DeletionPolicy"] == "Delete"
    statements = {s["Sid"]: s for s in key["Properties"]["KeyPolicy"]["Statement"]}
    assert set(statements) == {"AccountRootAdministers", "CloudWatchEncryptsAlarmNotifications"}
    cloudwatch = statements["CloudWatchEncryptsAlarmNotifications"]
    assert cloudwatch["Principal"] == {"Service": "cloudwatch.amazonaws.com"}
    assert set(cloudwatch["Action"]) == {"kms:Decrypt", "kms:GenerateDataKey*"}
    assert statements["AccountRootAdministers"]["Principal"] == {"AWS": "arn:aws:iam::123456789012:root"}
    assert resources["AlarmTopicKeyAlias"]["Properties"] == {
        "AliasName": "alias/local-alarms", "TargetKeyId": {"Ref": "AlarmTopicKey"}}
    # Only this account's alarms publish.
    policy = resources["AlarmTopicPolicy"]["Properties"]
    assert policy["Topics"] == [{"Ref": "AlarmTopic"}]
    (publish,) = policy["PolicyDocument"]["Statement"]
    assert publish["Principal"] == {"Service": "cloudwatch.amazonaws.com"}
    assert publish["Action"] == "sns:Publish"
    assert publish["Resource"] == {"Ref": "AlarmTopic"}
    assert publish["Condition"] == {
        "StringEquals": {"aws:SourceAccount": "123456789012"},
        "ArnLike": {"aws:SourceArn": "arn:aws:cloudwatch:us-east-1:123456789012:alarm:*"},
    }


def test_alarm_email_subscribes_to_the_stack_topic_only():
    assert "AlarmEmailSubscription" not in render()["Resources"]
    subscription = render(AlarmEmail="ops@shop.example.com")["Resources"]["AlarmEmailSubscription"]["Properties"]
    assert subscription == {"TopicArn": {"Ref": "AlarmTopic"}, "Protocol": "email", "Endpoint": "ops@shop.example.com"}
    with pytest.raises(cfn_table.CfnError):
        render(AlarmEmail="not an address")
    # With AlarmActions there is no stack topic to subscribe to: CloudFormation refuses the pair (a Rule).
    rule = cfn_table.load_template(TEMPLATE)["Rules"]["AlarmEmailOnlyWithTheStackTopic"]
    assert rule["RuleCondition"] == {"Fn::Not": [{"Fn::EachMemberEquals": [{"Ref": "AlarmActions"}, ""]}]}
    assert [a["Assert"] for a in rule["Assertions"]] == [{"Fn::Equals": [{"Ref": "AlarmEmail"}, ""]}]


FILTER_PATTERN = re.compile(r'^\{ \$\.mdc\.authEvent = "([a-z_]+)" \}$')


@pytest.mark.parametrize(
    ("filter_id", "log_group", "event", "metric", "alarm_id"),
    [
        ("AdminActionsMetricFilter", "AdminLogGroup", "admin_action", "AdminActions", "AdminActionsBurstAlarm"),
        ("RefreshTokenReuseMetricFilter", "LoginLogGroup", "refresh_token_reuse", "RefreshTokenReuse",
         "RefreshTokenReuseAlarm"),
    ],
)
def test_audit_metric_filters_and_their_alarms(filter_id, log_group, event, metric, alarm_id):
    resources = render()["Resources"]
    audit_filter = resources[filter_id]["Properties"]
    # The audit line is JSON with the event in mdc.authEvent (AuthEvents, quarkus-logging-json).
    assert audit_filter["LogGroupName"] == {"Ref": log_group}
    assert FILTER_PATTERN.match(audit_filter["FilterPattern"]).group(1) == event
    (transformation,) = audit_filter["MetricTransformations"]
    assert transformation == {"MetricNamespace": "local/AuthAudit", "MetricName": metric, "MetricValue": "1",
                              "Unit": "Count"}
    alarm = resources[alarm_id]["Properties"]
    assert (alarm["Namespace"], alarm["MetricName"]) == ("local/AuthAudit", metric)
    assert "Dimensions" not in alarm  # the filter publishes the metric without dimensions
    assert (alarm["Statistic"], alarm["Period"], alarm["EvaluationPeriods"]) == ("Sum", 300, 1)
    assert alarm["ComparisonOperator"] == "GreaterThanThreshold"
    assert alarm["TreatMissingData"] == "notBreaching"


def test_admin_burst_threshold_is_a_parameter_and_any_token_reuse_alarms():
    assert alarms()["AdminActionsBurstAlarm"]["Properties"]["Threshold"] == 50
    assert alarms(AdminActionsAlarmThreshold=200)["AdminActionsBurstAlarm"]["Properties"]["Threshold"] == 200
    with pytest.raises(cfn_table.CfnError):
        alarms(AdminActionsAlarmThreshold=0)
    assert alarms()["RefreshTokenReuseAlarm"]["Properties"]["Threshold"] == 0


# ---------------------------------------------------------------------------------------------
# Functions, routes, HTTP API
# ---------------------------------------------------------------------------------------------


def functions(**parameters):
    return {k: v for k, v in render(**parameters)["Resources"].items() if v["Type"] == "AWS::Serverless::Function"}


def test_each_function_has_only_its_routes_on_the_one_api():
    found = functions()
    assert set(found) == set(ROUTES)
    apis = [k for k, v in render()["Resources"].items() if v["Type"] == "AWS::Serverless::HttpApi"]
    assert apis == ["AuthApi"]
    for name, function in found.items():
        events = function["Properties"]["Events"].values()
        assert all(e["Type"] == "HttpApi" for e in events)
        assert all(e["Properties"]["ApiId"] == {"Ref": "AuthApi"} for e in events)
        assert {(e["Properties"]["Method"], e["Properties"]["Path"]) for e in events} == ROUTES[name]
        for e in events:
            route = (e["Properties"]["Method"], e["Properties"]["Path"])
            authorizer = e["Properties"].get("Auth", {}).get("Authorizer")
            expected = ("AccessToken" if route in AUTHORIZED_ROUTES else None) if name == "AccountFunction" \
                else FUNCTION_AUTHORIZER.get(name)
            assert authorizer == expected, (name, route)


def test_the_access_log_never_holds_a_path_or_query_string():
    # The pages' links carry one-time tokens in their query string: the log names the route, not the request.
    log_format = render()["Resources"]["AuthApi"]["Properties"]["AccessLogSettings"]["Format"]
    assert "$context.routeKey" in log_format
    for variable in ("$context.path", "$context.resourcePath", "$request.querystring", "$context.requestOverride",
                     "$input", "$request.path", "$context.authorizer.error", "$request.header"):
        assert variable not in log_format, variable
    assert "querystring" not in log_format.lower() and "path" not in log_format.lower()


def test_the_jwt_authorizer_trusts_our_issuer_and_audience():
    rendered = render(JwtIssuer="https://auth.example.org", JwtAudience="orders")
    authorizer = rendered["Resources"]["AuthApi"]["Properties"]["Auth"]["Authorizers"]["AccessToken"]
    assert authorizer["IdentitySource"] == "$request.header.Authorization"
    # API Gateway discovers the keys at {issuer}/.well-known/openid-configuration, served by the login function
    assert authorizer["JwtConfiguration"] == {"issuer": "https://auth.example.org", "audience": ["orders"]}


def test_session_settings_reach_the_application():
    variables = render(SessionIdleTimeout="P1D", RefreshGracePeriod="PT0S", MaxSessionsPerUser="3")[
        "Globals"]["Function"]["Environment"]["Variables"]
    assert variables["AUTH_SESSION_IDLE_TIMEOUT"] == "P1D"
    assert variables["AUTH_SESSION_REFRESH_GRACE"] == "PT0S"
    assert str(variables["AUTH_SESSION_MAX_PER_USER"]) == "3"
    assert variables["AUTH_SESSION_ABSOLUTE_LIFETIME"] == "P30D"


def test_one_package_for_all_functions():
    # A directory, not target/function.zip: SAM skips building a function whose CodeUri is a .zip and then
    # writes a built template whose relative .zip path no longer resolves (sam deploy after sam build).
    globals_ = render()["Globals"]["Function"]
    assert globals_["CodeUri"] == "target/function"
    for function in functions().values():
        assert "CodeUri" not in function["Properties"]


def test_sam_build_runs_the_makefile_for_every_function():
    # Metadata is per resource (Globals cannot hold it): every function, the stream audit function
    # included, must be built by the Makefile, or `sam build` would package target/function as it is.
    resources = cfn_table.load_template(TEMPLATE)["Resources"]
    found = [name for name, r in resources.items() if r["Type"] == "AWS::Serverless::Function"]
    assert found
    for name in found:
        assert resources[name].get("Metadata") == {"BuildMethod": "makefile", "ContextPath": "."}, name
    makefile = (REPO / "Makefile").read_text()
    assert re.search(r"^build-%:", makefile, re.M)


def test_native_by_default():
    globals_ = render()["Globals"]["Function"]
    assert globals_["Runtime"] == "provided.al2023"
    assert globals_["Handler"] == "not.used.in.provided.runtime"
    assert globals_["Environment"]["Variables"]["DISABLE_SIGNAL_HANDLERS"] == "true"
    assert "SnapStart" not in globals_
    assert globals_["Tracing"] == "Active"
    assert globals_["Timeout"] == 10


def test_jvm_mode_uses_snapstart():
    globals_ = render(DeploymentMode="jvm")["Globals"]["Function"]
    assert globals_["Runtime"] == "java21"
    assert globals_["Handler"] == "io.quarkus.amazon.lambda.runtime.QuarkusStreamHandler::handleRequest"
    assert globals_["SnapStart"] == {"ApplyOn": "PublishedVersions"}
    assert globals_["AutoPublishAlias"] == "live"
    assert "DISABLE_SIGNAL_HANDLERS" not in globals_["Environment"]["Variables"]


@pytest.mark.parametrize("architecture", ["x86_64", "arm64"])
def test_architecture_parameter(architecture):
    assert render(Architecture=architecture)["Globals"]["Function"]["Architectures"] == [architecture]


def test_environment_variables_for_the_application():
    variables = render()["Globals"]["Function"]["Environment"]["Variables"]
    assert ENV_VARS <= set(variables)
    assert set(variables) - ENV_VARS <= {"DISABLE_SIGNAL_HANDLERS", "JAVA_TOOL_OPTIONS"} | ENDPOINT_OVERRIDES
    assert variables["AUTH_USERS_TABLE"] == {"Ref": "UsersTable"}
    assert variables["AUTH_JWT_KMS_KEY_ID"] == {"Fn::GetAtt": ["JwtSigningKey", "Arn"]}
    assert variables["AUTH_JWT_ISSUER"] == "https://auth.shop.example.com"
    assert variables["AUTH_JWT_AUDIENCE"] == "shop-api"
    assert variables["AUTH_MAIL_SENDER"] == "no-reply@shop.example.com"
    assert not OPTIONAL_ENV_VARS & set(variables), "links open this API's own pages by default"
    assert variables["AUTH_LOGIN_REQUIRE_VERIFIED_EMAIL"] == "false"
    shop = render(ResetLinkBaseUrl="https://shop.example.com/reset", VerifyLinkBaseUrl="https://shop.example.com/verify",
                  EmailChangeLinkBaseUrl="https://shop.example.com/email")
    shop_variables = shop["Globals"]["Function"]["Environment"]["Variables"]
    assert shop_variables["AUTH_RESET_LINK_BASE_URL"] == "https://shop.example.com/reset"
    assert shop_variables["AUTH_VERIFICATION_LINK_BASE_URL"] == "https://shop.example.com/verify"
    assert shop_variables["AUTH_EMAIL_CHANGE_LINK_BASE_URL"] == "https://shop.example.com/email"
    assert variables["AUTH_PASSWORD_BCRYPT_COST"] == 12
    for name in variables:
        assert not re.search(r"SECRET|PASSWORD(?!_BCRYPT_COST)|PRIVATE", name), name
    # Everything is in Globals, but the previous JWT keys (only for the functions that trust them) and the TOTP
    # secret key (only for the functions that may use it).
    for function_id, function in functions().items():
        own = function["Properties"].get("Environment", {"Variables": {}})["Variables"]
        expected = {"AUTH_JWT_PREVIOUS_KMS_KEY_IDS"} if function_id in JWT_VERIFYING_FUNCTIONS else set()
        if function_id in {"LoginFunction", "AccountFunction"}:
            expected.add("AUTH_MFA_KMS_KEY_ID")
            assert own["AUTH_MFA_KMS_KEY_ID"] == {"Fn::GetAtt": ["TotpSecretKey", "Arn"]}
        if function_id in PASSKEY_FUNCTIONS:  # the relying party: only where passkeys are registered or used
            expected |= {"AUTH_WEBAUTHN_RP_ID", "AUTH_WEBAUTHN_RP_NAME", "AUTH_WEBAUTHN_ORIGINS"}
            assert own["AUTH_WEBAUTHN_RP_ID"] == "shop.example.com"
            assert own["AUTH_WEBAUTHN_ORIGINS"] == "https://shop.example.com"
        assert set(own) == expected, function_id


def test_memory_follows_the_cost_model():
    rendered = render()
    assert rendered["Globals"]["Function"]["MemorySize"] == 1769  # one vCPU: the fastest bcrypt, 5 % dearer than 512
    assert functions()["AccountFunction"]["Properties"]["MemorySize"] == 512  # waits on AWS, not CPU
    assert functions()["AdminFunction"]["Properties"]["MemorySize"] == 512  # never runs bcrypt
    assert render(FunctionMemorySize=1024)["Globals"]["Function"]["MemorySize"] == 1024


def test_jvm_mode_stops_at_c1():
    jvm = render(DeploymentMode="jvm")["Globals"]["Function"]["Environment"]["Variables"]
    assert jvm["JAVA_TOOL_OPTIONS"] == "-XX:+TieredCompilation -XX:TieredStopAtLevel=1"
    assert "JAVA_TOOL_OPTIONS" not in render()["Globals"]["Function"]["Environment"]["Variables"]


def test_existing_jwt_key_replaces_the_created_one():
    rendered = render(ExistingJwtKeyId=JWT_KEY_ID)
    assert "JwtSigningKey" not in rendered["Resources"]
    assert "JwtSigningKeyAlias" not in rendered["Resources"]
    arn = f"arn:aws:kms:us-east-1:123456789012:key/{JWT_KEY_ID}"
    assert rendered["Globals"]["Function"]["Environment"]["Variables"]["AUTH_JWT_KMS_KEY_ID"] == arn
    statements = rendered["Resources"]["LoginJwtSigningPolicy"]["Properties"]["PolicyDocument"]["Statement"]
    assert {s["Resource"] for s in statements} == {arn}


def test_created_jwt_key_is_an_rsa_signing_key_for_the_login_role():
    resources = render()["Resources"]
    # kept when a rotation takes it out of the stack: it still verifies its tokens as a previous key
    assert resources["JwtSigningKey"]["DeletionPolicy"] == "Retain"
    assert resources["JwtSigningKey"]["UpdateReplacePolicy"] == "Retain"
    key = resources["JwtSigningKey"]["Properties"]
    assert key["KeySpec"] == "RSA_2048"
    assert key["KeyUsage"] == "SIGN_VERIFY"
    assert resources["JwtSigningKeyAlias"]["Properties"]["TargetKeyId"] == {"Ref": "JwtSigningKey"}
    granted = {}
    for statement in key["KeyPolicy"]["Statement"]:
        principal = statement["Principal"]["AWS"]
        for action in as_list(statement["Action"]):
            granted.setdefault(action, []).append(principal)
    assert granted["kms:Sign"] == [{"Fn::GetAtt": ["LoginFunctionRole", "Arn"]}]
    assert granted["kms:GetPublicKey"] == [[{"Fn::GetAtt": ["LoginFunctionRole", "Arn"]},
                                            {"Fn::GetAtt": ["AccountFunctionRole", "Arn"]}]]
    assert granted["kms:*"] == ["arn:aws:iam::123456789012:root"]
    assert set(granted) == {"kms:*", "kms:Sign", "kms:GetPublicKey"}


# The functions that serve the JWK set (login) or verify bearer tokens (account).
JWT_VERIFYING_FUNCTIONS = {"LoginFunction", "AccountFunction"}


def kms_grants(statements):
    """{kms action: [resources]} over the statements (a statement's Resource may be a list)."""
    granted = {}
    for statement in statements:
        for action in as_list(statement["Action"]):
            if action.startswith("kms:"):
                granted.setdefault(action, []).extend(as_list(statement["Resource"]))
    return granted


def test_no_previous_jwt_keys_by_default():
    rendered = render()
    assert rendered["Parameters"]["PreviousJwtKeyIds"] == [""]
    assert rendered["Conditions"]["HasPreviousJwtKeys"] is False
    current = {"Fn::GetAtt": ["JwtSigningKey", "Arn"]}
    for function_id in JWT_VERIFYING_FUNCTIONS:
        variables = rendered["Resources"][function_id]["Properties"]["Environment"]["Variables"]
        assert variables["AUTH_JWT_PREVIOUS_KMS_KEY_IDS"] == "", "empty: the application's default, none"
        assert kms_grants(role_statements(rendered["Resources"], function_id))["kms:GetPublicKey"] == [current]


@pytest.mark.parametrize("existing_key", ["", JWT_KEY_ID], ids=["created-key", "existing-key"])
@pytest.mark.parametrize("previous", [PREVIOUS_JWT_KEYS[:1], PREVIOUS_JWT_KEYS], ids=["one-previous", "two-previous"])
def test_previous_jwt_keys_verify_and_are_published_but_never_sign(existing_key, previous):
    rendered = render(ExistingJwtKeyId=existing_key, PreviousJwtKeyIds=",".join(previous))
    resources = rendered["Resources"]
    assert rendered["Conditions"]["HasPreviousJwtKeys"] is True
    current = ({"Fn::GetAtt": ["JwtSigningKey", "Arn"]} if not existing_key
               else f"arn:aws:kms:us-east-1:123456789012:key/{existing_key}")
    for function_id in JWT_VERIFYING_FUNCTIONS:
        variables = resources[function_id]["Properties"]["Environment"]["Variables"]
        assert variables["AUTH_JWT_PREVIOUS_KMS_KEY_IDS"] == ",".join(previous)
        granted = kms_grants(role_statements(resources, function_id))
        assert granted["kms:GetPublicKey"] == [current, *previous], function_id
    assert kms_grants(role_statements(resources, "LoginFunction"))["kms:Sign"] == [current], "sign: current only"
    assert "kms:Sign" not in kms_grants(role_statements(resources, "AccountFunction")), "verifies, never signs"
    for function_id in set(FUNCTION_ACTIONS) - JWT_VERIFYING_FUNCTIONS:
        assert kms_grants(role_statements(resources, function_id)) == {}, function_id
        assert "Environment" not in resources[function_id]["Properties"], function_id
    # every function still holds only its own actions: the previous keys add resources, not actions
    for function_id, allowed in FUNCTION_ACTIONS.items():
        actions = {a for s in role_statements(resources, function_id) for a in as_list(s["Action"])}
        assert actions == allowed | BASELINE_ACTIONS, function_id


def test_the_signing_key_output_is_what_a_rotation_lists_as_previous():
    created = render()["Outputs"]["JwtSigningKeyArn"]["Value"]
    assert created == {"Fn::GetAtt": ["JwtSigningKey", "Arn"]}
    existing = render(ExistingJwtKeyId=JWT_KEY_ID)["Outputs"]["JwtSigningKeyArn"]["Value"]
    assert existing == f"arn:aws:kms:us-east-1:123456789012:key/{JWT_KEY_ID}"
    pattern = cfn_table.load_template(TEMPLATE)["Parameters"]["PreviousJwtKeyIds"]["AllowedPattern"]
    assert re.fullmatch(pattern, existing)


def test_http_api_throttling_cors_and_access_log():
    resources = render()["Resources"]
    api = resources["AuthApi"]["Properties"]
    default = api["DefaultRouteSettings"]
    assert set(default) >= {"ThrottlingBurstLimit", "ThrottlingRateLimit"}
    mail_routes = {"POST /signup", "POST /password-reset", "POST /password-reset/confirm", "POST /email-verification",
                   "POST /me/password", "DELETE /me", "POST /me/email", "POST /email-change/confirm"}
    assert set(api["RouteSettings"]) == {"POST /login", "POST /login/mfa", "POST /token/refresh", "POST /passkeys/login",
                                         "POST /passkeys/authentication-options"} | mail_routes
    for route, settings in api["RouteSettings"].items():
        assert settings["ThrottlingBurstLimit"] < default["ThrottlingBurstLimit"], route
        assert settings["ThrottlingRateLimit"] < default["ThrottlingRateLimit"], route
    for route in mail_routes:  # every route that sends email, by its own parameters
        assert api["RouteSettings"][route] == {"ThrottlingBurstLimit": 10, "ThrottlingRateLimit": 5}, route
    stricter = render(MailRouteThrottlingBurstLimit=4, MailRouteThrottlingRateLimit=2)
    assert stricter["Resources"]["AuthApi"]["Properties"]["RouteSettings"]["POST /password-reset"] == {
        "ThrottlingBurstLimit": 4, "ThrottlingRateLimit": 2}
    assert api["CorsConfiguration"]["AllowOrigins"] == ["https://shop.example.com"]
    assert api["AccessLogSettings"]["DestinationArn"] == {"Fn::GetAtt": ["ApiAccessLogGroup", "Arn"]}
    assert resources["ApiAccessLogGroup"]["Properties"]["RetentionInDays"] == 30
    assert render(LogRetentionInDays=90)["Resources"]["ApiAccessLogGroup"]["Properties"]["RetentionInDays"] == 90
    origins = render(CorsAllowOrigins="https://a.example,https://b.example")["Resources"]["AuthApi"]
    assert origins["Properties"]["CorsConfiguration"]["AllowOrigins"] == ["https://a.example", "https://b.example"]


# ---------------------------------------------------------------------------------------------
# IAM: least privilege per function
# ---------------------------------------------------------------------------------------------


def role_statements(resources, function_id):
    role_ref = resources[function_id]["Properties"]["Role"]
    assert role_ref["Fn::GetAtt"][1] == "Arn"
    role_id = role_ref["Fn::GetAtt"][0]
    role = resources[role_id]
    assert role["Type"] == "AWS::IAM::Role"
    assert "ManagedPolicyArns" not in role["Properties"]
    statements = [s for p in role["Properties"]["Policies"] for s in p["PolicyDocument"]["Statement"]]
    for resource in resources.values():
        if resource["Type"] == "AWS::IAM::RolePolicy" and resource["Properties"]["RoleName"] == {"Ref": role_id}:
            statements += resource["Properties"]["PolicyDocument"]["Statement"]
        if resource["Type"] == "AWS::IAM::Policy" and {"Ref": role_id} in resource["Properties"].get("Roles", []):
            statements += resource["Properties"]["PolicyDocument"]["Statement"]
        if resource["Type"] == "AWS::IAM::ManagedPolicy":
            assert {"Ref": role_id} not in resource["Properties"].get("Roles", [])
    return statements


@pytest.mark.parametrize("function_id", sorted(FUNCTION_ACTIONS))
def test_function_policies_hold_only_their_actions(function_id):
    resources = render()["Resources"]
    assert "Policies" not in resources[function_id]["Properties"]
    statements = role_statements(resources, function_id)
    assert all(s["Effect"] == "Allow" for s in statements)
    actions = {a for s in statements for a in as_list(s["Action"])}
    assert actions == FUNCTION_ACTIONS[function_id] | BASELINE_ACTIONS
    for statement in statements:
        statement_actions = set(as_list(statement["Action"]))
        if statement["Resource"] == "*":
            assert statement_actions <= {"xray:PutTraceSegments", "xray:PutTelemetryRecords"}, statement
        if statement_actions == {"dynamodb:Scan"}:  # the list reads the users-only index, never the table
            assert statement["Resource"] == {"Fn::Sub": "${UsersTable.Arn}/index/email-index"}, statement
        elif any(a.startswith("dynamodb:") for a in statement_actions):
            assert statement["Resource"] == {"Fn::GetAtt": ["UsersTable", "Arn"]}, statement


@pytest.mark.parametrize("function_id", sorted(FUNCTION_ACTIONS))
def test_customer_managed_table_key_adds_only_dynamodb_scoped_kms_use(function_id):
    resources = render(KmsKeyArn=KMS_KEY)["Resources"]
    statements = role_statements(resources, function_id)
    actions = {a for s in statements for a in as_list(s["Action"])}
    assert actions == FUNCTION_ACTIONS[function_id] | BASELINE_ACTIONS | TABLE_KEY_ACTIONS
    (key_statement,) = [s for s in statements if s["Resource"] == KMS_KEY]
    assert set(key_statement["Action"]) == TABLE_KEY_ACTIONS
    assert key_statement["Condition"] == {"StringEquals": {"kms:ViaService": "dynamodb.us-east-1.amazonaws.com"}}


def leading_keys(statement):
    return statement.get("Condition", {}).get("ForAllValues:StringLike", {}).get("dynamodb:LeadingKeys")


def test_login_updates_only_lockout_session_and_rehash_attributes_of_users():
    statements = role_statements(render()["Resources"], "LoginFunction")
    writes = [s for s in statements if {"dynamodb:PutItem", "dynamodb:DeleteItem"} & set(as_list(s["Action"]))]
    assert sorted(leading_keys(s) for s in writes) == [["CHALLENGE#*"], ["MFA#*"], ["SESSION#*"]], \
        "puts and deletes only of session items, pending second factors and passkey sign-in challenges"
    updates = [s for s in statements if as_list(s["Action"]) == ["dynamodb:UpdateItem"]]
    others = [s for s in updates if "Condition" in s and leading_keys(s)]
    assert sorted(leading_keys(s)[0] for s in others) == ["PASSKEY#*", "RATE#*"], \
        "other items it updates only as abuse-budget counters and passkey counters"
    (update,) = [s for s in updates if s not in others]
    allowed = update["Condition"]["ForAllValues:StringEquals"]["dynamodb:Attributes"]
    # passwordHash: a successful login stores a stronger hash of the password it just verified (rehash on login),
    # conditioned on the old hash; login sets no password of its own choosing
    assert set(allowed) == {"userId", "failedLogins", "lockedUntil", "updatedAt", "sessionIds", "sessionsVersion",
                            "devices", "passwordHash", "totpLastStep", "recoveryCodes"}
    (sign,) = [s for s in statements if "kms:Sign" in as_list(s["Action"])]
    assert sign["Resource"] == {"Fn::GetAtt": ["JwtSigningKey", "Arn"]}
    assert sign["Condition"] == {"StringEquals": {"kms:SigningAlgorithm": "RSASSA_PKCS1_V1_5_SHA_256"}}


def test_totp_secret_key_rotates_and_only_account_encrypts_and_login_decrypts():
    resources = render()["Resources"]
    key = resources["TotpSecretKey"]["Properties"]
    assert key["KeySpec"] == "SYMMETRIC_DEFAULT" and key["KeyUsage"] == "ENCRYPT_DECRYPT"
    assert key["EnableKeyRotation"] is True
    statements = {s["Sid"]: s for s in key["KeyPolicy"]["Statement"]}
    assert set(statements) == {"AccountRootAdministers", "AccountFunctionEncryptsAndDecrypts", "LoginFunctionDecrypts"}
    account = statements["AccountFunctionEncryptsAndDecrypts"]
    assert account["Principal"] == {"AWS": {"Fn::GetAtt": ["AccountFunctionRole", "Arn"]}}
    assert set(account["Action"]) == {"kms:Encrypt", "kms:Decrypt"}
    login = statements["LoginFunctionDecrypts"]
    assert login["Principal"] == {"AWS": {"Fn::GetAtt": ["LoginFunctionRole", "Arn"]}}
    assert as_list(login["Action"]) == ["kms:Decrypt"]
    for statement in (account, login):
        assert statement["Condition"]["ForAllValues:StringEquals"] == {"kms:EncryptionContextKeys": ["userId"]}
        assert statement["Condition"]["Null"] == {"kms:EncryptionContextKeys": "false"}


def test_only_the_account_reset_and_admin_functions_delete_more_than_their_own_token_or_session_items():
    resources = render()["Resources"]
    for function_id in FUNCTION_ACTIONS:
        deletes = [s for s in role_statements(resources, function_id) if "dynamodb:DeleteItem" in as_list(s["Action"])]
        unrestricted = [s for s in deletes if "Condition" not in s]
        if function_id in {"AccountFunction", "ResetFunction", "AdminFunction"}:
            assert unrestricted, function_id
        else:
            assert not unrestricted, function_id
    signup = role_statements(resources, "SignupFunction")
    (delete,) = [s for s in signup if "dynamodb:DeleteItem" in as_list(s["Action"])]
    assert delete["Condition"] == {"ForAllValues:StringLike": {"dynamodb:LeadingKeys": ["VERIFY#*"]}}


def test_account_updates_only_profile_password_email_and_session_attributes():
    statements = role_statements(render()["Resources"], "AccountFunction")
    updates = [s for s in statements if "dynamodb:UpdateItem" in as_list(s["Action"])]
    (counters,) = [s for s in updates if leading_keys(s)]
    assert leading_keys(counters) == ["RATE#*"], "other items it updates only as abuse-budget counters"
    (update,) = [s for s in updates if s is not counters]
    assert set(update["Condition"]["ForAllValues:StringEquals"]["dynamodb:Attributes"]) == {
        "userId", "name", "updatedAt", "passwordHash", "passwordChangedAt", "failedLogins", "lockedUntil",
        "resetToken", "sessionIds", "sessionsVersion", "email", "emailVerifiedAt", "verifyToken", "emailChangeToken",
        "totpSecret", "totpPendingSecret", "totpLastStep", "recoveryCodes", "passkeyIds", "passkeyChallenge"}
    # puts only email-change tokens, the new address's claim, passkeys and their registration challenges; it never
    # creates a user
    (put,) = [s for s in statements if "dynamodb:PutItem" in as_list(s["Action"])]
    assert as_list(put["Action"]) == ["dynamodb:PutItem"]
    assert put["Condition"] == {"ForAllValues:StringLike": {
        "dynamodb:LeadingKeys": ["EMAILCHANGE#*", "EMAIL#*", "PASSKEY#*", "CHALLENGE#*"]}}
    (public_key,) = [s for s in statements if "kms:GetPublicKey" in as_list(s["Action"])]
    assert public_key["Resource"] == {"Fn::GetAtt": ["JwtSigningKey", "Arn"]}


@pytest.mark.parametrize(
    ("parameters", "identity"),
    [
        ({}, "no-reply@shop.example.com"),
        ({"MailIdentity": "shop.example.com"}, "shop.example.com"),
        ({"MailSender": "reset@mail.example.org"}, "reset@mail.example.org"),
    ],
)
def test_mail_is_sent_only_as_the_configured_identity(parameters, identity):
    rendered = render(**parameters)
    for function_id in ("ResetFunction", "SignupFunction", "AccountFunction", "AdminFunction"):
        statements = role_statements(rendered["Resources"], function_id)
        (send,) = [s for s in statements if "ses:SendEmail" in as_list(s["Action"])]
        assert as_list(send["Resource"]) == [f"arn:aws:ses:us-east-1:123456789012:identity/{identity}"]
        assert send["Condition"] == {"StringEquals": {"ses:FromAddress": rendered["Parameters"]["MailSender"]}}


def test_login_sends_verification_links_only_when_verified_emails_are_required():
    def login_actions(**parameters):
        return {a for s in role_statements(render(**parameters)["Resources"], "LoginFunction") for a in as_list(s["Action"])}
    assert "ses:SendEmail" not in login_actions()
    required = render(RequireVerifiedEmail="true")
    assert required["Globals"]["Function"]["Environment"]["Variables"]["AUTH_LOGIN_REQUIRE_VERIFIED_EMAIL"] == "true"
    statements = role_statements(required["Resources"], "LoginFunction")
    assert "ses:SendEmail" in {a for s in statements for a in as_list(s["Action"])}
    (puts,) = [s for s in statements if "dynamodb:PutItem" in as_list(s["Action"])
               and "VERIFY#*" in str(s.get("Condition"))]
    assert puts["Condition"] == {"ForAllValues:StringLike": {"dynamodb:LeadingKeys": ["VERIFY#*"]}}


def test_a_configuration_set_is_passed_and_allowed_only_when_set():
    plain = render()
    assert "AUTH_MAIL_CONFIGURATION_SET" not in plain["Globals"]["Function"]["Environment"]["Variables"]

    rendered = render(MailConfigurationSet="shop-mail")
    variables = rendered["Globals"]["Function"]["Environment"]["Variables"]
    assert variables["AUTH_MAIL_CONFIGURATION_SET"] == "shop-mail"
    statements = role_statements(rendered["Resources"], "ResetFunction")
    (send,) = [s for s in statements if "ses:SendEmail" in as_list(s["Action"])]
    assert "arn:aws:ses:us-east-1:123456789012:configuration-set/shop-mail" in as_list(send["Resource"])


# ---------------------------------------------------------------------------------------------
# What cfn-lint skips for SAM templates (W2001 unused parameters, W3037 IAM actions)
# ---------------------------------------------------------------------------------------------


def _walk(node):
    yield node
    if isinstance(node, dict):
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from _walk(value)


def test_every_parameter_and_condition_is_used_and_grouped():
    template = cfn_table.load_template(TEMPLATE)
    body = {key: template[key] for key in ("Globals", "Resources", "Outputs", "Conditions")}
    referenced, conditions_used = set(), set()
    for node in _walk(body):
        if isinstance(node, dict):
            if isinstance(node.get("Ref"), str):
                referenced.add(node["Ref"])
            sub = node.get("Fn::Sub")
            if sub is not None:
                referenced.update(re.findall(r"\$\{([A-Za-z0-9:]+)\}", sub if isinstance(sub, str) else sub[0]))
            if isinstance(node.get("Fn::If"), list):
                conditions_used.add(node["Fn::If"][0])
            if isinstance(node.get("Condition"), str):
                conditions_used.add(node["Condition"])
    declared = set(template["Parameters"])
    assert declared - referenced == set(), "parameters never used"
    assert set(template["Conditions"]) - conditions_used == set(), "conditions never used"
    groups = template["Metadata"]["AWS::CloudFormation::Interface"]["ParameterGroups"]
    grouped = [name for group in groups for name in group["Parameters"]]
    assert sorted(grouped) == sorted(declared)


def test_every_iam_action_exists():
    policies_json = Path(pytest.importorskip("cfnlint").__file__).parent / "data" / "AdditionalSpecs" / "Policies.json"
    import json

    services = json.loads(policies_json.read_text())
    for parameters in ({}, {"KmsKeyArn": KMS_KEY}):
        resources = render(**parameters)["Resources"]
        documents = []
        for resource in resources.values():
            properties = resource.get("Properties", {})
            documents += [p["PolicyDocument"] for p in properties.get("Policies", []) if "PolicyDocument" in p]
            for key in ("PolicyDocument", "KeyPolicy"):
                if key in properties:
                    documents.append(properties[key])
        actions = {a for d in documents for s in d["Statement"] for a in as_list(s["Action"])}
        assert len(actions) > 10
        for action in actions - {"kms:*"}:
            service, _, name = action.partition(":")
            if "*" in name:  # e.g. kms:GenerateDataKey*: it must match an action
                assert fnmatch.filter(services[service]["Actions"], name.lower()), action
            else:
                assert name.lower() in services[service]["Actions"], action



def test_endpoint_overrides_are_declared_empty_so_aws_uses_its_own_endpoints():
    # SAM passes only declared variables to `sam local`; an empty value is "unset" to SmallRye Config.
    variables = render(DeploymentMode="jvm")["Globals"]["Function"]["Environment"]["Variables"]
    for name in ENDPOINT_OVERRIDES:
        assert variables[name] == "", name


@pytest.mark.parametrize("name", ["env-vars.json", "env-vars.host-network.json"])
def test_shipped_sam_local_env_vars_point_at_local_moto(name):
    import json

    shipped = json.loads((REPO / "local" / name).read_text())["Parameters"]
    declared = set(render(DeploymentMode="jvm")["Globals"]["Function"]["Environment"]["Variables"])
    assert set(shipped) <= declared  # anything else SAM would drop silently
    host = "host.docker.internal" if name == "env-vars.json" else "127.0.0.1"
    assert {shipped[k] for k in ENDPOINT_OVERRIDES} == {f"http://{host}:4566"}  # scripts/run-local.sh's moto
    assert shipped["AUTH_USERS_TABLE"] == "ecommerce-users"
    assert shipped["AUTH_JWT_KMS_KEY_ID"] == "alias/ecommerce-users-jwt"


def test_stream_audit_function_only_with_streams_in_jvm_mode():
    for params in ({"EnableStreams": "false", "DeploymentMode": "jvm"},
                   {"EnableStreams": "true", "DeploymentMode": "native"}):
        resources = render(**params)["Resources"]
        assert not {"StreamAuditFunction", "StreamAuditFunctionRole", "StreamAuditFailures"} & set(resources)
    assert "StreamAuditFunction" in render(EnableStreams="true", DeploymentMode="jvm")["Resources"]


@pytest.mark.parametrize("key", ["", KMS_KEY])
def test_stream_audit_function_reads_the_stream_retries_bisects_and_records_failures(key):
    resources = render(EnableStreams="true", DeploymentMode="jvm", KmsKeyArn=key)["Resources"]
    fn = resources["StreamAuditFunction"]["Properties"]
    assert fn["Runtime"] == "java21"
    assert fn["Handler"] == "com.example.shop.auth.stream.StreamAuditHandler::handle"
    assert fn["Role"] == {"Fn::GetAtt": ["StreamAuditFunctionRole", "Arn"]}
    (event,) = fn["Events"].values()
    assert event["Type"] == "DynamoDB"
    p = event["Properties"]
    assert p["Stream"] == {"Fn::GetAtt": ["UsersTable", "StreamArn"]}
    assert p["BisectBatchOnFunctionError"] is True
    assert p["DestinationConfig"]["OnFailure"] == {
        "Type": "SQS", "Destination": {"Fn::GetAtt": ["StreamAuditFailures", "Arn"]}}
    assert 0 < p["MaximumRetryAttempts"] <= 10
    assert resources["StreamAuditFailures"]["Properties"]["SqsManagedSseEnabled"] is True
    alarm = resources["StreamAuditFailuresAlarm"]["Properties"]
    assert alarm["MetricName"] == "ApproximateNumberOfMessagesVisible" and alarm["Threshold"] == 0
    assert alarm["Dimensions"] == [{"Name": "QueueName", "Value": {"Fn::GetAtt": ["StreamAuditFailures", "QueueName"]}}]

    # Least privilege: its logs, tracing, this stream, its queue (and Decrypt of the table key); no table access.
    statements = {st["Sid"]: st for policy in resources["StreamAuditFunctionRole"]["Properties"]["Policies"]
                  for st in policy["PolicyDocument"]["Statement"]}
    actions = {a for st in statements.values() for a in as_list(st["Action"])}
    expected = BASELINE_ACTIONS | {"dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator",
                                   "dynamodb:ListStreams", "sqs:SendMessage"}
    assert actions == (expected | {"kms:Decrypt"} if key else expected)
    assert statements["ReadStream"]["Resource"] == {"Fn::GetAtt": ["UsersTable", "StreamArn"]}
    assert statements["RecordFailedBatches"]["Resource"] == {"Fn::GetAtt": ["StreamAuditFailures", "Arn"]}
    assert statements["Logs"]["Resource"] == {"Fn::GetAtt": ["StreamAuditLogGroup", "Arn"]}
    assert not any(a.startswith(("dynamodb:Get", "dynamodb:Put", "dynamodb:Update", "dynamodb:Delete",
                                 "dynamodb:Query", "dynamodb:Scan")) and a != "dynamodb:GetRecords"
                   and a != "dynamodb:GetShardIterator" for a in actions)


# ---------------------------------------------------------------------------------------------
# The admin API: IAM callers only, least privilege
# ---------------------------------------------------------------------------------------------


def test_admin_role_least_privilege():
    for parameters in ({}, {"RequireVerifiedEmail": "true"}, {"ExistingJwtKeyId": JWT_KEY_ID}):
        resources = render(**parameters)["Resources"]
        statements = role_statements(resources, "AdminFunction")
        actions = {a for s in statements for a in as_list(s["Action"])}
        assert not {a for a in actions if a.startswith("kms:")}, "no kms:Sign, no kms:GetPublicKey, no key at all"
        assert "dynamodb:ConditionCheckItem" not in actions and "dynamodb:Query" not in actions
        # The JWT key's policy does not name the admin role either.
        for key_id in ("JwtSigningKey", "AlarmTopicKey"):
            if key_id in resources:
                assert "AdminFunctionRole" not in json.dumps(resources[key_id]), key_id

    statements = role_statements(render()["Resources"], "AdminFunction")
    (scan,) = [s for s in statements if "dynamodb:Scan" in as_list(s["Action"])]
    assert as_list(scan["Action"]) == ["dynamodb:Scan"]
    assert scan["Resource"] == {"Fn::Sub": "${UsersTable.Arn}/index/email-index"}
    (update,) = [s for s in statements if "dynamodb:UpdateItem" in as_list(s["Action"])]
    assert as_list(update["Action"]) == ["dynamodb:UpdateItem"]
    assert set(update["Condition"]["ForAllValues:StringEquals"]["dynamodb:Attributes"]) == ADMIN_UPDATABLE_ATTRIBUTES
    assert not {"passwordHash", "email", "name", "verifyToken"} & ADMIN_UPDATABLE_ATTRIBUTES  # never a password
    (put,) = [s for s in statements if "dynamodb:PutItem" in as_list(s["Action"])]
    assert as_list(put["Action"]) == ["dynamodb:PutItem"]
    assert put["Condition"] == {"ForAllValues:StringLike": {"dynamodb:LeadingKeys": ["RESET#*"]}}
    (logs,) = [s for s in statements if "logs:PutLogEvents" in as_list(s["Action"])]
    assert logs["Resource"] == {"Fn::GetAtt": ["AdminLogGroup", "Arn"]}
    function = functions()["AdminFunction"]
    assert function["Properties"]["LoggingConfig"] == {"LogGroup": {"Ref": "AdminLogGroup"}}
    assert function["Metadata"] == {"BuildMethod": "makefile", "ContextPath": "."}
    log_group = render()["Resources"]["AdminLogGroup"]["Properties"]
    assert log_group["LogGroupName"] == "/aws/lambda/local-admin"  # stack "local"
    assert log_group["RetentionInDays"] == 30


def test_the_api_enables_the_iam_authorizer():
    auth = render()["Resources"]["AuthApi"]["Properties"]["Auth"]
    assert auth["EnableIamAuthorizer"] is True
    assert "DefaultAuthorizer" not in auth  # every other route keeps its own (or none)


# ---------------------------------------------------------------------------------------------
# The template as CloudFormation deploys it (AWS's SAM translator, tools/sam_translate.py)
# ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def translated():
    pytest.importorskip("samtranslator")
    import sam_translate

    return sam_translate.translate(TEMPLATE)


@pytest.fixture(scope="module")
def deployed_with_defaults(translated):
    import sam_translate

    return sam_translate.render(translated)


def test_aws_iam_on_every_admin_route_and_on_no_other(deployed_with_defaults):
    (api,) = [r for r in deployed_with_defaults["Resources"].values() if r["Type"] == "AWS::ApiGatewayV2::Api"]
    body = api["Properties"]["Body"]
    assert body["components"]["securitySchemes"]["AWS_IAM"]["x-amazon-apigateway-authtype"] == "awsSigv4"
    security = {(method.upper(), path): operation.get("security")
                for path, operations in body["paths"].items() for method, operation in operations.items()}
    expected = {route: FUNCTION_AUTHORIZER.get(function) for function, routes in ROUTES.items() for route in routes
                if function != "AccountFunction" or route in AUTHORIZED_ROUTES}
    expected.update({route: None for route in ROUTES["AccountFunction"] - AUTHORIZED_ROUTES})
    assert set(security) == set(expected)
    for route, authorizer in expected.items():
        assert security[route] == ([{authorizer: []}] if authorizer else None), route
    assert {route for route, s in security.items() if s == [{"AWS_IAM": []}]} == ROUTES["AdminFunction"]


def test_every_alarm_has_actions_as_deployed_with_default_parameters(deployed_with_defaults):
    # CLOUDWATCH_ALARM_ACTION_CHECK (aws-guard-rules-registry), on the template as deployed: the rule only asks
    # that AlarmActions exist, which an Fn::If with AWS::NoValue satisfies on paper while nobody is told.
    resources = deployed_with_defaults["Resources"]
    found = {k: v for k, v in resources.items() if v["Type"] == "AWS::CloudWatch::Alarm"}
    assert {"AdminActionsBurstAlarm", "RefreshTokenReuseAlarm", "AdminFunctionErrorsAlarm"} <= set(found)
    for alarm_id, alarm in found.items():
        actions = alarm["Properties"].get("AlarmActions")
        assert actions == [{"Ref": "AlarmTopic"}], alarm_id
    topic = resources["AlarmTopic"]
    assert topic["Type"] == "AWS::SNS::Topic"
    assert topic["Properties"]["KmsMasterKeyId"] == {"Fn::GetAtt": ["AlarmTopicKey", "Arn"]}  # SNS_ENCRYPTED_KMS
    assert resources["AlarmTopicKey"]["Properties"]["EnableKeyRotation"] is True  # CMK_BACKING_KEY_ROTATION_ENABLED


def test_the_translated_template_keeps_every_admin_route_on_the_admin_function(translated):
    permissions = {k: v for k, v in translated["Resources"].items()
                   if v["Type"] == "AWS::Lambda::Permission" and k.startswith("AdminFunction")}
    assert len(permissions) == len(ROUTES["AdminFunction"])
    for permission in permissions.values():
        assert permission["Properties"]["Principal"] == "apigateway.amazonaws.com"
