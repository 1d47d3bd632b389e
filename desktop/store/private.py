"""Files only their user can read: `make_private(path)`, the one place that says how, on POSIX and Windows.

Where leaders are, who stands in for whom and the audit key are not for the other accounts of a
shared PC. Everything DutyDesk creates for itself goes through here: the database file (and its
-wal/-shm on Windows), the backups folder and each backup, their anchor sidecars, the anchor file
and the clean-close record beside the database, the audit key file and its folder, settings.json
and every exported file (desktop.export.duty_xlsx.save_atomically, the one way an export is written).

- POSIX: mode 0600 for a file, 0700 for a folder (files are also created so, ``os.open(..., 0o600)``:
  no moment when another account could open them).
- Windows: a protected DACL (inheritance from the folder switched off) that grants full control to
  the current user, to SYSTEM and to the Administrators group — what Windows gives the user's own
  profile folder (``%LOCALAPPDATA%``): backup and antivirus services run as SYSTEM, and an
  administrator can take any file anyway (README “文件权限”). Set with advapi32 through ctypes (no
  new dependency, nothing for PyInstaller to bundle): the user's SID from the process token
  (``GetTokenInformation(TokenUser)``, ``ConvertSidToStringSidW``), the SDDL
  ``D:P(A;;FA;;;<user>)(A;;FA;;;SY)(A;;FA;;;BA)`` (``OICI`` on a folder, so what is created in it
  inherits the same) made a security descriptor (``ConvertStringSecurityDescriptorToSecurityDescriptorW``)
  whose DACL ``SetNamedSecurityInfoW`` sets, ``PROTECTED_DACL_SECURITY_INFORMATION`` included.

A permission that cannot be set (a FAT32 USB stick, a network drive, a file system that refuses
chmod) never stops a save: the file is written as usual and the first such failure of the process
is kept as a Chinese `notice()` that the command line prints once and the window shows once.
"""

from __future__ import annotations

import ctypes
import os
import sys
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

FILE_MODE = 0o600
FOLDER_MODE = 0o700

#: Besides the user: SYSTEM and the Administrators group (SDDL aliases), as on the user's profile folder.
ALSO_GRANTED = ("SY", "BA")

# Windows constants (winnt.h, accctrl.h, sddl.h)
SE_FILE_OBJECT = 1
DACL_SECURITY_INFORMATION = 0x00000004
PROTECTED_DACL_SECURITY_INFORMATION = 0x80000000
SDDL_REVISION_1 = 1
TOKEN_QUERY = 0x0008
TOKEN_USER = 1  # the TOKEN_INFORMATION_CLASS value
#: Windows errors a file system without permissions answers (FAT32 and exFAT USB sticks, some network
#: drives): ERROR_INVALID_FUNCTION, ERROR_NOT_SUPPORTED, ERROR_INVALID_PARAMETER.
NOT_SUPPORTED = frozenset({1, 50, 87})


def sddl(user_sid: str, *, folder: bool) -> str:
    """The protected DACL for a file or a folder of ``user_sid`` (``S-1-5-21-…``)."""
    inherit = "OICI" if folder else ""
    return "D:P" + "".join(f"(A;{inherit};FA;;;{sid})" for sid in (user_sid, *ALSO_GRANTED))


def windows() -> bool:
    """Whether the Windows branch runs (a function, so the tests on Linux can take that branch with fakes)."""
    return sys.platform == "win32"


_lock = threading.Lock()
_notice: str | None = None
_user_sid: str | None = None


def notice() -> str | None:
    """The first permission that could not be set in this process, in Chinese, or None."""
    return _notice


def reset() -> None:
    """Forget the notice and the cached user SID (tests)."""
    global _notice, _user_sid
    with _lock:
        _notice = None
        _user_sid = None


def make_private(path: Path | str) -> bool:
    """Make the file or folder at ``path`` readable (and writable) by the current user only.

    Returns whether that worked. A failure writes nothing and raises nothing: it is kept as
    `notice()` (the first one only) and the file stays as it is."""
    path = Path(path)
    try:
        folder = path.is_dir()
        if not folder and not path.exists():
            return False  # nothing to protect (an optional -wal that is not there): no notice
        if windows():
            _set_dacl(_api(), path, sddl(_current_user_sid(), folder=folder))
        else:
            os.chmod(path, FOLDER_MODE if folder else FILE_MODE)
    except FileNotFoundError:  # gone in the meantime
        return False
    except (OSError, ValueError, AttributeError) as exc:  # AttributeError: no advapi32 functions
        _remember(path, exc)
        return False
    return True


def open_private(path: Path | str, flags: int) -> int:
    """``os.open(path, flags | O_CREAT, 0o600)``, then `make_private`: the descriptor of a file only
    the user can read, made so before anything is written into it. OSError as os.open raises it."""
    fd = os.open(path, flags | os.O_CREAT, FILE_MODE)
    make_private(path)
    return fd


def private_folder(path: Path | str) -> Path:
    """``path`` made (parents too) if missing; a folder this call made is the user's only (an existing
    one, perhaps the user's own, keeps its permissions). OSError as mkdir raises it."""
    path = Path(path)
    existed = path.is_dir()
    path.mkdir(mode=FOLDER_MODE, parents=True, exist_ok=True)
    if not existed:
        make_private(path)
    return path


def _remember(path: Path, exc: BaseException) -> None:
    global _notice
    code = exc.winerror if isinstance(getattr(exc, "winerror", None), int) else getattr(exc, "errno", None)
    if windows() and code in NOT_SUPPORTED:
        reason = "该磁盘不支持文件权限,例如 FAT32 U 盘或网络驱动器"
    else:
        reason = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
    disk = "本机 NTFS 磁盘" if windows() else "本机磁盘"
    shown = f"{path.parent} 中的文件" if path.name.startswith(".") else f"{path} "  # not a temporary name
    text = (f"无法把 {shown}设为仅当前用户可以读取({reason}),文件已照常保存,但这台电脑上的其他用户可能读得到。"
            f"请把数据库、备份和导出文件放在{disk}上您自己的文件夹中(例如“文档”),不要放在 U 盘或网络驱动器上。")
    with _lock:
        if _notice is None:
            _notice = text


# --------------------------------------------------------------------------------------------
# Windows: advapi32 through ctypes
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Api:
    """The two system libraries and the thread's last error (fakes stand in for them on Linux)."""

    advapi32: Any
    kernel32: Any
    last_error: Any  # () -> int


_loaded: Api | None = None


def _api() -> Api:
    """advapi32 and kernel32 with the C signatures of the functions used (loaded once, Windows only)."""
    global _loaded
    if _loaded is None:
        from ctypes import wintypes

        advapi32 = ctypes.WinDLL("advapi32", use_last_error=True)  # type: ignore[attr-defined]
        kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)  # type: ignore[attr-defined]
        handle, dword, boolean = wintypes.HANDLE, wintypes.DWORD, wintypes.BOOL
        pointer = ctypes.c_void_p
        kernel32.GetCurrentProcess.argtypes, kernel32.GetCurrentProcess.restype = [], handle
        kernel32.CloseHandle.argtypes, kernel32.CloseHandle.restype = [handle], boolean
        kernel32.LocalFree.argtypes, kernel32.LocalFree.restype = [pointer], pointer
        advapi32.OpenProcessToken.argtypes = [handle, dword, ctypes.POINTER(handle)]
        advapi32.OpenProcessToken.restype = boolean
        advapi32.GetTokenInformation.argtypes = [handle, ctypes.c_int, pointer, dword, ctypes.POINTER(dword)]
        advapi32.GetTokenInformation.restype = boolean
        advapi32.ConvertSidToStringSidW.argtypes = [pointer, ctypes.POINTER(wintypes.LPWSTR)]
        advapi32.ConvertSidToStringSidW.restype = boolean
        advapi32.ConvertStringSecurityDescriptorToSecurityDescriptorW.argtypes = [
            wintypes.LPCWSTR, dword, ctypes.POINTER(pointer), ctypes.POINTER(dword)]
        advapi32.ConvertStringSecurityDescriptorToSecurityDescriptorW.restype = boolean
        advapi32.GetSecurityDescriptorDacl.argtypes = [pointer, ctypes.POINTER(boolean), ctypes.POINTER(pointer),
                                                       ctypes.POINTER(boolean)]  # fmt: skip
        advapi32.GetSecurityDescriptorDacl.restype = boolean
        advapi32.SetNamedSecurityInfoW.argtypes = [wintypes.LPWSTR, ctypes.c_int, dword, pointer, pointer, pointer,
                                                   pointer]  # fmt: skip
        advapi32.SetNamedSecurityInfoW.restype = dword
        _loaded = Api(advapi32, kernel32, ctypes.get_last_error)  # type: ignore[attr-defined]
    return _loaded


def _windows_error(code: int, what: str) -> OSError:
    kind = FileNotFoundError if code in (2, 3) else OSError  # ERROR_FILE_NOT_FOUND, ERROR_PATH_NOT_FOUND
    error = kind(None, f"{what} 失败,Windows 错误 {code}")
    error.winerror = code  # type: ignore[attr-defined]  (on Linux, where the tests fake the calls, too)
    return error


def _failed(api: Api, what: str) -> OSError:
    return _windows_error(api.last_error(), what)


def _current_user_sid() -> str:
    """The SID of the account this process runs as, as text (cached: it never changes)."""
    global _user_sid
    if _user_sid is None:
        _user_sid = _read_user_sid(_api())
    return _user_sid


def _read_user_sid(api: Api) -> str:
    from ctypes import wintypes

    token = wintypes.HANDLE()
    if not api.advapi32.OpenProcessToken(api.kernel32.GetCurrentProcess(), TOKEN_QUERY, ctypes.byref(token)):
        raise _failed(api, "OpenProcessToken")
    try:
        size = wintypes.DWORD(0)
        api.advapi32.GetTokenInformation(token, TOKEN_USER, None, 0, ctypes.byref(size))  # asks for the size
        if not size.value:
            raise _failed(api, "GetTokenInformation")
        buffer = ctypes.create_string_buffer(size.value)
        if not api.advapi32.GetTokenInformation(token, TOKEN_USER, buffer, size, ctypes.byref(size)):
            raise _failed(api, "GetTokenInformation")
        sid = ctypes.cast(buffer, ctypes.POINTER(ctypes.c_void_p))[0]  # TOKEN_USER.User.Sid, its first field
        text = wintypes.LPWSTR()
        if not api.advapi32.ConvertSidToStringSidW(ctypes.c_void_p(sid), ctypes.byref(text)):
            raise _failed(api, "ConvertSidToStringSidW")
        try:
            value = text.value
        finally:
            api.kernel32.LocalFree(text)
        if not value:
            raise OSError(None, "ConvertSidToStringSidW 没有给出用户标识")
        return value
    finally:
        api.kernel32.CloseHandle(token)


def _set_dacl(api: Api, path: Path, descriptor: str) -> None:
    from ctypes import wintypes

    sd = ctypes.c_void_p()
    if not api.advapi32.ConvertStringSecurityDescriptorToSecurityDescriptorW(descriptor, SDDL_REVISION_1,
                                                                            ctypes.byref(sd), None):  # fmt: skip
        raise _failed(api, "ConvertStringSecurityDescriptorToSecurityDescriptorW")
    try:
        present, defaulted, dacl = wintypes.BOOL(), wintypes.BOOL(), ctypes.c_void_p()
        if not api.advapi32.GetSecurityDescriptorDacl(sd, ctypes.byref(present), ctypes.byref(dacl),
                                                      ctypes.byref(defaulted)):  # fmt: skip
            raise _failed(api, "GetSecurityDescriptorDacl")
        code = api.advapi32.SetNamedSecurityInfoW(str(path), SE_FILE_OBJECT,
                                                  DACL_SECURITY_INFORMATION | PROTECTED_DACL_SECURITY_INFORMATION,
                                                  None, None, dacl, None)  # fmt: skip
        if code:  # this one returns the error instead of setting the last error
            raise _windows_error(code, "SetNamedSecurityInfoW")
    finally:
        api.kernel32.LocalFree(sd)
