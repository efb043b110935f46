"""Fixtures: a real home and core per test (see world.py)."""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.integration.reconcile.world import World, make_world


@pytest.fixture
def world(tmp_path: Path) -> World:
    w = make_world(tmp_path)
    yield w
    w.core.close()
