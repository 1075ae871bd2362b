"""gale.Client: a typed wrapper over galed's gRPC API (gale.v1).

Answers are the API's own messages (``gale.v1.*_pb2``, with ``.pyi`` type stubs); failures are
:mod:`gale.errors` exceptions carrying the daemon's message. Long operations (build, flash, test
runs) stream job events: pass ``on_event`` to see them (progress, diagnostics, log lines); the
call returns the job's summary, or raises :class:`gale.errors.JobFailed`.
"""
from __future__ import annotations

import ipaddress
import os
import queue
import threading
import time
from collections import deque
from typing import Any, Callable, Iterable, Iterator, Optional, Sequence, Union
from urllib.parse import urlsplit

import grpc

from . import errors
from ._api import (boards_pb2, boards_pb2_grpc, builds_pb2, builds_pb2_grpc, common_pb2,
                   console_pb2, console_pb2_grpc, devices_pb2, devices_pb2_grpc, farm_pb2,
                   farm_pb2_grpc, flash_pb2, flash_pb2_grpc, jobs_pb2, jobs_pb2_grpc, rtt_pb2,
                   rtt_pb2_grpc, sdk_pb2, sdk_pb2_grpc, shell_pb2, shell_pb2_grpc, tests_pb2,
                   tests_pb2_grpc)
from .paths import resolve_socket_address

EventCallback = Callable[[common_pb2.JobEvent], None]

LEASE_METADATA_KEY = "gale-lease"
"""Request metadata carrying a lease token (see proto/gale/v1/farm.proto)."""

# How long a unary call may take before the client gives up (a daemon that hangs is a bug, a
# client that hangs with it is a second one). Streams have no deadline.
DEFAULT_TIMEOUT_S = 60.0


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _read_pem(path: str, what: str, hint: str) -> bytes:
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError as error:
        raise errors.InvalidArgument(f"{what} {path}: {error.strerror}; give {hint} (PEM)") from None
    if b"-----BEGIN" not in data:
        raise errors.InvalidArgument(f"{what} {path} is not a PEM file; give {hint}")
    return data


class _RequestQueue:
    """The client half of a bidirectional stream: messages put here are sent in order."""

    def __init__(self, first) -> None:
        self._queue: queue.Queue = queue.Queue()
        self._queue.put(first)

    def put(self, message) -> None:
        self._queue.put(message)

    def close(self) -> None:
        self._queue.put(None)

    def __iter__(self):
        while True:
            message = self._queue.get()
            if message is None:
                return
            yield message


class _ServerStream:
    """A server stream of a call (``self._call``) named ``self._what`` in errors: iterate for its
    messages; ``close`` (or the ``with`` block) cancels it, which ends the iteration quietly."""

    _client: "Client"
    _what: str
    _call: grpc.Call

    def __iter__(self) -> Iterator[Any]:
        try:
            yield from self._call
        except grpc.RpcError as error:
            if error.code() == grpc.StatusCode.CANCELLED and self._cancelled:
                return
            raise self._client._error(error, self._what) from None

    def close(self) -> None:
        self._cancelled = True
        self._call.cancel()

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class ConsoleStream(_ServerStream):
    """A device's console (``Console.Attach``): iterate for ``ConsoleOutput`` messages, ``write``
    sends input bytes, ``close`` (or the ``with`` block) ends the attachment."""

    def __init__(self, client: "Client", device_id: str, replay: bool, until_exit: bool) -> None:
        self._requests = _RequestQueue(console_pb2.ConsoleInput(
            open=console_pb2.ConsoleOpen(device_id=device_id, no_replay=not replay,
                                         until_exit=until_exit)))
        self._what = f"console of {device_id}"
        self._client = client
        self._call = console_pb2_grpc.ConsoleStub(client.channel).Attach(
            iter(self._requests), metadata=client.metadata())
        self._cancelled = False

    def write(self, data: Union[bytes, str]) -> None:
        """Sends input to the device's UART (a str is encoded as UTF-8)."""
        if isinstance(data, str):
            data = data.encode()
        self._requests.put(console_pb2.ConsoleInput(data=data))

    def close(self) -> None:
        self._cancelled = True  # before the input ends: the stream's end is then expected
        self._requests.close()
        super().close()


class RttStream(_ServerStream):
    """An RTT up-channel (``Rtt.Stream``): iterate for ``RttOutput`` messages; ``close`` ends it."""

    def __init__(self, client: "Client", device_id: str, channel: int, replay: bool) -> None:
        self._client = client
        self._what = f"RTT channel {channel} of {device_id}"
        self._call = rtt_pb2_grpc.RttStub(client.channel).Stream(
            rtt_pb2.RttStreamRequest(device_id=device_id, channel=channel, no_replay=not replay),
            metadata=client.metadata())
        self._cancelled = False


class Lease:
    """Devices held by one holder until released or expired (``Farm``). A context manager that
    releases the lease on exit; ``client`` is a Client that sends the lease token with every
    call, which a leased device requires for flash, input, reset and the like."""

    def __init__(self, client: "Client", message: farm_pb2.Lease) -> None:
        self._owner = client
        self._update(message)
        self.client = client.with_lease(self.token)
        self._keeper: Optional[threading.Thread] = None
        self._stop = threading.Event()
        self.released = False

    def _update(self, message: farm_pb2.Lease) -> None:
        self.message = message
        if message.token:
            self.token: str = message.token
        self.id: str = message.id
        self.holder: str = message.holder
        self.devices: list[str] = list(message.devices)
        self.expires_us: int = message.expires_us
        self.note: str = message.note

    def renew(self, duration_s: float = 0) -> "Lease":
        """Extends the lease by `duration_s` from now (its original duration when 0)."""
        self._update(self._owner._unary(
            farm_pb2_grpc.FarmStub(self._owner.channel).Renew,
            farm_pb2.RenewLeaseRequest(token=self.token, duration_ms=int(duration_s * 1000)),
            f"renew lease {self.id}"))
        return self

    def keep_alive(self, every_s: float) -> None:
        """Renews the lease every `every_s` seconds from a background thread until release."""
        if self._keeper is not None:
            return

        def keep() -> None:
            while not self._stop.wait(every_s):
                try:
                    self.renew()
                except errors.GaleError:
                    pass  # the next attempt may succeed; the holder sees the expiry if not

        self._keeper = threading.Thread(target=keep, name=f"gale-lease-{self.id}", daemon=True)
        self._keeper.start()

    def release(self) -> None:
        """Ends the lease; its devices are free at once. Releasing twice is harmless."""
        self._stop.set()
        if self._keeper is not None and self._keeper is not threading.current_thread():
            self._keeper.join()
        if self.released:
            return
        try:
            self._owner._unary(farm_pb2_grpc.FarmStub(self._owner.channel).Release,
                               farm_pb2.ReleaseLeaseRequest(token=self.token),
                               f"release lease {self.id}")
        except errors.NotFound:
            pass  # already ended (expired or released elsewhere)
        self.released = True

    def __enter__(self) -> "Lease":
        return self

    def __exit__(self, *exc) -> None:
        self.release()

    def __repr__(self) -> str:
        return f"Lease(id={self.id!r}, holder={self.holder!r}, devices={self.devices!r})"


class Client:
    """A connection to galed.

    ``address``: "unix:/path" (or a bare path), or "tcp://HOST:PORT"; default: $GALE_SOCKET,
    else the user's default socket (the gale CLI's rule). ``token``: the bearer token for a TCP
    listener (default $GALE_TOKEN). ``ca``: a PEM file to trust for TLS (default $GALE_CA);
    TCP uses TLS when a CA is given, when ``tls`` is True, or when the host is not loopback.
    ``client_cert``/``client_key``: PEM files of a client certificate for mutual TLS.
    ``lease``: a lease token sent with every call (default $GALE_LEASE).
    """

    def __init__(self, address: Optional[str] = None, *, token: Optional[str] = None,
                 ca: Optional[str] = None, tls: Optional[bool] = None,
                 client_cert: Optional[str] = None, client_key: Optional[str] = None,
                 lease: Optional[str] = None, timeout_s: float = DEFAULT_TIMEOUT_S,
                 _channel: Optional[grpc.Channel] = None) -> None:
        self.address = resolve_socket_address(address)
        self.token = token if token is not None else os.environ.get("GALE_TOKEN", "")
        if any(not 0x21 <= ord(c) <= 0x7e for c in self.token):
            raise errors.InvalidArgument("the token (token= or GALE_TOKEN) has a space or a "
                                         "character other than visible ASCII")
        self.lease_token = lease if lease is not None else os.environ.get("GALE_LEASE", "")
        self.timeout_s = timeout_s
        self._owns_channel = _channel is None
        if _channel is not None:
            self.channel = _channel
            return
        ca = ca if ca is not None else os.environ.get("GALE_CA", "")
        if bool(client_cert) != bool(client_key):
            raise errors.InvalidArgument("a client certificate needs both client_cert and "
                                         "client_key (PEM files)")
        self.channel = self._open_channel(ca, tls, client_cert or "", client_key or "")

    def _open_channel(self, ca: str, tls: Optional[bool], cert: str, key: str) -> grpc.Channel:
        options = [("grpc.initial_reconnect_backoff_ms", 100),
                   ("grpc.max_reconnect_backoff_ms", 1000)]
        if self.address.startswith("unix:"):
            if ca or tls or cert:
                raise errors.InvalidArgument(
                    f"{self.address}: a unix socket takes no TLS (it is guarded by its file "
                    "permissions); give a tcp://HOST:PORT address to use TLS")
            return grpc.insecure_channel(self.address, options=options)
        parts = urlsplit(self.address if "://" in self.address else "tcp://" + self.address)
        if parts.scheme != "tcp" or not parts.hostname or not parts.port:
            raise errors.InvalidArgument(
                f"{self.address}: not a galed address; use unix:/path/to/galed.sock or "
                "tcp://HOST:PORT")
        target = parts.netloc
        use_tls = tls if tls is not None else (bool(ca) or bool(cert) or
                                               not _is_loopback(parts.hostname))
        if not use_tls:
            return grpc.insecure_channel(target, options=options)
        credentials = grpc.ssl_channel_credentials(
            root_certificates=_read_pem(ca, "CA file", "the certificate that signed galed's "
                                        "--tls-cert") if ca else None,
            private_key=_read_pem(key, "client key", "the key of the client certificate")
            if key else None,
            certificate_chain=_read_pem(cert, "client certificate", "a certificate signed by "
                                        "galed's --client-ca") if cert else None)
        return grpc.secure_channel(target, credentials, options=options)

    # -- plumbing ----------------------------------------------------------------------------

    def with_lease(self, lease: Union[str, Lease, None]) -> "Client":
        """A Client on the same connection that sends `lease` (a token or Lease) with each call."""
        token = lease.token if isinstance(lease, Lease) else (lease or "")
        return Client(self.address, token=self.token, lease=token, timeout_s=self.timeout_s,
                      _channel=self.channel)

    def metadata(self) -> list[tuple[str, str]]:
        """The metadata sent with every call: the bearer token and the lease token, when set."""
        md = []
        if self.token:
            md.append(("authorization", f"Bearer {self.token}"))
        if self.lease_token:
            md.append((LEASE_METADATA_KEY, self.lease_token))
        return md

    def _error(self, error: grpc.RpcError, what: str) -> errors.GaleError:
        return errors.from_rpc_error(error, what, self.address)

    def _unary(self, method, request, what: str, timeout_s: Optional[float] = None):
        try:
            return method(request, metadata=self.metadata(),
                          timeout=timeout_s if timeout_s is not None else self.timeout_s)
        except grpc.RpcError as error:
            raise self._error(error, what) from None

    def _job(self, call, what: str, on_event: Optional[EventCallback]) -> common_pb2.JobResult:
        """Reads a job's event stream to its result; raises JobFailed unless it succeeded."""
        job_id = ""
        log: deque[str] = deque(maxlen=20)
        result: Optional[common_pb2.JobResult] = None
        try:
            for event in call:
                job_id = job_id or event.job_id
                if on_event is not None:
                    on_event(event)
                which = event.WhichOneof("event")
                if which == "log":
                    log.append(event.log.text)
                elif which == "result":
                    result = event.result
        except grpc.RpcError as error:
            raise self._error(error, what) from None
        except BaseException:
            call.cancel()  # Ctrl-C or a callback's exception: the daemon cancels the job
            raise
        if result is None:
            raise errors.GaleError(f"{what}: the daemon ended job {job_id or '?'} without a "
                                   "result; see `gale jobs show` and galed's log")
        if result.state != common_pb2.JOB_STATE_SUCCEEDED:
            state = common_pb2.JobState.Name(result.state).replace("JOB_STATE_", "").lower()
            raise errors.JobFailed(f"{what}: {state}: {result.error or 'no reason given'}"
                                   f" (job {job_id})", job_id, result, list(log))
        return result

    def close(self) -> None:
        if self._owns_channel:
            self.channel.close()

    def __enter__(self) -> "Client":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- daemon and boards --------------------------------------------------------------------

    def status(self, timeout_s: Optional[float] = None) -> sdk_pb2.DaemonStatus:
        """The daemon's pid, version, uptime, listeners and state folder."""
        return self._unary(sdk_pb2_grpc.SdkStub(self.channel).GetStatus, sdk_pb2.GetStatusRequest(),
                           "daemon status", timeout_s)

    def wait_ready(self, timeout_s: float = 10.0) -> sdk_pb2.DaemonStatus:
        """Waits until the daemon answers (for scripts that just started it)."""
        try:
            grpc.channel_ready_future(self.channel).result(timeout=timeout_s)
        except grpc.FutureTimeoutError:
            raise errors.Unavailable(f"galed did not answer at {self.address} within "
                                     f"{timeout_s:g} s") from None
        return self.status()

    def boards(self, arch: str = "") -> list[boards_pb2.Board]:
        return list(self._unary(boards_pb2_grpc.BoardsStub(self.channel).ListBoards,
                                boards_pb2.ListBoardsRequest(arch=arch), "list boards").boards)

    def board(self, name: str) -> boards_pb2.Board:
        return self._unary(boards_pb2_grpc.BoardsStub(self.channel).GetBoard,
                           boards_pb2.GetBoardRequest(name=name), f"board {name}")

    # -- devices ------------------------------------------------------------------------------

    def devices(self) -> list[devices_pb2.Device]:
        return list(self._unary(devices_pb2_grpc.DevicesStub(self.channel).ListDevices,
                                devices_pb2.ListDevicesRequest(), "list devices").devices)

    def device(self, device_id: str) -> devices_pb2.Device:
        return self._unary(devices_pb2_grpc.DevicesStub(self.channel).GetDevice,
                           devices_pb2.GetDeviceRequest(id=device_id), f"device {device_id}")

    def create_emulator(self, board: str, name: str = "",
                        icount_shift: Optional[int] = None) -> devices_pb2.Device:
        """Starts an emulated board, halted and blank (``gale emu start``). ``icount_shift``:
        None for the deterministic default (0), -1 for none."""
        request = devices_pb2.CreateDeviceRequest(board=board, name=name)
        if icount_shift is not None and icount_shift < 0:
            request.no_icount = True
        elif icount_shift is not None:
            request.icount_shift = icount_shift
        return self._unary(devices_pb2_grpc.DevicesStub(self.channel).Create, request,
                           f"start an emulated {board}")

    def delete_device(self, device_id: str) -> None:
        """Stops and forgets an emulated device."""
        self._unary(devices_pb2_grpc.DevicesStub(self.channel).Delete,
                    devices_pb2.DeleteDeviceRequest(id=device_id), f"delete device {device_id}")

    def reset(self, device_id: str) -> devices_pb2.Device:
        return self._unary(devices_pb2_grpc.DevicesStub(self.channel).Reset,
                           devices_pb2.DeviceRequest(id=device_id), f"reset {device_id}")

    def halt(self, device_id: str) -> devices_pb2.Device:
        return self._unary(devices_pb2_grpc.DevicesStub(self.channel).Halt,
                           devices_pb2.DeviceRequest(id=device_id), f"halt {device_id}")

    def resume(self, device_id: str) -> devices_pb2.Device:
        return self._unary(devices_pb2_grpc.DevicesStub(self.channel).Resume,
                           devices_pb2.DeviceRequest(id=device_id), f"resume {device_id}")

    def read_memory(self, device_id: str, address: int, length: int) -> bytes:
        return self._unary(devices_pb2_grpc.DevicesStub(self.channel).ReadMemory,
                           devices_pb2.ReadMemoryRequest(id=device_id, address=address,
                                                         length=length),
                           f"read memory of {device_id}").data

    def watch_devices(self) -> Iterator[devices_pb2.DeviceEvent]:
        """Every current device (KIND_ADDED), then every change, until the caller stops."""
        call = devices_pb2_grpc.DevicesStub(self.channel).Watch(
            devices_pb2.WatchDevicesRequest(), metadata=self.metadata())
        try:
            yield from call
        except grpc.RpcError as error:
            raise self._error(error, "watch devices") from None
        finally:
            call.cancel()

    # -- build, flash, tests ------------------------------------------------------------------

    def build(self, app_dir: str, board: str, build_dir: Optional[str] = None, *,
              pristine: bool = False, cmake_args: Sequence[str] = (),
              on_event: Optional[EventCallback] = None) -> common_pb2.BuildSummary:
        """Configures and builds an application (paths are made absolute here)."""
        request = builds_pb2.BuildRequest(
            app_dir=os.path.abspath(app_dir), board=board,
            build_dir=os.path.abspath(build_dir) if build_dir else "", pristine=pristine,
            cmake_args=list(cmake_args))
        call = builds_pb2_grpc.BuildsStub(self.channel).Build(request, metadata=self.metadata())
        return self._job(call, f"build {request.app_dir} for {board}", on_event).build

    def flash(self, device_id: str = "", build_dir: Optional[str] = None, *,
              elf: Optional[str] = None, runner: str = "", verify: bool = True, run: bool = True,
              on_event: Optional[EventCallback] = None) -> common_pb2.FlashSummary:
        """Loads BUILD_DIR's image (or `elf`) onto a device, verifies it and starts it.
        ``on_event`` sees the job's progress events (phase, percent, bytes)."""
        if not build_dir and not elf:
            raise errors.InvalidArgument("flash: give a build folder or an ELF file")
        request = flash_pb2.FlashRequest(
            device_id=device_id, build_dir=os.path.abspath(build_dir) if build_dir else "",
            elf=os.path.abspath(elf) if elf else "", runner=runner, no_verify=not verify,
            no_run=not run)
        call = flash_pb2_grpc.FlashStub(self.channel).Flash(request, metadata=self.metadata())
        image = request.elf or request.build_dir
        return self._job(call, f"flash {image} to {device_id or 'the only device'}",
                         on_event).flash

    def run_tests(self, paths: Sequence[str], boards: Sequence[str] = (), *,
                  tags: Sequence[str] = (), junit: Optional[str] = None, parallel: int = 0,
                  work_dir: Optional[str] = None,
                  on_event: Optional[EventCallback] = None) -> tests_pb2.TestRun:
        """Runs the testcase.yaml scenarios under `paths` on emulated boards and returns the
        stored run. A run whose cases fail is returned (see ``summary.failed``), not raised:
        only a run that could not happen raises."""
        request = tests_pb2.RunTestsRequest(
            paths=[os.path.abspath(p) for p in paths], boards=list(boards), tags=list(tags),
            junit_path=os.path.abspath(junit) if junit else "", parallel=parallel,
            work_dir=os.path.abspath(work_dir) if work_dir else "")
        call = tests_pb2_grpc.TestsStub(self.channel).Run(request, metadata=self.metadata())
        try:
            result = self._job(call, "test run", on_event)
        except errors.JobFailed as failed:
            if not failed.result.HasField("tests") or not failed.result.tests.run_id:
                raise
            result = failed.result
        return self._unary(tests_pb2_grpc.TestsStub(self.channel).GetRun,
                           tests_pb2.GetTestRunRequest(id=result.tests.run_id),
                           f"test run {result.tests.run_id}")

    def jobs(self, limit: int = 0, kind: str = "") -> list[jobs_pb2.Job]:
        return list(self._unary(jobs_pb2_grpc.JobsStub(self.channel).ListJobs,
                                jobs_pb2.ListJobsRequest(limit=limit, kind=kind),
                                "list jobs").jobs)

    # -- console, shell, RTT ------------------------------------------------------------------

    def console(self, device_id: str, *, replay: bool = True,
                until_exit: bool = False) -> ConsoleStream:
        """Attaches to a device's UART: retained output first (unless ``replay=False``), then
        live output; ``until_exit`` ends the stream when the image exits."""
        return ConsoleStream(self, device_id, replay, until_exit)

    def shell(self, device_id: str, command: str, *, timeout_s: float = 10.0,
              backend: str = "uart", check: bool = True) -> str:
        """Runs one shell command on the device and returns what it printed before the next
        prompt. With ``check``, a command the shell rejects raises ShellCommandError."""
        reply = self._unary(shell_pb2_grpc.ShellStub(self.channel).Exec,
                            shell_pb2.ShellExecRequest(device_id=device_id, command=command,
                                                       timeout_ms=int(timeout_s * 1000),
                                                       backend=backend),
                            f"shell command '{command}' on {device_id or 'the only device'}",
                            timeout_s + self.timeout_s)
        if check and reply.error:
            raise errors.ShellCommandError(
                f"the shell of {device_id} rejected '{command}': {reply.output.strip()}",
                command, reply.output)
        return reply.output

    def rtt(self, device_id: str, channel: int = 0, *, replay: bool = True) -> RttStream:
        """Streams an RTT up-channel; opened before a flash, it waits for the control block."""
        return RttStream(self, device_id, channel, replay)

    def rtt_write(self, device_id: str, data: Union[bytes, str], channel: int = 0) -> int:
        if isinstance(data, str):
            data = data.encode()
        return self._unary(rtt_pb2_grpc.RttStub(self.channel).Write,
                           rtt_pb2.RttWriteRequest(device_id=device_id, channel=channel, data=data),
                           f"RTT write to {device_id}").written

    # -- farm ---------------------------------------------------------------------------------

    def acquire(self, *, board: str = "", devices: Iterable[str] = (), tags: Iterable[str] = (),
                count: int = 1, duration_s: float = 0, wait_s: float = 0,
                note: str = "") -> Lease:
        """Leases devices (``Farm.Acquire``): exactly `devices`, or `count` of a board and/or
        tags. ``wait_s`` > 0 waits that long for free ones (DeadlineExceeded after); 0 fails at
        once (ResourceExhausted naming the holders). ``duration_s`` 0: the daemon's default."""
        request = farm_pb2.AcquireLeaseRequest(
            selector=farm_pb2.DeviceSelector(devices=list(devices), board=board, tags=list(tags)),
            count=count, duration_ms=int(duration_s * 1000), wait_ms=int(wait_s * 1000),
            note=note)
        what = "lease " + (",".join(request.selector.devices) or
                           " ".join(filter(None, [board, "+".join(request.selector.tags)])) or
                           "any device")
        message = self._unary(farm_pb2_grpc.FarmStub(self.channel).Acquire, request, what,
                              wait_s + self.timeout_s)
        return Lease(self, message)

    def leases(self) -> list[farm_pb2.Lease]:
        return list(self._unary(farm_pb2_grpc.FarmStub(self.channel).ListLeases,
                                farm_pb2.ListLeasesRequest(), "list leases").leases)

    def set_tags(self, device_id: str, tags: Iterable[str]) -> list[str]:
        return list(self._unary(farm_pb2_grpc.FarmStub(self.channel).SetTags,
                                farm_pb2.SetTagsRequest(device=device_id, tags=list(tags)),
                                f"tag {device_id}").tags)


def wait_for(predicate: Callable[[], bool], timeout_s: float, interval_s: float = 0.1) -> bool:
    """Polls `predicate` until it holds or `timeout_s` passes; returns its last value."""
    deadline = time.monotonic() + timeout_s
    while True:
        if predicate():
            return True
        if time.monotonic() >= deadline:
            return False
        time.sleep(interval_s)
