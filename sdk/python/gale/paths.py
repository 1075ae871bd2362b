"""Where the daemon is: the same rule as the gale CLI and galed (sdk/host/include/gale/host/paths.h).

    address: the explicit one, else $GALE_SOCKET, else unix:$XDG_RUNTIME_DIR/gale/galed.sock,
             else (no XDG_RUNTIME_DIR) unix:/tmp/gale-$UID/galed.sock
"""
from __future__ import annotations

import os
from typing import Mapping, Optional


def default_socket_address(env: Mapping[str, str] = os.environ,
                           uid: Optional[int] = None) -> str:
    """The default address when neither an explicit one nor GALE_SOCKET is given."""
    runtime = env.get("XDG_RUNTIME_DIR", "")
    if runtime:
        return f"unix:{runtime}/gale/galed.sock"
    return f"unix:/tmp/gale-{os.getuid() if uid is None else uid}/galed.sock"


def normalize_address(address: str, cwd: str = "") -> str:
    """"unix:/p", "unix:///p" and a bare path with a '/' become "unix:/abs/p"; the rest as is."""
    if address.startswith("unix://"):
        path = address[len("unix://"):]
    elif address.startswith("unix:"):
        path = address[len("unix:"):]
    elif "/" in address and "://" not in address:
        path = address
    else:
        return address
    if path and not path.startswith("/") and cwd:
        path = os.path.join(cwd, path)
    return "unix:" + path


def resolve_socket_address(explicit: Optional[str] = None,
                           env: Mapping[str, str] = os.environ,
                           uid: Optional[int] = None) -> str:
    """The address to use: `explicit`, else GALE_SOCKET, else default_socket_address()."""
    if explicit:
        return normalize_address(explicit, os.getcwd())
    from_env = env.get("GALE_SOCKET", "")
    if from_env:
        return normalize_address(from_env, os.getcwd())
    return default_socket_address(env, uid)
