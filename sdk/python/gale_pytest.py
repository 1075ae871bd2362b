"""pytest plugin for hardware-in-the-loop tests through galed.

    PYTHONPATH=sdk/python /usr/bin/python3 -m pytest -p gale_pytest \
        --gale-board qemu_cortex_m3 --gale-build build tests/

A test asks for the ``gale_device`` fixture: a device of --gale-board, leased for the test (an
emulated one is started when the board is emulated and none is free, and deleted afterwards),
flashed with --gale-build, and given back on teardown, also when the test fails::

    def test_sum(gale_device):
        assert "sum = 42" in gale_device.shell("demo sum 40 2")

The fixture object offers ``.device_id``, ``.shell(cmd) -> str``,
``.console_read(timeout_s) -> str``, ``.flash(build_dir)``, ``.lease`` and ``.client``.
"""
from __future__ import annotations

import os
from typing import TYPE_CHECKING, Iterator

import pytest

if TYPE_CHECKING:
    import gale


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("gale", "Gale devices through galed")
    group.addoption("--gale-board", metavar="BOARD",
                    help="board to lease a device of (see `gale boards`)")
    group.addoption("--gale-build", metavar="DIR",
                    help="build folder whose image (DIR/gale/gale.elf) is flashed before each test")
    group.addoption("--gale-socket", metavar="ADDR", default=None,
                    help="galed address: unix:/path or tcp://HOST:PORT (default: $GALE_SOCKET, "
                         "else the default socket)")
    group.addoption("--gale-token", metavar="TOKEN", default=None,
                    help="bearer token for a TCP listener (default: $GALE_TOKEN)")
    group.addoption("--gale-ca", metavar="FILE", default=None,
                    help="CA certificate (PEM) to trust for TLS (default: $GALE_CA)")
    group.addoption("--gale-client-cert", metavar="FILE", default=None,
                    help="client certificate (PEM) for mutual TLS, with --gale-client-key")
    group.addoption("--gale-client-key", metavar="FILE", default=None,
                    help="the key (PEM) of --gale-client-cert")
    group.addoption("--gale-lease-timeout", metavar="SECONDS", type=float, default=300.0,
                    help="how long to wait for a free device of the board (default 300)")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "gale: the test uses a Gale device (gale_device fixture)")


def _check_options(config: pytest.Config, user: str) -> None:
    """Raises pytest.UsageError when the options the gale_device fixture needs are missing."""
    board = config.getoption("--gale-board")
    build = config.getoption("--gale-build")
    missing = [name for name, value in (("--gale-board BOARD", board),
                                        ("--gale-build DIR", build)) if not value]
    if missing:
        raise pytest.UsageError(
            f"the gale_device fixture (used by {user}) needs {' and '.join(missing)} on the "
            "pytest command line, e.g. `pytest -p gale_pytest --gale-board qemu_cortex_m3 "
            "--gale-build build`")
    if not os.path.isdir(build):
        raise pytest.UsageError(f"--gale-build {os.path.abspath(build)}: no such folder; build "
                                f"the application first (`gale build -b {board} -d {build} APP`)")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # Checked once before any test runs, so that a forgotten option is a usage error (exit 4)
    # rather than one error per test.
    for item in items:
        if "gale_device" in getattr(item, "fixturenames", ()):
            _check_options(config, item.nodeid)
            return


@pytest.fixture(scope="session")
def gale_client(request: pytest.FixtureRequest):
    """A gale.Client connected to the galed named by --gale-socket / GALE_SOCKET."""
    import gale

    config = request.config
    try:
        client = gale.Client(config.getoption("--gale-socket"),
                             token=config.getoption("--gale-token"),
                             ca=config.getoption("--gale-ca"),
                             client_cert=config.getoption("--gale-client-cert"),
                             client_key=config.getoption("--gale-client-key"))
    except gale.GaleError as error:
        raise pytest.UsageError(f"gale_pytest: {error}") from None
    try:
        client.status(timeout_s=10)
    except gale.GaleError as error:
        client.close()
        pytest.fail(f"gale_pytest: {error}", pytrace=False)
    yield client
    client.close()


@pytest.fixture
def gale_device(request: pytest.FixtureRequest, gale_client) -> Iterator["gale.LeasedDevice"]:
    """A device of --gale-board, leased for this test and flashed with --gale-build."""
    import gale

    config = request.config
    _check_options(config, request.node.nodeid)
    board = config.getoption("--gale-board")
    build = os.path.abspath(config.getoption("--gale-build"))
    note = f"pytest {request.node.nodeid}"
    try:
        with gale.lease_device(gale_client, board,
                               wait_s=config.getoption("--gale-lease-timeout"),
                               note=note) as device:
            # Shown in JUnit XML (--junitxml) as properties of the test case.
            request.node.user_properties.append(("gale_device", device.device_id))
            if device.lease is not None:
                request.node.user_properties.append(("gale_lease", device.lease.id))
            device.flash(build)
            yield device
    except gale.GaleError as error:
        # Setup and teardown failures are the lab's, not the test's: one line with the daemon's
        # reason instead of a gRPC traceback.
        pytest.fail(f"gale_device: {error}", pytrace=False)
