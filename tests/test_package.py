"""The package ships what it needs: every template and static file is in the wheel's data."""

from __future__ import annotations

import fnmatch
import sys

from .sites import REPO

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib


def test_every_template_and_static_file_is_declared_as_package_data():
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    data = config["package-data"]
    folders = {
        "croissant_embed.templates": REPO / config["package-dir"]["croissant_embed.templates"],
        "croissant_embed.sandbox": REPO / "croissant_embed" / "sandbox",
    }
    shipped = {
        "croissant_embed.templates": sorted(p for p in folders["croissant_embed.templates"].iterdir() if p.is_file()),
        "croissant_embed.sandbox": sorted((folders["croissant_embed.sandbox"] / "static").iterdir()),
    }
    assert len(shipped["croissant_embed.templates"]) >= 5
    for package, files in shipped.items():
        for path in files:
            relative = path.relative_to(folders[package]).as_posix()
            assert any(fnmatch.fnmatch(relative, pattern) for pattern in data[package]), f"{relative} is not shipped in {package}"
    assert "croissant_embed.templates" in config["packages"]
