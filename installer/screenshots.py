"""Screenshots of the desktop app on the sample project, in the light and the dark theme.

    xvfb-run -a .venv/bin/python installer/screenshots.py --out screenshots/
    QT_QPA_PLATFORM=offscreen .venv/bin/python installer/screenshots.py --out screenshots/

The sample project is built on first use (or reused) at $SKEIN_SAMPLE_PROJECT, else in
the user's data folder. The app's settings go to a temporary file, never the user's.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run from a checkout without installing
    sys.path.insert(0, str(ROOT))


def _progress(step: object) -> None:
    done, total, message = (getattr(step, k) for k in ("done", "total", "message"))
    print(f"  sample project: {done}/{total} {message}", file=sys.stderr)


def _pump(seconds: float) -> None:
    from PySide6.QtWidgets import QApplication

    end = time.monotonic() + seconds
    while time.monotonic() < end:
        QApplication.processEvents()
        time.sleep(0.02)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", required=True, type=Path, help="folder for the PNG files")
    parser.add_argument("--project", type=Path, help="a project to show (default: the sample)")
    parser.add_argument("--size", default="1440x900", help="window size, WIDTHxHEIGHT")
    args = parser.parse_args(argv)
    width, height = (int(v) for v in args.size.lower().split("x"))

    if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    settings_dir = tempfile.TemporaryDirectory(prefix="skein-shots-")
    os.environ["SKEIN_SETTINGS"] = str(Path(settings_dir.name) / "settings.ini")

    from nlp.progress import run

    if args.project is None:
        from desktop.sample import ensure_sample_project

        project = run(ensure_sample_project(), _progress)
    else:
        project = args.project

    from desktop.qt import theme
    from desktop.qt.app import ensure_app, make_window

    ensure_app()
    window = make_window(project)
    window.resize(width, height)
    window.show()
    _pump(0.5)
    state = window.state
    if state.mentions:  # show a clicked mention, as a user would see it
        state.focus_mention(min(len(state.mentions) - 1, len(state.mentions) // 3))
    args.out.mkdir(parents=True, exist_ok=True)
    written = []
    for name in (theme.LIGHT, theme.DARK):
        window.set_theme(name, save=False)
        _pump(0.4)
        target = args.out / f"skein-{name}.png"
        if not window.grab().save(str(target)):
            print(f"could not write {target}", file=sys.stderr)
            return 1
        written.append(target)
    selected = state.selected.title if state.selected else "nothing"
    window.close()
    settings_dir.cleanup()
    for path in written:
        print(f"wrote {path} ({selected}, {len(state.mentions)} mentions)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
