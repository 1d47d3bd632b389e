"""The audit log's key, kept outside the database file: where operator accounts are on, every audit
row carries an HMAC of its hash (desktop.store.audit), so recomputing the chain takes more than the file.

Where the key lives:

- the operating system's keyring through the `keyring` library: Windows Credential Manager (the
  secret is protected by DPAPI under the user's Windows account), macOS Keychain, the Secret
  Service of a Linux desktop. Service ``DutyDesk``, user ``audit-key:<database id>``;
- where there is no keyring (a Linux server or CI without a Secret Service, or portable use with
  ``DUTYDESK_CONFIG_DIR`` set: everything stays in that folder), a key file
  ``<settings folder>/audit-keys/<database id>.key``, readable by the user only (0600, folder 0700),
  never in the database's folder.

The key is kept with the id of the first row it signed (``<hex>:<row>``): from that row on every
row must be signed, so stripping the signatures from the file shows. Each database gets a random id (meta ``database_id``) on its first signed row; a signature is
``<key id>:<hmac>`` where the key id is a fingerprint of the key, so verify tells a row signed with
a key this PC does not have (another Windows account, a lost key: "无法核验") from a wrong one.

What this does not do: the key sits on the same PC, under the same user account. Whoever can run
programs as that user can read it; it protects against someone who has only the database file (a
copy, a shared folder, a backup on a USB stick) and the program's code. A lost key (a new Windows
profile, a reinstalled PC, a deleted key file) makes the old signatures unverifiable; the data stays
readable and the next signed row starts a new key.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import os
import secrets
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from desktop.store.private import open_private, private_folder

SERVICE = "DutyDesk"
ID_KEY = "database_id"


@dataclass(frozen=True)
class Key:
    secret: bytes
    where: str  # what a person reads: “Windows 凭据管理器” or the key file's path
    #: The first audit row signed with it: every row from there on must carry a signature (kept
    #: with the key, outside the file, so stripping the signatures from the file shows).
    since: int | None = None

    def stored(self) -> str:
        return self.secret.hex() + ("" if self.since is None else f":{self.since}")

    @property
    def id(self) -> str:
        return hmac.new(self.secret, b"DutyDesk audit key id", hashlib.sha256).hexdigest()[:16]

    def sign(self, digest: str) -> str:
        return f"{self.id}:{hmac.new(self.secret, digest.encode('ascii'), hashlib.sha256).hexdigest()}"

    def check(self, digest: str, mac: str) -> bool:
        return hmac.compare_digest(self.sign(digest), mac)


def database_id(store: Any, *, create: bool) -> str | None:
    row = store.conn.execute("SELECT value FROM meta WHERE key = :key", {"key": ID_KEY}).fetchone()
    if row is not None or not create:
        return row[0] if row else None
    new = uuid.uuid4().hex
    store.conn.execute("INSERT INTO meta (key, value) VALUES (:key, :value) ON CONFLICT (key) DO NOTHING",
                       {"key": ID_KEY, "value": new})
    return store.conn.execute("SELECT value FROM meta WHERE key = :key", {"key": ID_KEY}).fetchone()[0]


def _use_keyring() -> bool:
    """Not in portable use (DUTYDESK_CONFIG_DIR: the key stays in that folder, and tests never touch
    the user's real keyring)."""
    return not os.environ.get("DUTYDESK_CONFIG_DIR")


def _keyring():
    """The keyring module when a real backend is there (not the ``fail`` one), else None."""
    if not _use_keyring():
        return None
    try:
        import keyring
        from keyring.backends import fail

        if isinstance(keyring.get_keyring(), fail.Keyring):
            return None
        return keyring
    except Exception:  # no keyring package, a broken backend: the key file is used instead
        return None


def _where_keyring() -> str:
    import sys

    if sys.platform == "win32":
        return "Windows 凭据管理器"
    if sys.platform == "darwin":
        return "macOS 钥匙串"
    return "系统密钥环"


def key_file(db_id: str) -> Path:
    from desktop.paths import config_dir

    return config_dir() / "audit-keys" / f"{db_id}.key"


def _parse(text: str | None, where: str) -> Key | None:
    """``<64 hex>[:<first signed row>]``."""
    if not text:
        return None
    secret, _, since = text.strip().partition(":")
    try:
        return Key(bytes.fromhex(secret), where, int(since) if since else None) if len(secret) == 64 else None
    except ValueError:
        return None


def _read_file(path: Path) -> Key | None:
    try:
        return _parse(path.read_text(encoding="ascii"), str(path))
    except (OSError, ValueError):
        return None


def _write_file(path: Path, key: Key) -> None:
    private_folder(path.parent)
    fd = open_private(path, os.O_EXCL | os.O_WRONLY)
    try:
        os.write(fd, key.stored().encode("ascii"))
        os.fsync(fd)
    finally:
        os.close(fd)


def find(store: Any) -> Key | None:
    """This database's key on this PC (keyring first, then the key file), or None."""
    db_id = database_id(store, create=False)
    return None if db_id is None else _find(db_id)


def _find(db_id: str) -> Key | None:
    ring = _keyring()
    if ring is not None:
        with contextlib.suppress(Exception):
            found = _parse(ring.get_password(SERVICE, f"audit-key:{db_id}"), _where_keyring())
            if found is not None:
                return found
    return _read_file(key_file(db_id))


def obtain(store: Any, first_row: int) -> tuple[Key | None, str | None]:
    """This database's key, made and kept (keyring, else the key file) when there is none yet, with
    `first_row` (the row about to be signed) as its first signed row. Returns (key, problem): the
    key, or None with why it could not be kept (Chinese)."""
    db_id = database_id(store, create=True)
    assert db_id is not None
    found = _find(db_id)
    if found is not None:
        return found, None
    ring = _keyring()
    if ring is not None:
        key = Key(secrets.token_bytes(32), _where_keyring(), first_row)
        try:
            ring.set_password(SERVICE, f"audit-key:{db_id}", key.stored())
            return key, None
        except Exception:  # a locked or refusing keyring: the key file instead
            pass
    path = key_file(db_id)
    key = Key(secrets.token_bytes(32), str(path), first_row)
    try:
        _write_file(path, key)
    except FileExistsError:  # another seat made it a moment ago
        again = _read_file(path)
        return (again, None) if again is not None else (None, f"审计日志的密钥文件 {path} 无法读取。")
    except OSError as exc:
        return None, (f"审计日志的密钥无法保存到 {path}({exc.strerror}),这次保存的日志没有密钥签名。"
                      "请检查设置文件夹的写入权限。")
    return key, None
