"""PySide6 6.12.0 on Python 3.11 returns borrowed None/True and aborts after a few thousand
calls; pyproject.toml keeps it out. This guards against it coming back."""

from __future__ import annotations

import subprocess
import sys

SCRIPT = """
import desktop.qt
from PySide6.QtCore import QObject, Signal

class Probe(QObject):
    ping = Signal(int)

probe = Probe()
for i in range(50_000):  # far more than a fresh interpreter's references to None/True
    probe.setObjectName("x")
    probe.ping.emit(i)
print("ok")
"""


def test_many_qt_calls_do_not_exhaust_none_or_true() -> None:
    out = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True,
                         timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip() == "ok"
