"""The domain never imports the UI: each headless module is imported in a fresh interpreter."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import lfa_qual

UI_PACKAGES = ("lfa_qual.tui", "lfa_qual.cli")


def domain_modules() -> list[str]:
    names = []
    for info in pkgutil.walk_packages(lfa_qual.__path__, "lfa_qual."):
        if not info.name.startswith(UI_PACKAGES) and info.name != "lfa_qual.__main__":
            names.append(info.name)
    return sorted(names)


def test_domain_modules_do_not_import_textual_or_rich():
    modules = domain_modules()
    assert "lfa_qual.store" in modules and "lfa_qual.project" in modules
    script = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "    Project = getattr(sys.modules[name], 'Project', None)\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich'))\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "", f"UI modules imported by the domain: {result.stdout}"
