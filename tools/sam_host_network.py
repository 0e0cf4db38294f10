#!/usr/bin/env python3
"""`sam` with working host networking for `sam local` containers: the test harness's workaround.

    .venv/bin/python tools/sam_host_network.py local invoke ... --docker-network host
    .venv/bin/python tools/sam_host_network.py local start-api ... --docker-network host

Used by tools/sam-local-ci.sh only; users on Docker Desktop run plain `sam` (README, "sam local").

Why: the Docker daemon here runs with --bridge=none, so containers can only use the host's network
stack, which keeps every connection on 127.0.0.1. SAM CLI's `--docker-network host` does not give a
container host networking: samcli/local/docker/container.py never sets `network_mode`, it only calls
`networks.get(id).connect()` for names other than "host" (aws/aws-sam-cli#3609). Its containers then
land on the daemon's default network, which does not exist here.

What this changes, only for containers that SAM creates with `--docker-network host`:
  - `network_mode="host"` and no port publishing (Docker drops published ports in host mode);
  - the emulator inside the container (SAM's bundled aws-lambda-rie) listens on 127.0.0.1 at the port
    that SAM already picked for the container (`rapid_port_host`), instead of 0.0.0.0:8080 behind a
    published port, and its Runtime API on a free 127.0.0.1 port instead of the fixed 9001, so that two
    containers never collide on the shared network stack;
  - the image build that SAM runs on top of the base image (one RUN: chmod of the emulator) uses the host
    network too.
Everything else is the real SAM CLI. Pinned to the aws-sam-cli version of requirements.txt: with any
other version this refuses to run, because it relies on the internals named above.
"""
from __future__ import annotations

import contextvars
import socket
import sys

PINNED_SAM_VERSION = "1.170.0"

_host_network_port = contextvars.ContextVar("sam_host_network_port", default=None)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def install() -> None:
    import samcli
    from docker.api.build import BuildApiMixin
    from docker.models.containers import ContainerCollection
    from samcli.local.docker.container import Container

    if samcli.__version__ != PINNED_SAM_VERSION:
        sys.exit(f"sam_host_network.py: written for aws-sam-cli {PINNED_SAM_VERSION}, found "
                 f"{samcli.__version__}; check aws/aws-sam-cli#3609 and samcli/local/docker/container.py "
                 "before changing the pin")

    original_create = Container.create

    def create(self, context):
        if self.network_id != "host":
            return original_create(self, context)
        token = _host_network_port.set(self.rapid_port_host)
        try:
            return original_create(self, context)
        finally:
            _host_network_port.reset(token)

    original_collection_create = ContainerCollection.create

    def collection_create(self, image, command=None, **kwargs):
        port = _host_network_port.get()
        if port is not None:
            kwargs.pop("ports", None)
            kwargs["network_mode"] = "host"
            entrypoint = list(kwargs.get("entrypoint") or [])
            if entrypoint and entrypoint[0].endswith("/aws-lambda-rie"):
                entrypoint += ["--runtime-interface-emulator-address", f"127.0.0.1:{port}",
                               "--runtime-api-address", f"127.0.0.1:{_free_port()}"]
                kwargs["entrypoint"] = entrypoint
        return original_collection_create(self, image, command, **kwargs)

    original_build = BuildApiMixin.build

    def build(self, *args, **kwargs):
        kwargs.setdefault("network_mode", "host")
        return original_build(self, *args, **kwargs)

    Container.create = create
    ContainerCollection.create = collection_create
    BuildApiMixin.build = build


def main() -> None:
    install()
    from samcli.cli.main import cli

    sys.argv[0] = "sam"
    cli()  # click: parses sys.argv[1:], exits with the command's status


if __name__ == "__main__":
    main()
