"""Imports the generated gale.v1 modules, or says how to produce them."""
from __future__ import annotations

try:
    from gale.v1 import (boards_pb2, boards_pb2_grpc, builds_pb2, builds_pb2_grpc, common_pb2,
                         console_pb2, console_pb2_grpc, devices_pb2, devices_pb2_grpc, farm_pb2,
                         farm_pb2_grpc, flash_pb2, flash_pb2_grpc, jobs_pb2, jobs_pb2_grpc,
                         rtt_pb2, rtt_pb2_grpc, sdk_pb2, sdk_pb2_grpc, shell_pb2, shell_pb2_grpc,
                         tests_pb2, tests_pb2_grpc)
except ImportError as error:  # pragma: no cover - depends on the build having run
    if getattr(error, "name", "") and not str(getattr(error, "name", "")).startswith("gale.v1"):
        raise  # grpc or protobuf is missing: Python's own message says which
    raise ImportError(
        "the gale.v1 API modules have not been generated into sdk/python/gale/v1: build the host "
        "tools (sdk/setup.sh, or `cmake -GNinja -S . -B build && ninja -C build gale_python`); "
        "they need Debian's protobuf-compiler-grpc, python3-grpcio and python3-protobuf") from error

__all__ = [
    "boards_pb2", "boards_pb2_grpc", "builds_pb2", "builds_pb2_grpc", "common_pb2", "console_pb2",
    "console_pb2_grpc", "devices_pb2", "devices_pb2_grpc", "farm_pb2", "farm_pb2_grpc",
    "flash_pb2", "flash_pb2_grpc", "jobs_pb2", "jobs_pb2_grpc", "rtt_pb2", "rtt_pb2_grpc",
    "sdk_pb2", "sdk_pb2_grpc", "shell_pb2", "shell_pb2_grpc", "tests_pb2", "tests_pb2_grpc",
]
