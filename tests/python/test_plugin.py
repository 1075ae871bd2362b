"""The gale_pytest plugin, run as a user runs it (a pytest subprocess with -p gale_pytest) on
sample test files against the real galed: the fixture leases (or, without Farm, creates) an
emulated device, flashes the build, drives its shell and console, and gives the device back
after a passing and after a failing test."""
from __future__ import annotations

import pytest

import gale

from conftest import farm_served

SAMPLE = '''
import os

def record(dev):
    with open(os.path.join(os.environ["GALE_TEST_RECORD"]), "a") as f:
        f.write(dev.device_id + "\\n")

def test_shell_and_console(gale_device):
    record(gale_device)
    assert gale_device.shell("demo sum 40 2").strip() == "sum = 42"
    banner = gale_device.console_read(10, until="sum = 42")
    assert "Shell sample on qemu_cortex_m3" in banner
    assert "sum = 42" in banner

def test_fails_but_gives_the_device_back(gale_device):
    record(gale_device)
    assert gale_device.shell("demo ping").strip() == "not pong"
'''


def run_plugin(pytester, galed, *args):
    return pytester.runpytest_subprocess("-p", "gale_pytest", "-p", "no:cacheprovider",
                                         "--gale-socket", galed.address, *args, timeout=600)


def test_missing_options_are_a_usage_error(pytester, galed):
    pytester.makepyfile(test_needs_device="def test_x(gale_device):\n    pass\n")
    result = run_plugin(pytester, galed)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*--gale-board BOARD and --gale-build DIR*"])
    result = run_plugin(pytester, galed, "--gale-board", "qemu_cortex_m3",
                        "--gale-build", str(pytester.path / "no-such-build"))
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*no-such-build: no such folder*"])


def test_unknown_board_fails_with_the_daemons_message(pytester, galed, shell_build):
    pytester.makepyfile(test_board="def test_x(gale_device):\n    pass\n")
    result = run_plugin(pytester, galed, "--gale-board", "no_such_board", "--gale-build",
                        shell_build)
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*gale_device: board no_such_board:*no_such_board*"])


def test_fixture_drives_and_releases_devices(pytester, galed, shell_build, client, monkeypatch):
    record = pytester.path / "devices.txt"
    monkeypatch.setenv("GALE_TEST_RECORD", str(record))
    pytester.makepyfile(test_lab=SAMPLE)
    before = {d.id for d in client.devices()}
    result = run_plugin(pytester, galed, "--gale-board", "qemu_cortex_m3", "--gale-build",
                        shell_build, "-v", "--junitxml", str(pytester.path / "report.xml"))
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(["*test_shell_and_console PASSED*",
                                 "*test_fails_but_gives_the_device_back FAILED*",
                                 "*assert 'pong' == 'not pong'*"])
    used = record.read_text().split()
    assert len(used) == 2
    report = (pytester.path / "report.xml").read_text()
    assert all(f'name="gale_device" value="{d}"' in report for d in used)
    # Emulators started for the tests are gone, the failing test's too; no lease is left.
    after = {d.id for d in client.devices()}
    assert after == before
    assert not set(used) & after
    if farm_served(client):
        assert not [l for l in client.leases() if "test_lab.py" in l.note]
    jobs = [j for j in client.jobs(kind="flash") if j.device_id in used]
    assert len(jobs) == 2 and all(j.state == gale.v1.common_pb2.JOB_STATE_SUCCEEDED for j in jobs)
