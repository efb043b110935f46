"""`ordergate demo --home DIR` (the README's main command): a fresh home is initialised, sample
850s are dropped and one pass runs; a second run places new orders rather than duplicates."""
from __future__ import annotations

import json
from pathlib import Path

from gateway.cli.main import main
from tests.e2e.conftest import _need_parts


def _demo(home: Path, capsys) -> dict:
    capsys.readouterr()
    assert main(["demo", "--home", str(home), "--json"]) == 0
    out = capsys.readouterr().out
    return json.loads(out[out.index("{"):])   # `init` may print before the JSON


def test_demo_twice(tmp_path: Path, capsys):
    _need_parts()
    home = tmp_path / "demo"
    first = _demo(home, capsys)
    assert len(first["dropped"]) == 3 and len(first["orders"]) == 3
    out_types = sorted({d["doc_type"] for d in first["documents"] if d["direction"] == "out"})
    assert {"997", "855"} <= set(out_types)
    assert all(d["status"] == "sent" for d in first["documents"] if d["direction"] == "out")
    files = {f["name"] for f in first["outbound_files"]}
    assert any("_997_" in n for n in files) and any("_855_" in n for n in files)
    second = _demo(home, capsys)
    assert len(second["orders"]) == 6
    assert second["pass"]["files_processed"] == {"applied": 3}
