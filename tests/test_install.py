"""A non-editable install, run from another folder, still finds its clauses and templates."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

from conftest import EXAMPLES, ROOT


def test_wheel_carries_the_library_and_builds_from_elsewhere(tmp_path: Path) -> None:
    wheels = tmp_path / "wheels"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "--wheel-dir",
            str(wheels),
            str(ROOT),
        ],
        check=True,
    )
    (wheel,) = wheels.glob("clausier-*.whl")
    site = tmp_path / "site"
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        assert "generator/_data/templates/dpa.docx" in names
        assert "generator/_data/clauses/dpa/_document.yaml" in names
        assert "generator/_data/clauses/labels.yaml" in names
        archive.extractall(site)

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {**os.environ, "PYTHONPATH": str(site)}
    result = subprocess.run(
        [sys.executable, "-m", "generator", "build", str(EXAMPLES[0]), "--out", "out"],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert list((elsewhere / "out").glob("*.docx"))
    check = subprocess.run(
        [sys.executable, "-c", "import generator.resources as r; print(r.data_dir('clauses'))"],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert check.stdout.strip().startswith(str(site))
