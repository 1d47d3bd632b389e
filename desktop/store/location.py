"""Where a database is: a file on this PC, or a PostgreSQL server (server mode).

`parse_location` reads what the user gave as ``--db`` (or chose in the GUI): a ``postgresql://``
address is a `ServerUrl`, never a file name (a URL taken for a path used to create a folder named
``postgresql:`` with a SQLite file in it); anything else is a `Path`.

`network_share` says whether a file lies on a network location — a UNC path ``\\\\server\\share``, a
mapped network drive (``GetDriveTypeW`` = ``DRIVE_REMOTE``), or on Linux/macOS a mount of a network
file system (nfs, cifs/smb3, sshfs…). SQLite documents that setup as unsafe: a WAL database must be
used by processes on one host (the WAL index is shared memory) and file locking on network file
systems is unreliable, so `desktop.store.opening.open_store` refuses such a file and points to
server mode. Nothing here imports a database driver.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path, PureWindowsPath

from desktop.core.errors import UserError

SERVER_SCHEMES = ("postgresql", "postgres", "postgresql+psycopg")
_URL = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*)://")


@dataclass(frozen=True)
class ServerUrl:
    """A PostgreSQL database address, e.g. ``postgresql://dutydesk@10.1.2.3:5432/zhiban?sslmode=require``."""

    url: str

    def __str__(self) -> str:
        """The address as it may be shown: the password, if the address holds one, replaced by ***."""
        return re.sub(r"(://[^:/@]+:)[^@/]*@", r"\1***@", self.url)


Location = Path | ServerUrl


def parse_location(text: str | os.PathLike[str]) -> Location:
    """A ``--db`` value: a server address or a file path. An address of another kind is refused."""
    if isinstance(text, ServerUrl | Path):
        return text
    raw = os.fspath(text).strip()
    m = _URL.match(raw)
    if m is None:
        return Path(raw)
    if m[1].lower() not in SERVER_SCHEMES:
        raise UserError(f"数据库地址“{raw}”不是本程序支持的地址。服务器模式请写 postgresql://用户名@服务器地址:端口/数据库名;"
                        "单机使用请写数据库文件的路径。")
    rest = raw[m.end():]
    if rest in ("", "/"):
        raise UserError(f"数据库地址“{raw}”不完整,请写成 postgresql://用户名@服务器地址:端口/数据库名。")
    return ServerUrl(raw)


def location_arg(text: str) -> Location:
    """``--db`` as an argparse type (the command line's and the window's): a bad address is an
    argument error in Chinese."""
    import argparse

    try:
        return parse_location(text)
    except UserError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def server_arg(text: str) -> ServerUrl:
    """An argument that must be a server database's address (`server init`, `copy-to`)."""
    import argparse

    found = location_arg(text)
    if not isinstance(found, ServerUrl):
        raise argparse.ArgumentTypeError(f"“{text}”不是服务器数据库的地址,请写成 postgresql://用户名@服务器地址:端口/数据库名")
    return found


# ---------------------------------------------------------------- network locations

#: File systems whose files live on another computer (Linux /proc/self/mountinfo, macOS `mount`).
NETWORK_FILE_SYSTEMS = frozenset({
    "nfs", "nfs4", "cifs", "smb", "smb2", "smb3", "smbfs", "sshfs", "fuse.sshfs", "9p", "afs", "afpfs", "ceph",
    "fuse.ceph", "glusterfs", "fuse.glusterfs", "davfs", "fuse.davfs2", "webdav", "ncpfs", "lustre", "gpfs",
    "fuse.rclone", "fuse.s3fs", "ocfs2", "gfs2", "orangefs", "beegfs", "fuse.gvfsd-fuse",
})
DRIVE_REMOTE = 4  # GetDriveTypeW


def _windows_drive_type(root: str) -> int:
    import ctypes

    return int(ctypes.windll.kernel32.GetDriveTypeW(root))  # type: ignore[attr-defined]


def _unescape_mount(text: str) -> str:
    return re.sub(r"\\([0-7]{3})", lambda m: chr(int(m[1], 8)), text)


def _mounts(platform: str) -> list[tuple[str, str]]:
    """(mount point, file system type) of every mount, as this system reports them."""
    out: list[tuple[str, str]] = []
    if platform == "darwin":
        try:
            text = subprocess.run(["/sbin/mount"], capture_output=True, text=True, timeout=5, check=False).stdout
        except (OSError, subprocess.SubprocessError):
            return []
        for line in text.splitlines():  # //user@server/share on /Volumes/share (smbfs, nodev, …)
            m = re.match(r".* on (.+) \(([^,)]+)", line)
            if m:
                out.append((m[1], m[2].strip()))
        return out
    try:
        text = Path("/proc/self/mountinfo").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return []
    for line in text.splitlines():  # 36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 - ext3 /dev/root rw
        left, _, right = line.partition(" - ")
        fields = left.split()
        if len(fields) >= 5 and right:
            out.append((_unescape_mount(fields[4]), right.split()[0]))
    return out


def _mount_of(path: str, mounts: list[tuple[str, str]]) -> tuple[str, str] | None:
    best: tuple[str, str] | None = None
    for point, fstype in mounts:
        inside = path == point or path.startswith(point.rstrip("/") + "/")
        if inside and (best is None or len(point) >= len(best[0])):
            best = (point, fstype)
    return best


def network_share(path: Path, *, platform: str | None = None) -> str | None:
    """What network location `path` is on (a Chinese description), or None for a local disk."""
    platform = platform or sys.platform
    if platform == "win32":
        text = str(path)
        if not PureWindowsPath(text).is_absolute() and not text.startswith(("\\\\", "//")):
            text = os.path.abspath(text)
        win = PureWindowsPath(text)
        if win.drive.startswith(("\\\\", "//")) and not win.drive.startswith(("\\\\?\\", "\\\\.\\")):
            return f"网络共享文件夹 {win.drive}"
        if win.drive.upper().startswith(("\\\\?\\UNC", "\\\\.\\UNC")):
            return "网络共享文件夹"
        letter = win.drive[-2:] if win.drive.endswith(":") else ""
        if letter and _windows_drive_type(letter + "\\") == DRIVE_REMOTE:
            return f"映射的网络驱动器 {letter.upper()}"
        return None
    absolute = os.path.realpath(os.path.abspath(path))
    found = _mount_of(absolute, _mounts(platform))
    if found and found[1].lower() in NETWORK_FILE_SYSTEMS:
        return f"网络文件系统 {found[1]}(挂载在 {found[0]})"
    return None


def network_refusal(path: Path, where: str) -> str:
    """Why a database file on a network location is not opened, and what to do instead."""
    return (f"数据库文件 {path} 位于{where}上,程序没有打开它。几台电脑通过共享文件夹同时打开同一个数据库文件,"
            "会损坏或丢失数据(SQLite 的写前日志只能由同一台电脑上的程序共用,网络文件系统的文件锁也不可靠)。"
            "几位秘书在多台电脑上共同使用时,请用服务器模式:由信息中心准备 PostgreSQL 数据库服务器,"
            "用 dutydesk server init 建库(已有的数据用 dutydesk --db 本机文件 copy-to 服务器地址 复制过去),"
            "各台电脑用 --db postgresql://用户名@服务器地址/数据库名 或“文件 → 连接服务器数据库…”打开。"
            "只在一台电脑上使用时,请把数据库文件放在本机磁盘上。")
