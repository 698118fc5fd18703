"""The wheel carries the assets (and the phone page), so a plain `pip install .` finds them."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """The project built once as a wheel."""
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(out), str(ROOT)],
        check=True,
        capture_output=True,
    )
    return next(out.glob("cramp_coach-*.whl"))


def test_wheel_contains_the_assets(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    shipped = {p.relative_to(ROOT).as_posix() for p in (ROOT / "assets").rglob("*") if p.is_file()}
    assert shipped, "no assets in the source tree"
    for asset in shipped:
        assert f"cramp_coach/{asset}" in names, f"{asset} is not in the wheel"
    assert "cramp_coach/screens/relief.tcss" in names
    for page in ("templates/page.html", "templates/message.html", "static/page.js", "static/page.css"):
        assert f"cramp_coach/serve/{page}" in names, f"the phone page's {page} is not in the wheel"


def test_installed_wheel_finds_its_assets(wheel, tmp_path):
    target = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(target)
    code = "from cramp_coach.core.paths import assets_dir; print(assets_dir())"
    result = subprocess.run([sys.executable, "-I", "-c", f"import sys; sys.path.insert(0, {str(target)!r}); {code}"],
                            capture_output=True, text=True, check=True, cwd=tmp_path)
    assert result.stdout.strip() == str(target / "cramp_coach" / "assets")
