"""One device of a board for a test: leased, flashed, driven, and given back.

:func:`lease_device` is what the ``gale_device`` pytest fixture uses; scripts can use it too::

    with gale.Client() as client, gale.lease_device(client, "qemu_cortex_m3") as dev:
        dev.flash("build")
        assert "pong" in dev.shell("demo ping")
"""
from __future__ import annotations

import contextlib
import threading
import time
from typing import Iterator, Optional

from . import errors
from .client import Client, ConsoleStream, Lease


class LeasedDevice:
    """A device held for its user: every call carries the lease token (when there is a lease)."""

    def __init__(self, client: Client, device_id: str, lease: Optional[Lease],
                 created: bool) -> None:
        self.client = client.with_lease(lease) if lease is not None else client
        self.device_id = device_id
        self.lease = lease
        self.created = created  # an emulator started for this user, deleted when done
        self._console: Optional[ConsoleStream] = None
        self._reader: Optional[threading.Thread] = None
        self._buffer = bytearray()
        self._read_pos = 0
        self._cond = threading.Condition()
        self._console_error: Optional[BaseException] = None

    def flash(self, build_dir: str, **kwargs):
        """Flashes BUILD_DIR/gale/gale.elf (verified, then started); returns the FlashSummary."""
        return self.client.flash(self.device_id, build_dir, **kwargs)

    def shell(self, command: str, timeout_s: float = 10.0, check: bool = True) -> str:
        """One shell command; what it printed before the next prompt. With ``check``, a command
        the shell rejects raises gale.ShellCommandError."""
        return self.client.shell(self.device_id, command, timeout_s=timeout_s, check=check)

    def console_read(self, timeout_s: float = 1.0, until: Optional[str] = None) -> str:
        """Console output that arrived since the last read (the first read starts with what the
        daemon retained, e.g. the boot banner). Returns once `until` appears in it, else after
        `timeout_s`."""
        self._start_console()
        deadline = time.monotonic() + timeout_s
        with self._cond:
            while True:
                text = bytes(self._buffer[self._read_pos:]).decode(errors="replace")
                if until is not None and until in text:
                    break
                if self._console_error is not None:
                    break
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                self._cond.wait(left)
            self._read_pos = len(self._buffer)
            if self._console_error is not None and not text:
                raise self._console_error
            return text.replace("\r\n", "\n")

    def console_write(self, data) -> None:
        """Sends bytes (or a str) to the device's UART."""
        self._start_console()
        assert self._console is not None
        self._console.write(data)

    def _start_console(self) -> None:
        if self._console is not None:
            return
        self._console = self.client.console(self.device_id)

        def read() -> None:
            try:
                for chunk in self._console:
                    with self._cond:
                        self._buffer += chunk.data
                        self._cond.notify_all()
            except errors.GaleError as error:
                with self._cond:
                    self._console_error = error
                    self._cond.notify_all()

        self._reader = threading.Thread(target=read, name=f"gale-console-{self.device_id}",
                                        daemon=True)
        self._reader.start()

    def close(self) -> None:
        if self._console is not None:
            self._console.close()
            if self._reader is not None:
                self._reader.join(timeout=5)

    def __repr__(self) -> str:
        return f"LeasedDevice({self.device_id!r}, lease={self.lease!r})"


@contextlib.contextmanager
def lease_device(client: Client, board: str, *, wait_s: float = 0, duration_s: float = 600,
                 note: str = "") -> Iterator[LeasedDevice]:
    """Leases one device of `board` for the block, then gives it back even when the block fails.

    An emulated board with no free device gets a new emulator, leased and deleted afterwards. A
    hardware board waits up to `wait_s` for a free device. The lease lasts `duration_s` and is
    renewed in the background while the block runs.

    A galed without the Farm service (UNIMPLEMENTED) cannot lease: then only an emulated board
    works, on an emulator started for the block (nobody else knows of it) and deleted after it;
    a hardware board raises gale.Unimplemented.
    """
    info = client.board(board)
    emulated = bool(info.emulator)
    lease: Optional[Lease] = None
    created = ""
    farm = True
    try:
        lease = client.acquire(board=board, count=1, duration_s=duration_s,
                               wait_s=0 if emulated else wait_s, note=note)
    except errors.Unimplemented as error:
        if not emulated:
            raise errors.Unimplemented(
                f"cannot lease a {board}: galed at {client.address} has no Farm service "
                f"({error.details}); without leases only emulated boards can be used",
                details=error.details) from None
        farm = False
    except (errors.ResourceExhausted, errors.NotFound):
        if not emulated:
            raise
    taken: list[str] = []  # new emulators that another lease already covered
    while lease is None:
        created = client.create_emulator(board).id
        if not farm:
            break  # nothing to lease: the emulator is ours alone, nobody else was told of it
        try:
            lease = client.acquire(devices=[created], duration_s=duration_s, note=note)
        except errors.ResourceExhausted as error:
            # A lease kept over a daemon restart may name an emulator id the new daemon hands
            # out again; that device is not ours to use. Try a fresh one a few times.
            taken.append(created)
            created = ""
            if len(taken) >= 4:
                for device_id in taken:
                    _quietly(client.delete_device, device_id)
                raise errors.ResourceExhausted(
                    f"cannot lease a new emulated {board}: other leases already hold "
                    f"{', '.join(taken)} ({error.details}); see `gale lease list`",
                    details=error.details) from None
        except BaseException:
            _quietly(client.delete_device, created)
            raise
    for device_id in taken:
        _quietly(client.delete_device, device_id)
    if lease is not None:
        device_id = lease.devices[0] if lease.devices else created
        lease.keep_alive(max(duration_s / 3, 1.0))
    else:
        device_id = created
    device = LeasedDevice(client, device_id, lease, bool(created))
    try:
        yield device
    finally:
        device.close()
        try:
            if created:
                device.client.delete_device(created)
        finally:
            if lease is not None:
                lease.release()


def _quietly(fn, *args) -> None:
    try:
        fn(*args)
    except errors.GaleError:
        pass
