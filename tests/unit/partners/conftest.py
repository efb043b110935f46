"""A home with the demo partners installed, and a helper that runs the real CLI in-process."""

from __future__ import annotations

from pathlib import Path

import pytest

from gateway.partners.setup import install_demo_partners


@pytest.fixture
def home(tmp_path: Path) -> Path:
    home = tmp_path / "home"
    home.mkdir()
    install_demo_partners(home)
    return home


@pytest.fixture
def run(capsys):
    """run(*args) -> (exit code, stdout, stderr) through gateway.cli.main.main."""
    from gateway.cli.main import main

    def _run(*args: str) -> tuple[int, str, str]:
        code = main([str(a) for a in args])
        out = capsys.readouterr()
        return code, out.out, out.err

    return _run
