"""gale.Client against a real galed and QEMU: daemon, boards, devices, build, flash with
progress, shell, console, errors carrying the daemon's message, and leases (when served)."""
from __future__ import annotations

import pytest

import gale
from gale.v1 import common_pb2, devices_pb2

from conftest import farm_served


def test_socket_rule_matches_the_cli():
    env = {"XDG_RUNTIME_DIR": "/run/user/7"}
    assert gale.default_socket_address(env) == "unix:/run/user/7/gale/galed.sock"
    assert gale.default_socket_address({}, uid=7) == "unix:/tmp/gale-7/galed.sock"
    assert gale.resolve_socket_address(None, {"GALE_SOCKET": "/s/g.sock", **env}) == "unix:/s/g.sock"
    assert gale.resolve_socket_address("unix:///a/b", env) == "unix:/a/b"
    assert gale.resolve_socket_address("tcp://h:1", env) == "tcp://h:1"
    assert gale.normalize_address("rel/s.sock", "/cwd") == "unix:/cwd/rel/s.sock"


def test_bad_addresses_are_refused_by_name(tmp_path):
    with pytest.raises(gale.InvalidArgument, match="tcp://nohost"):
        gale.Client("tcp://nohost")
    with pytest.raises(gale.InvalidArgument, match="no TLS"):
        gale.Client("unix:/x/galed.sock", ca=str(tmp_path / "ca.pem"))
    missing = str(tmp_path / "missing.pem")
    with pytest.raises(gale.InvalidArgument, match="missing.pem"):
        gale.Client("tcp://127.0.0.1:1", ca=missing)


def test_no_daemon_is_unavailable_naming_the_address(tmp_path):
    address = f"unix:{tmp_path}/nobody.sock"
    with gale.Client(address) as c, pytest.raises(gale.Unavailable) as raised:
        c.status(timeout_s=2)
    assert address in str(raised.value)


def test_status_and_boards(client, galed):
    status = client.status()
    assert status.pid == galed.process.pid
    assert galed.address in list(status.listen)
    boards = {b.name: b for b in client.boards()}
    assert boards["qemu_cortex_m3"].emulator == "qemu"
    assert client.board("qemu_cortex_m3").arch == "arm"
    with pytest.raises(gale.NotFound) as raised:
        client.board("no_such_board")
    assert "no_such_board" in str(raised.value)
    assert raised.value.code.name == "NOT_FOUND"


def test_a_failed_build_raises_job_failed_with_diagnostics(client, tmp_path):
    app = tmp_path / "broken"
    (app / "src").mkdir(parents=True)
    (app / "CMakeLists.txt").write_text(
        "cmake_minimum_required(VERSION 3.20)\nfind_package(Gale REQUIRED HINTS $ENV{GALE_BASE})\n"
        "project(broken)\ntarget_sources(app PRIVATE src/main.c)\n")
    (app / "prj.conf").write_text("")
    (app / "src" / "main.c").write_text("int main(void) { return undeclared_thing; }\n")
    events = []
    with pytest.raises(gale.JobFailed) as raised:
        client.build(str(app), "qemu_cortex_m3", str(tmp_path / "out"), on_event=events.append)
    assert raised.value.result.state == common_pb2.JOB_STATE_FAILED
    assert raised.value.job_id.startswith("j-")
    diagnostics = [e.diagnostic for e in events if e.WhichOneof("event") == "diagnostic"]
    assert any("undeclared_thing" in d.message and d.file.endswith("main.c") for d in diagnostics)


def test_emulator_flash_shell_console(client, shell_build):
    dev = client.create_emulator("qemu_cortex_m3")
    try:
        assert dev.kind == devices_pb2.DEVICE_KIND_EMULATED
        assert dev.id in [d.id for d in client.devices()]
        events = []
        summary = client.flash(dev.id, shell_build, on_event=events.append)
        assert summary.device_id == dev.id and summary.verified and summary.bytes_written > 0
        phases = {e.progress.phase for e in events if e.WhichOneof("event") == "progress"}
        assert {"load", "verify"} <= phases

        assert client.shell(dev.id, "demo ping").strip() == "pong"
        assert "sum = 42" in client.shell(dev.id, "demo sum 40 2")
        with pytest.raises(gale.ShellCommandError) as raised:
            client.shell(dev.id, "demo nosuch")
        assert "demo nosuch" in str(raised.value)
        assert "ping" in client.shell(dev.id, "demo nosuch", check=False)

        # The console replays what the image printed: its banner and the commands above.
        seen = b""
        with client.console(dev.id) as console:
            for chunk in console:
                seen += chunk.data
                if b"sum = 42" in seen:
                    break
        assert b"Shell sample on qemu_cortex_m3" in seen
        assert client.device(dev.id).state == devices_pb2.DEVICE_STATE_RUNNING
    finally:
        client.delete_device(dev.id)
    assert dev.id not in [d.id for d in client.devices()]
    with pytest.raises(gale.NotFound):
        client.device(dev.id)


def test_flash_errors_name_the_input(client, tmp_path):
    with pytest.raises(gale.InvalidArgument):
        client.flash("emu-x")
    with pytest.raises(gale.NotFound) as raised:
        client.flash("no-such-device", str(tmp_path))
    assert "no-such-device" in str(raised.value)
    with pytest.raises(gale.FailedPrecondition) as raised:
        client.create_emulator("nrf52840dk")
    assert "nrf52840dk" in str(raised.value)


def test_jobs_record_the_flash(client, shell_build):
    dev = client.create_emulator("qemu_cortex_m3")
    try:
        client.flash(dev.id, shell_build)
    finally:
        client.delete_device(dev.id)
    flashes = [j for j in client.jobs(kind="flash") if j.device_id == dev.id]
    assert flashes and flashes[0].state == common_pb2.JOB_STATE_SUCCEEDED


def test_leases_guard_a_device(client, shell_build):
    if not farm_served(client):
        with pytest.raises(gale.Unimplemented):
            client.acquire(board="qemu_cortex_m3")
        pytest.skip("this galed does not serve Farm (UNIMPLEMENTED): lease semantics untested")
    dev = client.create_emulator("qemu_cortex_m3")
    try:
        with client.acquire(devices=[dev.id], duration_s=60, note="python client test") as lease:
            assert lease.devices == [dev.id] and lease.token
            listed = [l for l in client.leases() if l.id == lease.id]
            assert listed and listed[0].note == "python client test"
            with pytest.raises(gale.FailedPrecondition) as raised:
                client.flash(dev.id, shell_build)  # no token: refused, naming the holder
            assert lease.holder in str(raised.value)
            lease.client.flash(dev.id, shell_build)
            assert lease.client.shell(dev.id, "demo ping").strip() == "pong"
            before = lease.expires_us
            assert lease.renew(120).expires_us > before
            with pytest.raises(gale.ResourceExhausted):
                client.acquire(devices=[dev.id])
        assert lease.id not in [l.id for l in client.leases()]
    finally:
        client.delete_device(dev.id)


def test_lease_device_gives_the_emulator_back(client, shell_build):
    before = {d.id for d in client.devices()}
    with gale.lease_device(client, "qemu_cortex_m3", duration_s=60, note="lease_device test") as dev:
        assert dev.device_id not in before and dev.created
        dev.flash(shell_build)
        assert dev.shell("demo ping").strip() == "pong"
        assert "Shell sample on qemu_cortex_m3" in dev.console_read(10, until="pong")
        if farm_served(client):
            assert dev.lease is not None and dev.lease.devices == [dev.device_id]
            with pytest.raises(gale.FailedPrecondition):
                client.flash(dev.device_id, shell_build)  # not the holder's token
        else:
            assert dev.lease is None  # nothing to lease: never a made-up one
    assert {d.id for d in client.devices()} == before
    if farm_served(client):
        assert not [l for l in client.leases() if l.note == "lease_device test"]


def test_lease_device_on_hardware_needs_a_device_or_a_farm(client):
    expected = gale.NotFound if farm_served(client) else gale.Unimplemented
    with pytest.raises(expected) as raised:
        with gale.lease_device(client, "nrf52840dk"):
            pass
    assert "nrf52840dk" in str(raised.value)


def test_lease_device_after_a_daemon_restart(shell_build):
    """Leases survive a daemon restart, emulators do not: a new emulator may get the id of one a
    kept lease named. lease_device gets a device no other lease holds, and works."""
    import shutil
    import tempfile

    from conftest import Galed

    daemon = Galed(tempfile.mkdtemp(prefix="gale-py-restart."))
    daemon.start()
    try:
        with gale.Client(daemon.address) as c:
            if not farm_served(c):
                pytest.skip("this galed does not serve Farm (UNIMPLEMENTED)")
            first = c.create_emulator("qemu_cortex_m3").id
            held = c.acquire(devices=[first], duration_s=300, note="kept over a restart")
        daemon.stop()
        daemon.start()
        with gale.Client(daemon.address) as c:
            assert held.id in [l.id for l in c.leases()]  # the lease outlived the daemon
            with gale.lease_device(c, "qemu_cortex_m3", duration_s=60) as dev:
                kept = [l for l in c.leases() if l.id == held.id]
                assert kept and dev.device_id not in kept[0].devices
                assert dev.lease is not None and dev.lease.devices == [dev.device_id]
                dev.flash(shell_build)
                assert dev.shell("demo ping").strip() == "pong"
    finally:
        daemon.stop()
        shutil.rmtree(daemon.root, ignore_errors=True)
