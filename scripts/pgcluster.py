"""A throwaway PostgreSQL cluster for the tests (stdlib only: `python3 dev.py test` runs it before the venv exists).

`start()` runs initdb in a temporary folder as an unprivileged user (initdb refuses root: as root,
the folder is handed to the user `nobody`), starts the server on a free loopback port with trust
authentication and fsync off, and returns the URL of its `postgres` database and a `stop` function.
The tests create their own databases on it (tests/conftest.py). Nothing is left behind.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path

USER = "dutydesk_test"


def find_bin(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    for candidate in sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True):
        return candidate
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start() -> tuple[str, Callable[[], None]] | None:
    """(URL, stop) of a fresh cluster, or None when PostgreSQL is not installed here."""
    initdb, pg_ctl = find_bin("initdb"), find_bin("pg_ctl")
    if not initdb or not pg_ctl:
        return None
    folder = Path(tempfile.mkdtemp(prefix="dutydesk-pg-"))
    data = folder / "data"
    run_as: dict = {}
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        import pwd

        nobody = pwd.getpwnam("nobody")
        os.chown(folder, nobody.pw_uid, nobody.pw_gid)
        run_as = {"user": nobody.pw_uid, "group": nobody.pw_gid, "extra_groups": []}
    os.chmod(folder, 0o700)
    env = dict(os.environ, LC_ALL="C.UTF-8", LANG="C.UTF-8")
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.PIPE, "env": env, "cwd": folder, **run_as}
    port = _free_port()
    try:
        subprocess.run([initdb, "-D", str(data), "-U", USER, "-A", "trust", "-E", "UTF8", "--no-sync"],
                       check=True, **quiet)
        options = f"-h 127.0.0.1 -p {port} -k {folder} -F -c max_connections=200 -c fsync=off"
        subprocess.run([pg_ctl, "-D", str(data), "-l", str(folder / "log"), "-o", options, "-w", "start"],
                       check=True, **quiet)
    except (OSError, subprocess.CalledProcessError) as exc:
        err = getattr(exc, "stderr", b"") or b""
        shutil.rmtree(folder, ignore_errors=True)
        raise RuntimeError(f"PostgreSQL test cluster did not start: {exc} {err.decode(errors='replace')}") from exc

    def stop() -> None:
        subprocess.run([pg_ctl, "-D", str(data), "-m", "immediate", "-w", "stop"], check=False, **quiet)
        shutil.rmtree(folder, ignore_errors=True)

    return f"postgresql://{USER}@127.0.0.1:{port}/postgres", stop


if __name__ == "__main__":  # start one by hand: prints its URL, stops on Enter
    started = start()
    if started is None:
        raise SystemExit("PostgreSQL (initdb, pg_ctl) is not installed")
    url, stop_it = started
    print(url, flush=True)
    try:
        input()
    finally:
        stop_it()
