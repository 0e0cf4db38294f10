#!/usr/bin/env python3
"""Reads the users table's DynamoDB stream from moto and prints it as the Lambda event that the stream audit
function receives (scripts/import_users.py's sibling; AWS settings from the environment, e.g.
AWS_ENDPOINT_URL=http://127.0.0.1:4566).

    .venv/bin/python tools/stream_event.py [--table ecommerce-users] [--enable]

--enable turns the stream on (NEW_AND_OLD_IMAGES) when the table has none (the local table follows
template.yaml's EnableStreams, false by default) and exits. Without it: every record of every shard from
TRIM_HORIZON, as {"Records": [{"eventID", "eventName", "eventVersion", "eventSource": "aws:dynamodb",
"awsRegion", "dynamodb": {...}, "eventSourceARN"}]}, the shape of Lambda's DynamoDB event.
For example: ... stream_event.py > /tmp/event.json && sam local invoke StreamAuditFunction -e /tmp/event.json
"""
from __future__ import annotations

import argparse
import json
import sys

import boto3


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--table", default="ecommerce-users")
    p.add_argument("--enable", action="store_true")
    args = p.parse_args(argv)
    ddb = boto3.client("dynamodb")
    table = ddb.describe_table(TableName=args.table)["Table"]
    if args.enable:
        if not table.get("StreamSpecification", {}).get("StreamEnabled"):
            ddb.update_table(TableName=args.table, StreamSpecification={
                "StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"})
        return 0
    arn = table.get("LatestStreamArn")
    if not arn:
        print(f"stream_event: {args.table} has no stream (--enable)", file=sys.stderr)
        return 1
    streams = boto3.client("dynamodbstreams")
    records = []
    for shard in streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"]:
        iterator = streams.get_shard_iterator(StreamArn=arn, ShardId=shard["ShardId"],
                                              ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
        while iterator:
            page = streams.get_records(ShardIterator=iterator, Limit=1000)
            records += page["Records"]
            iterator = page.get("NextShardIterator") if page["Records"] else None
    region = ddb.meta.region_name
    event = {"Records": [{**{k: v for k, v in r.items() if k != "dynamodb"},
                          "eventSource": "aws:dynamodb", "awsRegion": region, "eventSourceARN": arn,
                          "dynamodb": {k: (v.timestamp() if k == "ApproximateCreationDateTime" else v)
                                       for k, v in r["dynamodb"].items()}}
                         for r in records]}
    json.dump(event, sys.stdout, default=str)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
