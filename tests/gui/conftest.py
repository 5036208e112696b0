"""GUI test set-up: settings in a temp dir, the main window, demo exports, a synthetic audit."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from PySide6.QtCore import QSettings, QThreadPool  # noqa: E402

PROJECT = Path(__file__).resolve().parents[2]
DEMO = PROJECT / "assets" / "demo"


@pytest.fixture(autouse=True)
def _settings_in_tmp(tmp_path):
    """QSettings (INI, user scope) writes go to this test's temp dir, never to the real home."""
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    yield
    QThreadPool.globalInstance().waitForDone(10_000)


@pytest.fixture
def window(qtbot):
    from app.window import MainWindow

    w = MainWindow()
    qtbot.addWidget(w)
    w.resize(1280, 800)
    w.show()
    yield w
    if w.worker is not None:
        w.worker.cancel()
    QThreadPool.globalInstance().waitForDone(10_000)


@pytest.fixture
def demo_paths() -> list[Path]:
    paths = sorted(DEMO.glob("synthetic-*.zip"))
    assert len(paths) == 3, "assets/demo should hold the three synthetic exports (run tools/make_demo.py)"
    return paths


@pytest.fixture
def synthetic():
    from frames import synthetic_audit

    return synthetic_audit(3000, seed=11)


def pytest_collection_modifyitems(items):
    """matplotlib's Qt toolbar reads a Qt attribute PySide6 marks deprecated: not ours to fix."""
    for item in items:
        if "tests/gui/" in str(item.fspath).replace("\\", "/"):
            item.add_marker(pytest.mark.filterwarnings(
                "ignore:Enum value 'Qt..ApplicationAttribute.AA_UseHighDpiPixmaps:DeprecationWarning"))
