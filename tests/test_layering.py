"""The layering contract (tests/layering.py): no import circles, no import from a layer above,
no textual or rich outside the CLI and the TUI. A copy of the package with a circle planted in
it shows that the check fails when it should."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import lfa_qual

TESTS = Path(__file__).parent
PACKAGE = Path(lfa_qual.__file__).parent


def check_in(root: Path) -> list[str]:
    """The violations of the package under `root`, found in a fresh interpreter."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(root), str(TESTS)])}
    probe = "import layering\nfor p in layering.violations(): print(p)"
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, env=env, cwd=root
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.splitlines()


def test_the_package_keeps_its_layers() -> None:
    assert check_in(PACKAGE.parent) == []


@pytest.fixture
def package_copy(tmp_path: Path) -> Path:
    shutil.copytree(PACKAGE, tmp_path / "lfa_qual", ignore=shutil.ignore_patterns("__pycache__"))
    return tmp_path


def plant(root: Path, module: str, line: str) -> None:
    path = root / "lfa_qual" / module
    path.write_text(path.read_text(encoding="utf-8") + f"\n{line}\n", encoding="utf-8")


def test_a_planted_circle_and_upward_import_are_reported(package_copy: Path) -> None:
    plant(package_copy, "store.py", "from lfa_qual.codings import Coding  # noqa")
    found = check_in(package_copy)
    assert any(p.startswith("import circle:") and "lfa_qual.store" in p for p in found), found
    assert any(
        "lfa_qual.store (layer 'storage and text utilities') imports lfa_qual.codings" in p
        for p in found
    ), found


def test_a_deferred_import_counts_too(package_copy: Path) -> None:
    plant(package_copy, "project.py", "def later():\n    from lfa_qual.cli import main  # noqa")
    found = check_in(package_copy)
    assert any("lfa_qual.project (layer 'domain') imports lfa_qual.cli" in p for p in found)


def test_textual_in_the_domain_and_an_unplaced_module_are_reported(package_copy: Path) -> None:
    plant(package_copy, "codings.py", "import textual  # noqa")
    (package_copy / "lfa_qual" / "newthing.py").write_text("X = 1\n", encoding="utf-8")
    found = check_in(package_copy)
    assert "lfa_qual.codings imports textual: only the CLI and the TUI may" in found
    assert "lfa_qual.newthing is in no layer: add it to tests/layering.py" in found
