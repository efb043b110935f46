"""`ordergate x12 check|ack|show`: exit codes, JSON contract, acks on stdout, never a traceback."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from gateway.cli.main import main
from gateway.x12.reader import TransactionBlock, read_events

from tests.unit.x12.builders import interchange


def run(capsys: pytest.CaptureFixture, *argv: str) -> tuple[int, str, str]:
    code = main(["x12", *argv])
    out, err = capsys.readouterr()
    assert "Traceback" not in err and "internal error" not in err, err
    return code, out, err


@pytest.fixture()
def files(tmp_path: Path) -> dict[str, Path]:
    made = {"good": interchange(2), "bad_count": interchange(2).replace(b"SE*16*0001", b"SE*9*0001"),
            "junk": b"\x00\x01 not edi \xff", "no_iea": interchange(1)[:-18]}
    paths = {}
    for name, data in made.items():
        paths[name] = tmp_path / f"{name}.x12"
        paths[name].write_bytes(data)
    return paths


def test_check_exit_codes(capsys, files) -> None:
    assert run(capsys, "check", "--envelope-only", str(files["good"]))[0] == 0
    assert run(capsys, "check", "--envelope-only", str(files["bad_count"]))[0] == 1
    assert run(capsys, "check", str(files["junk"]))[0] == 1
    assert run(capsys, "check", "--envelope-only", str(files["good"]), str(files["no_iea"]))[0] == 1
    code, _, err = run(capsys, "check", str(files["good"]), "/no/such/file.x12")
    assert code == 2 and "no such file" in err and "hint:" in err
    assert run(capsys, "check", str(files["good"].parent))[0] == 2
    assert main(["x12", "check"]) == 2   # usage: no file given
    capsys.readouterr()


def test_check_text_names_position_segment_element_and_code(capsys, files) -> None:
    code, out, _ = run(capsys, "check", "--envelope-only", str(files["bad_count"]))
    assert code == 1
    assert "SE (segment 16) element 01" in out and "se_count" in out and "rejected" in out


def test_check_json_contract(capsys, files) -> None:
    code, out, _ = run(capsys, "check", "--json", "--envelope-only", str(files["bad_count"]),
                       str(files["junk"]))
    assert code == 1
    data = json.loads(out)
    first, second = data["files"]
    assert first["status"] == "partially_accepted" and second["status"] == "rejected"
    tx = first["interchanges"][0]["groups"][0]["transactions"][0]
    assert tx["status"] == "rejected"
    error = tx["errors"][0]
    assert {k: error[k] for k in ("code", "segment_id", "segment_position", "element_position")} == \
        {"code": "se_count", "segment_id": "SE", "segment_position": 16, "element_position": 1}
    assert second["errors"][0]["code"] == "not_x12"


def test_ack_writes_997_to_stdout(capsys, files) -> None:
    code, out, _ = run(capsys, "ack", "--envelope-only", "--control-number", "77", str(files["bad_count"]))
    assert code == 0
    data = out.encode()
    assert data.startswith(b"ISA*00*          *00*          *ZZ*ORDERGATE ")
    assert b"*000000077*" in data
    segs = [[s.id, *s.elements] for e in read_events(data) if isinstance(e, TransactionBlock)
            for s in e.tx.segments]
    assert ["AK5", "R", "4"] in segs and ["AK9", "P", "2", "2", "1"] in segs


def test_ack_for_unreadable_file_refuses(capsys, files) -> None:
    code, out, err = run(capsys, "ack", str(files["junk"]))
    assert code == 1 and out == "" and "no acknowledgement is possible" in err


def test_show_prints_one_segment_per_line(capsys, files) -> None:
    code, out, _ = run(capsys, "show", str(files["good"]))
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith("ISA 000000001")
    assert sum(1 for line in lines if "PO1*" in line) == 4
    assert any(line.strip().startswith("1  ST*850*0001") for line in lines)


def test_show_missing_file_is_usage_error(capsys) -> None:
    code, _, err = run(capsys, "show", "/no/such.x12")
    assert code == 2 and "no such file" in err


def test_show_names_loops_and_segments_with_the_structure_checker(capsys, files) -> None:
    pytest.importorskip("gateway.x12.structure")
    code, out, _ = run(capsys, "show", str(files["good"]))
    assert code == 0
    assert "loop PO1" in out and "loop N1" in out
    po1 = next(line for line in out.splitlines() if "PO1*1*" in line)
    st = next(line for line in out.splitlines() if "ST*850*0001" in line)
    assert len(po1) - len(po1.lstrip()) > len(st) - len(st.lstrip())   # indented by loop
