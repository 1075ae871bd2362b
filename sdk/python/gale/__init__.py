"""Gale's Python client: galed's gRPC API (gale.v1) with a small typed wrapper.

    import gale
    with gale.Client() as client:                      # GALE_SOCKET, else the default socket
        dev = client.create_emulator("qemu_cortex_m3")
        client.flash(dev.id, "build")
        print(client.shell(dev.id, "kernel uptime"))

See sdk/python/README.md and docs/lab.md.
"""
from .client import (DEFAULT_TIMEOUT_S, LEASE_METADATA_KEY, Client, ConsoleStream, Lease,
                     RttStream)
from .errors import (AlreadyExists, Cancelled, DeadlineExceeded, FailedPrecondition, GaleError,
                     InvalidArgument, JobFailed, NotFound, PermissionDenied, ResourceExhausted,
                     ShellCommandError, Unauthenticated, Unavailable, Unimplemented)
from .lab import LeasedDevice, lease_device
from .paths import default_socket_address, normalize_address, resolve_socket_address

__version__ = "0.1.0"

__all__ = [
    "AlreadyExists", "Cancelled", "Client", "ConsoleStream", "DEFAULT_TIMEOUT_S",
    "DeadlineExceeded", "FailedPrecondition", "GaleError", "InvalidArgument", "JobFailed",
    "LEASE_METADATA_KEY", "Lease", "LeasedDevice", "NotFound", "PermissionDenied",
    "ResourceExhausted", "RttStream", "ShellCommandError", "Unauthenticated", "Unavailable",
    "Unimplemented", "default_socket_address", "lease_device", "normalize_address",
    "resolve_socket_address",
]
