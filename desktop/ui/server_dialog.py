"""文件 → 连接服务器数据库…: open the office's PostgreSQL database (server mode) in this window.

The connection (server, port, database, user, 加密连接) is remembered in settings.json so the next
start opens it again; the password never is. It is asked each time, or — when the user ticks
记住密码 — kept in the operating system's credential store through `keyring` (Windows Credential
Manager, the macOS keychain, the Secret Service on Linux). Where no such store exists the box is
disabled and says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop.core.errors import UserError
from desktop.store.location import ServerUrl
from desktop.ui.screen_fit import FittedDialog

KEYRING_SERVICE = "DutyDesk 值班报备台"
SSL_MODES = (("prefer", "优先加密(prefer)"), ("require", "必须加密(require)"),
             ("verify-full", "加密并核验服务器证书(verify-full)"), ("disable", "不加密(disable,仅限内网)"))


@dataclass(frozen=True)
class Connection:
    host: str
    port: int = 5432
    database: str = "dutydesk"
    user: str = ""
    sslmode: str = "prefer"

    @property
    def key(self) -> str:
        """The name the password is kept under in the credential store."""
        return f"{self.user}@{self.host}:{self.port}/{self.database}"

    def url(self, password: str | None = None) -> ServerUrl:
        who = quote(self.user, safe="")
        if password:
            who += ":" + quote(password, safe="")
        host = f"[{self.host}]" if ":" in self.host else self.host
        return ServerUrl(f"postgresql://{who}@{host}:{self.port}/{quote(self.database, safe='')}?sslmode={self.sslmode}")

    def as_settings(self) -> dict:
        return {"host": self.host, "port": self.port, "database": self.database, "user": self.user,
                "sslmode": self.sslmode}

    @classmethod
    def from_settings(cls, raw: dict) -> Connection | None:
        try:
            conn = cls(str(raw["host"]), int(raw.get("port", 5432)), str(raw.get("database", "dutydesk")),
                       str(raw.get("user", "")), str(raw.get("sslmode", "prefer")))
        except (KeyError, TypeError, ValueError):
            return None
        if not conn.host or conn.sslmode not in dict(SSL_MODES):
            return None
        return conn


def _keyring():
    """The credential store, or None where the system has none (a bare Linux server, CI)."""
    try:
        import keyring
        from keyring.backends import fail

        backend = keyring.get_keyring()
        if isinstance(backend, fail.Keyring) or getattr(backend, "priority", 1) <= 0:
            return None
        return keyring
    except Exception:  # no keyring module, a broken backend: ask for the password instead
        return None


def kept_password(conn: Connection) -> str | None:
    store = _keyring()
    if store is None:
        return None
    try:
        return store.get_password(KEYRING_SERVICE, conn.key)
    except Exception:
        return None


def keep_password(conn: Connection, password: str | None) -> bool:
    """Keep (or, with None, forget) the password in the credential store; False where there is none."""
    store = _keyring()
    if store is None:
        return False
    try:
        if password is None:
            store.delete_password(KEYRING_SERVICE, conn.key)
        else:
            store.set_password(KEYRING_SERVICE, conn.key, password)
    except Exception:
        return False
    return True


class ConnectServerDialog(FittedDialog):
    """Where the server database is, and the database account's password."""

    def __init__(self, saved: Connection | None = None, parent: QWidget | None = None, *, problem: str = ""):
        super().__init__(parent)
        self.setWindowTitle("连接服务器数据库")
        saved = saved or Connection("")
        self.host = QLineEdit(saved.host)
        self.host.setPlaceholderText("例如:10.12.3.4 或 db.zfb.gov.cn")
        self.port = QSpinBox()
        self.port.setRange(1, 65535)
        self.port.setValue(saved.port)
        self.database = QLineEdit(saved.database)
        self.user = QLineEdit(saved.user)
        self.user.setPlaceholderText("数据库账户(由信息中心分配)")
        self.sslmode = QComboBox()
        for value, label in SSL_MODES:
            self.sslmode.addItem(label, value)
        self.sslmode.setCurrentIndex(max(self.sslmode.findData(saved.sslmode), 0))
        self.password = QLineEdit(kept_password(saved) or "" if saved.host else "")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.remember = QCheckBox("在本机记住密码(保存在系统的凭据管理器中,不写入设置文件)")
        if _keyring() is None:
            self.remember.setEnabled(False)
            self.remember.setText("记住密码:本机没有可用的系统凭据管理器,每次连接时输入密码")
        else:
            self.remember.setChecked(bool(self.password.text()))
        form = QFormLayout()
        form.addRow("服务器地址 *", self.host)
        form.addRow("端口", self.port)
        form.addRow("数据库名 *", self.database)
        form.addRow("数据库账户 *", self.user)
        form.addRow("密码", self.password)
        form.addRow("", self.remember)
        form.addRow("加密连接", self.sslmode)
        intro = QLabel("几位秘书在多台电脑上共同使用时,数据放在办公室的 PostgreSQL 数据库服务器上(由信息中心准备,"
                       "并用 dutydesk server init 建库)。连接后还要以本程序的操作员账户登录。")
        intro.setWordWrap(True)
        self.result = QLabel(problem)
        self.result.setWordWrap(True)
        self.result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.test_button = QPushButton("测试连接")
        self.test_button.clicked.connect(self.test_connection)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("连接")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.addButton(self.test_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.result)
        layout.addWidget(buttons)
        self.resize(560, self.sizeHint().height())

    def connection(self) -> Connection:
        return Connection(self.host.text().strip(), self.port.value(), self.database.text().strip(),
                          self.user.text().strip(), self.sslmode.currentData())

    def _missing(self) -> str:
        c = self.connection()
        missing = [label for label, value in (("服务器地址", c.host), ("数据库名", c.database), ("数据库账户", c.user))
                   if not value]
        return f"请填写{'、'.join(missing)}。" if missing else ""

    def test_connection(self) -> bool:
        """Connect and look for a DutyDesk database there; the answer in the dialog."""
        from desktop.store import server, server_schema

        missing = self._missing()
        if missing:
            self.result.setText(missing)
            return False
        url = self.connection().url(self.password.text() or None)
        try:
            conn = server.connect_server(url)
        except UserError as exc:
            self.result.setText(str(exc))
            return False
        try:
            found = server_schema.version(conn)
        finally:
            conn.close()
        if found is None:
            self.result.setText(f"连接成功,但 {self.connection().database} 里还没有 DutyDesk 的数据:请先运行 "
                                "dutydesk server init 建库,或用 copy-to 把本机数据复制过去。")
            return False
        self.result.setText("连接成功,数据库已就绪。")
        return True

    def _accept(self) -> None:
        missing = self._missing()
        if missing:
            self.result.setText(missing)
            return
        self.accept()

    def chosen(self) -> tuple[Connection, str]:
        return self.connection(), self.password.text()


def ask_and_open(parent: QWidget | None, clock, saved: Connection | None = None, problem: str = ""):
    """Ask where the server is and open it: (store, connection), or None when the user cancelled.
    A connection that fails shows why and asks again."""
    from desktop.store.opening import open_store

    while True:
        dialog = ConnectServerDialog(saved, parent, problem=problem)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        conn, password = dialog.chosen()
        try:
            store = open_store(conn.url(password or None), clock)
        except UserError as exc:
            saved, problem = conn, str(exc)
            continue
        if dialog.remember.isEnabled():
            keep_password(conn, password if dialog.remember.isChecked() and password else None)
        return store, conn


def connect_in_window(window) -> bool:
    """文件 → 连接服务器数据库…: open the server database in this window (the remembered one
    proposed); the next start opens it again."""
    old = window.session
    saved = Connection.from_settings(window.settings.server) if window.settings.server else None
    opened = ask_and_open(window, old.store.clock, saved)
    if opened is None:
        return False
    store, conn = opened
    return _switch(window, store, {**conn.as_settings(), "auto": True})


def use_local_in_window(window) -> bool:
    """文件 → 改用本机数据库: back to this PC's database file; the next start opens it too."""
    from desktop.paths import default_db_path
    from desktop.store.opening import open_store
    from desktop.ui.session import show_error

    old = window.session
    try:
        store = open_store(default_db_path(), old.store.clock)
    except UserError as exc:
        show_error(window, str(exc))
        return False
    return _switch(window, store, {**window.settings.server, "auto": False} if window.settings.server else {})


def _switch(window, store, server_settings: dict) -> bool:
    """Sign in to `store` and show it in the window instead of the open database (closed then)."""
    from desktop.ui.backup_dialogs import reattach
    from desktop.ui.session import Session
    from desktop.ui.signin import sign_in_at_start

    old = window.session
    if not sign_in_at_start(store, window):
        store.close()
        return False
    window.settings.server = server_settings
    window.remember()
    reattach(window, Session(store))
    old.close()
    old.deleteLater()
    return True
