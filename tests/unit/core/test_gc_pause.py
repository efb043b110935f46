"""The cyclic collector paused around batch work, restored as it was."""
from __future__ import annotations

import gc

import pytest

from core.services.gc_pause import paused_cyclic_gc


def test_paused_then_restored_even_when_nested_or_failing() -> None:
    was = gc.isenabled()
    gc.enable()
    try:
        with paused_cyclic_gc():
            assert not gc.isenabled()
            with paused_cyclic_gc():            # an inner batch leaves the outer one's pause
                assert not gc.isenabled()
            assert not gc.isenabled()
        assert gc.isenabled()
        with pytest.raises(RuntimeError), paused_cyclic_gc():
            raise RuntimeError("a batch that fails")
        assert gc.isenabled()
        gc.disable()                             # off before: stays off
        with paused_cyclic_gc():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable() if was else gc.disable()
