"""The wheel carries the assets, so a plain `pip install .` finds them."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_wheel_contains_the_assets(tmp_path):
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(tmp_path), str(ROOT)],
        check=True,
        capture_output=True,
    )
    wheel = next(tmp_path.glob("cramp_coach-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    shipped = {p.relative_to(ROOT).as_posix() for p in (ROOT / "assets").rglob("*") if p.is_file()}
    assert shipped, "no assets in the source tree"
    for asset in shipped:
        assert f"cramp_coach/{asset}" in names, f"{asset} is not in the wheel"
    assert "cramp_coach/screens/relief.tcss" in names


def test_installed_wheel_finds_its_assets(tmp_path):
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(tmp_path / "dist"), str(ROOT)],
        check=True,
        capture_output=True,
    )
    wheel = next((tmp_path / "dist").glob("cramp_coach-*.whl"))
    target = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(target)
    code = "from cramp_coach.core.paths import assets_dir; print(assets_dir())"
    result = subprocess.run([sys.executable, "-I", "-c", f"import sys; sys.path.insert(0, {str(target)!r}); {code}"],
                            capture_output=True, text=True, check=True, cwd=tmp_path)
    assert result.stdout.strip() == str(target / "cramp_coach" / "assets")
