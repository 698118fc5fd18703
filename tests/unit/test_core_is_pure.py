"""The core never imports Textual: it can be used (and tested) without a terminal."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import cramp_coach.core

CORE = Path(cramp_coach.core.__file__).parent


def test_core_modules_import_no_textual():
    modules = sorted(f"cramp_coach.core.{p.stem}" for p in CORE.glob("*.py") if p.stem != "__init__")
    code = (
        "import sys\n"
        + "".join(f"import {m}\n" for m in modules)
        + "import cramp_coach.cli\n"
        + "bad = [m for m in sys.modules if m == 'textual' or m.startswith('textual.')]\n"
        + "print(','.join(bad))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "", f"textual imported by core: {result.stdout}"


def test_every_module_has_a_docstring():
    package = CORE.parent
    for path in package.rglob("*.py"):
        source = path.read_text(encoding="utf-8").lstrip()
        assert source.startswith('"""'), f"{path} has no module docstring"
