"""The client's side of the transport, against an in-process gRPC server speaking gale.v1.Sdk
(the client's edge, as fake_galed is the CLI's): TLS with a given CA over TCP, the bearer token
and the lease token as metadata, and plaintext refused by a TLS listener."""
from __future__ import annotations

import subprocess
from concurrent import futures

import grpc
import pytest

import gale
from gale.v1 import sdk_pb2, sdk_pb2_grpc


class RecordingSdk(sdk_pb2_grpc.SdkServicer):
    def __init__(self) -> None:
        self.metadata: list[dict[str, str]] = []

    def GetStatus(self, request, context):
        self.metadata.append(dict(context.invocation_metadata()))
        return sdk_pb2.DaemonStatus(version="test", pid=1)


@pytest.fixture(scope="module")
def tls_files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("tls")
    key, cert = folder / "key.pem", folder / "cert.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                    "-subj", "/CN=localhost",
                    "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
                    "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True)
    return key, cert


def serve(tls_files=None, client_ca=None):
    service = RecordingSdk()
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=2))
    sdk_pb2_grpc.add_SdkServicer_to_server(service, server)
    if tls_files is None:
        port = server.add_insecure_port("127.0.0.1:0")
    else:
        key, cert = tls_files
        credentials = grpc.ssl_server_credentials(
            [(key.read_bytes(), cert.read_bytes())],
            root_certificates=client_ca.read_bytes() if client_ca else None,
            require_client_auth=client_ca is not None)
        port = server.add_secure_port("127.0.0.1:0", credentials)
    server.start()
    return server, service, port


def test_tls_with_ca_sends_bearer_and_lease_tokens(tls_files):
    server, service, port = serve(tls_files)
    try:
        with gale.Client(f"tcp://127.0.0.1:{port}", ca=str(tls_files[1]), token="devtok",
                         lease="lease-123") as client:
            assert client.status().version == "test"
        seen = service.metadata[-1]
        assert seen["authorization"] == "Bearer devtok"
        assert seen[gale.LEASE_METADATA_KEY] == "lease-123"
    finally:
        server.stop(None)


def test_token_and_lease_from_the_environment(monkeypatch):
    server, service, port = serve()
    monkeypatch.setenv("GALE_SOCKET", f"tcp://127.0.0.1:{port}")
    monkeypatch.setenv("GALE_TOKEN", "envtok")
    monkeypatch.setenv("GALE_LEASE", "envlease")
    try:
        with gale.Client() as client:  # loopback without a CA: plaintext
            client.status()
            client.with_lease("other").status()
        assert service.metadata[0]["authorization"] == "Bearer envtok"
        assert service.metadata[0][gale.LEASE_METADATA_KEY] == "envlease"
        assert service.metadata[1][gale.LEASE_METADATA_KEY] == "other"
    finally:
        server.stop(None)


def test_plaintext_to_a_tls_listener_fails_as_unavailable(tls_files):
    server, _, port = serve(tls_files)
    try:
        with gale.Client(f"tcp://127.0.0.1:{port}", tls=False) as client:
            with pytest.raises(gale.Unavailable) as raised:
                client.status(timeout_s=3)
        assert f"127.0.0.1:{port}" in str(raised.value)
    finally:
        server.stop(None)


def test_mutual_tls_needs_the_client_certificate(tls_files):
    key, cert = tls_files  # self-signed: its own CA, for the server and the client alike
    server, service, port = serve(tls_files, client_ca=cert)
    try:
        with gale.Client(f"tcp://127.0.0.1:{port}", ca=str(cert), client_cert=str(cert),
                         client_key=str(key)) as client:
            assert client.status().version == "test"
        with gale.Client(f"tcp://127.0.0.1:{port}", ca=str(cert)) as client:
            with pytest.raises(gale.Unavailable):
                client.status(timeout_s=3)
    finally:
        server.stop(None)


def test_bad_security_settings_are_refused_by_name(tls_files, tmp_path):
    key, cert = tls_files
    with pytest.raises(gale.InvalidArgument, match="both client_cert and client_key"):
        gale.Client("tcp://127.0.0.1:1", client_cert=str(cert))
    not_pem = tmp_path / "ca.txt"
    not_pem.write_text("hello")
    with pytest.raises(gale.InvalidArgument, match="ca.txt is not a PEM file"):
        gale.Client("tcp://127.0.0.1:1", ca=str(not_pem))
    with pytest.raises(gale.InvalidArgument, match="visible ASCII"):
        gale.Client("tcp://127.0.0.1:1", token="two words")
