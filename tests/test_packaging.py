"""What `pip install .` ships: every code package and every data file."""

from __future__ import annotations

import pytest
from conftest import ROOT


def _config() -> dict:
    tomllib = pytest.importorskip("tomllib", reason="tomllib needs Python 3.11")
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]


def test_every_code_package_is_listed() -> None:
    found = {
        ".".join(path.parent.relative_to(ROOT).parts)
        for path in (ROOT / "deliverables").rglob("__init__.py")
        if "__pycache__" not in path.parts
    }
    assert found <= set(_config()["packages"])


def test_templates_and_architectures_ship_as_package_data() -> None:
    config = _config()
    assert config["package-dir"]["deliverables.templates"] == "templates"
    assert config["package-dir"]["deliverables.architectures"] == "architectures"
    assert config["package-data"]["deliverables.templates"] == ["**/*"]
    assert config["package-data"]["deliverables.architectures"] == ["*.yaml"]
