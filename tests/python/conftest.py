"""Fixtures of the Python client's tests: a real galed on a socket of its own, with private
XDG folders, and a shell image built through it.

CTest sets GALE_BIN_DIR (the host build's bin/) and PYTHONPATH (sdk/python); run by hand:

    GALE_BIN_DIR=build/bin PYTHONPATH=sdk/python /usr/bin/python3 -m pytest tests/python
"""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
import time

import pytest

import gale

pytest_plugins = ["pytester"]

GALE_BASE = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


class Galed:
    """A galed process listening on `address`, its state and runtime folders under `root`."""

    def __init__(self, root: str) -> None:
        bin_dir = os.environ.get("GALE_BIN_DIR") or os.path.join(GALE_BASE, "build", "bin")
        self.binary = os.path.join(os.path.abspath(bin_dir), "galed")
        if not os.access(self.binary, os.X_OK):
            pytest.fail(f"{self.binary} is missing: build the host tools first "
                        "(ninja -C build galed), or set GALE_BIN_DIR", pytrace=False)
        self.root = root
        self.env = dict(os.environ)
        self.env.update(XDG_RUNTIME_DIR=os.path.join(root, "run"),
                        XDG_STATE_HOME=os.path.join(root, "state"), GALE_BASE=GALE_BASE)
        for name in ("GALE_SOCKET", "GALE_LEASE", "GALE_TOKEN", "GALE_CA"):
            self.env.pop(name, None)
        os.makedirs(os.path.join(root, "run", "gale"), mode=0o700)
        os.makedirs(os.path.join(root, "state"))
        self.address = f"unix:{root}/run/gale/galed.sock"
        self.log_path = os.path.join(root, "galed.log")
        self.process = None

    def start(self) -> None:
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen([self.binary, "--listen", self.address], env=self.env,
                                            stdin=subprocess.DEVNULL, stdout=log, stderr=log,
                                            cwd="/")
        client = gale.Client(self.address)
        try:
            deadline = time.monotonic() + 20
            while True:
                try:
                    client.status(timeout_s=1)
                    return
                except gale.Unavailable:
                    if self.process.poll() is not None or time.monotonic() > deadline:
                        self.stop()
                        pytest.fail(f"galed did not come up at {self.address}:\n{self.log()}",
                                    pytrace=False)
                    time.sleep(0.1)
        finally:
            client.close()

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def log(self) -> str:
        with open(self.log_path, errors="replace") as f:
            return f.read()[-4000:]


@pytest.fixture(scope="session")
def galed():
    # Short: unix socket paths are limited to 107 bytes.
    root = tempfile.mkdtemp(prefix="gale-py.")
    daemon = Galed(root)
    daemon.start()
    yield daemon
    daemon.stop()
    shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def client(galed):
    with gale.Client(galed.address) as c:
        yield c


def farm_served(client: gale.Client) -> bool:
    """Whether this galed serves Farm (the lease service); an older one answers UNIMPLEMENTED."""
    try:
        client.leases()
        return True
    except gale.Unimplemented:
        return False


@pytest.fixture(scope="session")
def shell_build(galed):
    """samples/shell built for qemu_cortex_m3 through galed (Builds.Build)."""
    build_dir = os.path.join(galed.root, "shell-build")
    with gale.Client(galed.address) as c:
        summary = c.build(os.path.join(GALE_BASE, "samples", "shell"), "qemu_cortex_m3",
                          build_dir)
    assert summary.elf.endswith("gale/gale.elf")
    return build_dir
