#!/usr/bin/env python3
"""template.yaml as CloudFormation deploys it: the SAM transform applied by AWS's own translator (samtranslator,
the library `sam validate` and the CloudFormation service run), optionally evaluated for a set of parameters.

    .venv/bin/python tools/sam_translate.py [--render] [--parameter Key=Value ...] [--output FILE]

Without --render: the translated template, intrinsic functions and Conditions as written (what
`sam validate --debug` prints). With --render: that template evaluated for the parameters (defaults for the
rest) by tools/cfn_table.py, as a deployment would see it: only the resources and outputs whose Condition
holds, every Fn::If decided, references to resources kept. Rules for cfn-guard (docs/deploy.md) read both.
Nothing is deployed and no AWS call is made: SAM's managed-policy lookup is refused (no function names one).
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
import cfn_table  # noqa: E402


class _NoManagedPolicies:
    """SAM looks managed policies up by name in IAM; no function here names one (each has its own role)."""

    def load(self):
        raise RuntimeError("sam_translate: a function names a managed policy; this tool makes no AWS call")


def translate(template_path: str | Path = ROOT / "template.yaml") -> dict:
    """The SAM template translated to plain CloudFormation (AWS::Serverless::* expanded)."""
    os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")  # the translator asks boto3 for a partition
    from samtranslator.translator.transform import transform

    template = cfn_table.load_template(template_path)
    # As `sam validate` does: the local package directory stands as an S3 location (nothing is uploaded).
    for holder in [template.get("Globals", {}).get("Function", {})] + [
            r.get("Properties", {}) for r in template["Resources"].values()
            if r.get("Type") == "AWS::Serverless::Function"]:
        if isinstance(holder.get("CodeUri"), str) and not holder["CodeUri"].startswith("s3://"):
            holder["CodeUri"] = "s3://bucket/value"
    return transform(template, {}, _NoManagedPolicies())


def render(translated: dict, parameters: dict | None = None) -> dict:
    """The translated template evaluated for ``parameters``, shaped as a template (Resources, Outputs)."""
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as out:
        json.dump(translated, out)
    try:
        rendered = cfn_table.render_template(out.name, parameters)
    finally:
        os.unlink(out.name)
    return {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Description": translated.get("Description", ""),
        "Resources": rendered["Resources"],
        "Outputs": rendered["Outputs"],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--template", default=str(ROOT / "template.yaml"))
    parser.add_argument("--render", action="store_true", help="evaluate for the parameters (defaults for the rest)")
    parser.add_argument("--parameter", action="append", default=[], metavar="KEY=VALUE")
    parser.add_argument("--output", "-o", help="write here instead of stdout")
    args = parser.parse_args()
    translated = translate(args.template)
    if args.render:
        parameters = dict(p.split("=", 1) for p in args.parameter)
        translated = render(translated, parameters)
    elif args.parameter:
        parser.error("--parameter needs --render")
    text = json.dumps(translated, indent=2, sort_keys=False) + "\n"
    if args.output:
        Path(args.output).write_text(text)
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
