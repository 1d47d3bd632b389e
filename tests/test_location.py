"""Where a database is (desktop.store.location): a server address is never a file, and a file on a
network share is refused with a Chinese explanation that points to server mode (detection mocked per
platform: UNC paths and mapped drives on Windows, network mounts on Linux and macOS)."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.core.errors import UserError
from desktop.store import location
from desktop.store.errors import StoreError
from desktop.store.location import ServerUrl, network_share, parse_location
from desktop.store.opening import open_store


def test_a_postgresql_address_is_a_server_url_and_shows_no_password():
    url = parse_location("postgresql://dutydesk:s3cret@10.1.2.3:5432/zhiban?sslmode=require")
    assert isinstance(url, ServerUrl)
    assert str(url) == "postgresql://dutydesk:***@10.1.2.3:5432/zhiban?sslmode=require"
    assert isinstance(parse_location("postgres://u@h/db"), ServerUrl)
    assert parse_location("D:\\值班\\dutydesk.db") == Path("D:\\值班\\dutydesk.db")
    assert parse_location("data/dutydesk.db") == Path("data/dutydesk.db")


@pytest.mark.parametrize("text", ["mysql://u@h/db", "file://x/y.db", "https://example.org/a.db", "postgresql://"])
def test_other_addresses_are_refused_in_chinese(text):
    with pytest.raises(UserError, match="postgresql://"):
        parse_location(text)


@pytest.mark.parametrize(("path", "drive_type", "found"), [
    ("\\\\fileserver\\办公室\\dutydesk.db", 3, "网络共享文件夹 \\\\fileserver\\办公室"),
    ("//fileserver/share/dutydesk.db", 3, "网络共享文件夹"),
    ("\\\\?\\UNC\\fileserver\\share\\dutydesk.db", 3, "网络共享文件夹"),
    ("Z:\\值班\\dutydesk.db", 4, "映射的网络驱动器 Z:"),
    ("C:\\Users\\秘书\\dutydesk.db", 3, None),
    ("\\\\?\\C:\\data\\dutydesk.db", 3, None),
])
def test_windows_unc_paths_and_mapped_drives(monkeypatch, path, drive_type, found):
    asked = []
    monkeypatch.setattr(location, "_windows_drive_type", lambda root: asked.append(root) or drive_type)
    where = network_share(Path(path), platform="win32")
    if found is None:
        assert where is None
    else:
        assert where is not None and where.startswith(found)
    if path.startswith("Z:"):
        assert asked == ["Z:\\"]


MOUNTS = [("/", "ext4"), ("/home", "ext4"), ("/mnt/office", "cifs"), ("/mnt/office/local", "ext4"),
          ("/srv/nfs", "nfs4"), ("/media/ssh", "fuse.sshfs"), ("/Volumes/share", "smbfs")]


@pytest.mark.parametrize(("platform", "path", "fstype"), [
    ("linux", "/mnt/office/dutydesk.db", "cifs"),
    ("linux", "/srv/nfs/a/b/dutydesk.db", "nfs4"),
    ("linux", "/media/ssh/dutydesk.db", "fuse.sshfs"),
    ("linux", "/mnt/office/local/dutydesk.db", None),  # a local disk mounted inside the share
    ("linux", "/home/mishu/dutydesk.db", None),
    ("linux", "/mnt/officex/dutydesk.db", None),  # a prefix of the name is not the mount
    ("darwin", "/Volumes/share/dutydesk.db", "smbfs"),
])
def test_network_mounts_on_linux_and_macos(monkeypatch, platform, path, fstype):
    monkeypatch.setattr(location, "_mounts", lambda _platform: MOUNTS)
    monkeypatch.setattr(location.os.path, "realpath", lambda p: p)
    where = network_share(Path(path), platform=platform)
    assert (where is None) if fstype is None else (fstype in where)


def test_mountinfo_is_read_with_escaped_spaces(monkeypatch, tmp_path):
    text = ("22 1 8:1 / / rw - ext4 /dev/sda1 rw\n"
            "40 22 0:50 / /mnt/my\\040share rw,relatime - cifs //srv/share rw,vers=3.0\n")
    real = Path.read_text
    monkeypatch.setattr(Path, "read_text", lambda self, *a, **k: text if str(self) == "/proc/self/mountinfo"
                        else real(self, *a, **k))
    assert location._mounts("linux") == [("/", "ext4"), ("/mnt/my share", "cifs")]


def test_a_database_on_a_share_is_refused_and_nothing_is_created(monkeypatch, tmp_path, clock):
    share = tmp_path / "share"
    share.mkdir()
    monkeypatch.setattr(location, "_mounts", lambda _platform: [("/", "ext4"), (str(share.resolve()), "cifs")])
    with pytest.raises(StoreError) as caught:
        open_store(share / "dutydesk.db", clock)
    message = str(caught.value)
    assert "网络文件系统 cifs" in message and "服务器模式" in message and "dutydesk server init" in message
    assert "本机磁盘" in message
    assert list(share.iterdir()) == []  # no database, no -wal, no backups folder
    # the same file on a local disk opens
    monkeypatch.setattr(location, "_mounts", lambda _platform: [("/", "ext4")])
    open_store(share / "dutydesk.db", clock).close()


def test_the_cli_refuses_a_share_with_the_explanation(monkeypatch, tmp_path, clock, capsys):
    from desktop.cli import main

    monkeypatch.setattr(location, "_mounts", lambda _platform: [("/", "ext4"), (str(tmp_path.resolve()), "nfs")])
    assert main(["--db", str(tmp_path / "x.db"), "people", "list"], clock=clock) == 2
    err = capsys.readouterr().err
    assert "网络文件系统 nfs" in err and "服务器模式" in err and "Traceback" not in err


def test_the_embedded_mode_loads_no_server_library(tmp_path):
    """A desktop file pays nothing for server mode: SQLAlchemy, Alembic and psycopg stay unloaded."""
    import subprocess
    import sys

    db = tmp_path / "a.db"
    script = ("import sys\nfrom desktop.cli import main\n"
              f"assert main(['--db', {str(db)!r}, 'init', '--profile', 'panzhihua']) == 0\n"
              f"assert main(['--db', {str(db)!r}, 'people', 'add', '王市长', '--role', 'chief']) == 0\n"
              f"assert main(['--db', {str(db)!r}, 'people', 'list']) == 0\n"
              "print(sorted(m for m in sys.modules if m.split('.')[0] in ('sqlalchemy', 'alembic', 'psycopg')))\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "[]"
