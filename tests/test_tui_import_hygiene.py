"""The domain never imports textual or rich: only `lfa_qual.tui` and `lfa_qual.cli` may."""

from __future__ import annotations

import ast
import importlib.util
import pkgutil
import subprocess
import sys
from pathlib import Path

import lfa_qual

# Runs in a fresh interpreter. A finder on sys.meta_path sees every first import of `textual`
# or `rich` and records which module asked for it: a third-party library (spaCy's CLI pulls in
# rich) is allowed, an lfa_qual domain module is not.
PROBE = r"""
import importlib, sys

UI = ("textual", "rich")
offenders = []

class Watch:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in UI:
            frame = sys._getframe(1)
            while frame is not None:
                module = frame.f_globals.get("__name__", "")
                if not module.startswith(("importlib", "_frozen_importlib")) and module != __name__:
                    break
                frame = frame.f_back
            if module.startswith("lfa_qual") and not module.startswith(("lfa_qual.tui", "lfa_qual.cli")):
                offenders.append(f"{module} imports {name}")
        return None

sys.meta_path.insert(0, Watch())
for name in sys.argv[1:]:
    importlib.import_module(name)
print("\n".join(offenders))
print("TEXTUAL" if "textual" in sys.modules else "")
"""


def domain_modules() -> list[str]:
    root = Path(lfa_qual.__file__).parent
    names = []
    for info in pkgutil.walk_packages([str(root)], prefix="lfa_qual."):
        if info.name.startswith(("lfa_qual.tui", "lfa_qual.cli")) or info.name.endswith("__main__"):
            continue
        names.append(info.name)
    return sorted(names)


def test_domain_modules_never_import_textual_or_rich() -> None:
    modules = domain_modules()
    assert "lfa_qual.history" in modules and "lfa_qual.codings" in modules
    out = subprocess.run(
        [sys.executable, "-c", PROBE, *modules], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "", out


def test_no_domain_source_file_names_textual_or_rich() -> None:
    # The runtime probe sees only the first import of rich (spaCy may come first); the source
    # check sees every import statement, including ones inside functions.
    found = []
    for name in domain_modules():
        path = importlib.util.find_spec(name).origin
        tree = ast.parse(Path(path).read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            found += [f"{name}: {n}" for n in names if n.split(".")[0] in ("textual", "rich")]
    assert found == []


def test_the_probe_catches_an_offender(tmp_path: Path) -> None:
    # The probe itself must be able to fail: a fake domain module that imports rich.
    pkg = tmp_path / "lfa_qual_fake"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (tmp_path / "lfa_qual_bad.py").write_text("import rich.text\n")
    out = subprocess.run(
        [sys.executable, "-c", PROBE, "lfa_qual_bad"],
        capture_output=True,
        text=True,
        check=True,
        cwd=tmp_path,
        env={"PYTHONPATH": str(tmp_path)},
    ).stdout
    assert "lfa_qual_bad imports rich" in out
