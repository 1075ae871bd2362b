"""Gale errors: a gRPC status from galed as a Python exception that keeps the daemon's message.

Every call of :class:`gale.Client` raises a subclass of :class:`GaleError`; the message is the
one galed wrote (it names the input and says what to do), prefixed with nothing but the call.
"""
from __future__ import annotations

from typing import Optional

import grpc


class GaleError(Exception):
    """A call to galed failed. ``code`` is the gRPC status code, ``details`` the daemon's text."""

    code: Optional[grpc.StatusCode] = None

    def __init__(self, message: str, code: Optional[grpc.StatusCode] = None,
                 details: str = "") -> None:
        super().__init__(message)
        if code is not None:
            self.code = code
        self.details = details or message


class InvalidArgument(GaleError):
    code = grpc.StatusCode.INVALID_ARGUMENT


class NotFound(GaleError):
    code = grpc.StatusCode.NOT_FOUND


class AlreadyExists(GaleError):
    code = grpc.StatusCode.ALREADY_EXISTS


class FailedPrecondition(GaleError):
    """Also what a device leased to someone else answers (the message names holder and expiry)."""
    code = grpc.StatusCode.FAILED_PRECONDITION


class ResourceExhausted(GaleError):
    """For Farm.Acquire without waiting: every matching device is leased."""
    code = grpc.StatusCode.RESOURCE_EXHAUSTED


class DeadlineExceeded(GaleError):
    code = grpc.StatusCode.DEADLINE_EXCEEDED


class Unavailable(GaleError):
    """No daemon answers at the address (or it went away)."""
    code = grpc.StatusCode.UNAVAILABLE


class Unimplemented(GaleError):
    """This galed does not serve the call (an older daemon, or a feature built out)."""
    code = grpc.StatusCode.UNIMPLEMENTED


class Unauthenticated(GaleError):
    """A TCP listener got no token or an unknown/expired one."""
    code = grpc.StatusCode.UNAUTHENTICATED


class PermissionDenied(GaleError):
    """The token's role does not allow the call."""
    code = grpc.StatusCode.PERMISSION_DENIED


class Cancelled(GaleError):
    code = grpc.StatusCode.CANCELLED


class JobFailed(GaleError):
    """A job (build, flash, test run) ended in a state other than succeeded.

    ``result`` is the job's final ``gale.v1.JobResult``, ``log`` its last lines of tool output.
    """

    def __init__(self, message: str, job_id: str, result, log: list[str]) -> None:
        super().__init__(message)
        self.job_id = job_id
        self.result = result
        self.log = log


class ShellCommandError(GaleError):
    """The target's shell reported an error for a command (unknown command, wrong arguments)."""

    def __init__(self, message: str, command: str, output: str) -> None:
        super().__init__(message)
        self.command = command
        self.output = output


_BY_CODE = {cls.code: cls for cls in (
    InvalidArgument, NotFound, AlreadyExists, FailedPrecondition, ResourceExhausted,
    DeadlineExceeded, Unavailable, Unimplemented, Unauthenticated, PermissionDenied, Cancelled)}


def from_rpc_error(error: grpc.RpcError, what: str, address: str = "") -> GaleError:
    """Maps a failed call to the matching GaleError, keeping the server's message."""
    code = error.code() if hasattr(error, "code") else None
    details = (error.details() if hasattr(error, "details") else "") or ""
    if not details and code is not None:
        details = code.name.lower().replace("_", " ")
    cls = _BY_CODE.get(code, GaleError)
    if cls is Unavailable and address:
        message = (f"{what}: galed is not reachable at {address} ({details}); start it with "
                   "`gale daemon start` or set GALE_SOCKET")
    elif cls is Unimplemented:
        message = f"{what}: not implemented by this galed ({details})"
    else:
        message = f"{what}: {details}"
    return cls(message, code=code, details=details)
