"""The public corpus through `ordergate x12 check`: no crash, exit 0/1 for readable files, and the
broken-envelope files rejected with the right codes."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from gateway.cli.main import main
from gateway.x12 import check
from gateway.x12.checker_port import StructurePort

ENVELOPE = StructurePort.envelope_only_port()


def _files(corpus: Path) -> list[Path]:
    return sorted(p for folder in ("x12", "x12-bots") for p in (corpus / folder).iterdir()
                  if p.is_file())


def test_every_corpus_file_gets_a_verdict(corpus: Path, capsys: pytest.CaptureFixture) -> None:
    files = _files(corpus)
    assert len(files) > 150
    for path in files:
        for extra in ([], ["--envelope-only"]):
            code = main(["x12", "check", "--json", *extra, str(path)])
            out, err = capsys.readouterr()
            assert code in (0, 1), f"{path.name}: exit {code}\n{err}"
            assert "Traceback" not in err and "internal error" not in err, f"{path.name}: {err}"
            data = json.loads(out)
            assert data["files"][0]["status"] in ("accepted", "partially_accepted", "rejected")


def _codes(report) -> set[tuple[str, str, str | None]]:
    found = {("file", e.code, None) for e in report.errors}
    for ic in report.interchanges:
        found |= {("interchange", e.code, e.ta1_code) for e in ic.errors if e.is_error}
        for group in ic.groups:
            found |= {("group", e.code, e.ak_group_code) for e in group.errors if e.is_error}
            for tx in group.transactions:
                found |= {("set", e.code, e.ak_set_code) for e in tx.errors if e.is_error}
    return found


BROKEN = {
    "env_gtl_no_iea.edi": {("interchange", "iea_missing", "023")},
    "env_gtl_no_matching_segment_count.edi": {("set", "se_count", "4")},
    "env_gtl_no_matching_st_count.edi": {("group", "ge_count", "5")},
    "env_ediengine_wrong_counts.edi": {("group", "ge_count", "5"), ("interchange", "iea_count", "021")},
    "env_ediengine_ctrl_mismatch.edi": {("set", "se_control_mismatch", "3"),
                                        ("group", "ge_control_mismatch", "4"),
                                        ("interchange", "iea_control_mismatch", "001")},
    "env_gozer_no_terminator.txt": {("file", "isa_no_terminator", None)},
    "env_ediengine_nonedi.edi": {("file", "not_x12", None)},
    "env_gozer_wrong_gs.txt": {("interchange", "unexpected_segment", "024")},
    "env_gtl_inconsistent_el_sep.edi": {("file", "isa_bad_separator", None)},
    "env_gozer_multi_gs_dummy.txt": {("group", "ge_count", "5")},
}


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_broken_envelopes_are_rejected_with_the_right_codes(corpus: Path, name: str) -> None:
    report = check(corpus / "x12" / name, structure=ENVELOPE)
    assert report.anything_rejected
    assert report.status.value == "rejected"
    assert BROKEN[name] <= _codes(report), _codes(report)


@pytest.mark.parametrize("name", ["850_ediengine_ok.edi", "env_ediengine_2isa_4gs_6st.edi",
                                  "env_staedi_ellipsis_term_214.edi", "850_oboe_3040_binary_delims.x12",
                                  "856_oopfactory_ex3_ellipsis_term.txt", "855_oboe_12st_tilde_el.edi",
                                  "850_nodex12_vics_nlterm.edi", "env_oopfactory_ta1_5010_gt_el.txt",
                                  "997_staedi_optional_isa_services.edi"])
def test_well_formed_envelopes_are_accepted(corpus: Path, name: str) -> None:
    report = check(corpus / "x12" / name, structure=ENVELOPE)
    assert not report.anything_rejected, _codes(report)


def test_unreadable_isa_gets_no_ta1(corpus: Path) -> None:
    from gateway.x12 import build_acks

    for name in ("env_gozer_no_terminator.txt", "env_ediengine_nonedi.edi",
                 "env_gtl_inconsistent_el_sep.edi"):
        assert build_acks(check(corpus / "x12" / name, structure=ENVELOPE)) == []


def test_missing_iea_gets_a_rejecting_ta1(corpus: Path) -> None:
    from gateway.x12 import build_acks

    acks = build_acks(check(corpus / "x12" / "env_gtl_no_iea.edi", structure=ENVELOPE))
    assert len(acks) == 1 and acks[0].kinds == ("TA1",)
    assert b"*R*023" in acks[0].data


def test_corpus_round_trips_byte_for_byte(corpus: Path) -> None:
    """Every corpus file with one interchange and uniform framing (same bytes after every
    terminator, no BOM, no trailing empty elements) is written back exactly as it was read,
    up to the line ending after the very last segment."""
    import re

    from gateway.x12.reader import InterchangeStart, read_events

    from tests.unit.x12.test_writer import _rewrite

    checked = 0
    for path in _files(corpus):
        data = path.read_bytes()
        starts = [e.header for e in read_events(data) if isinstance(e, InterchangeStart)]
        if len(starts) != 1 or data.startswith(b"\xef\xbb\xbf"):
            continue
        term = starts[0].delimiters.segment
        after = data.find(term, 100) + len(term)
        ending = b"" if term in (b"\r", b"\n") else re.match(rb"[\r\n]*", data[after:]).group(0)
        parts = data.split(term)
        uniform = all(p.startswith(ending) and not p[len(ending):len(ending) + 1].isspace()
                      for p in parts[1:-1])
        if not uniform or starts[0].delimiters.element + term in data:
            continue
        checked += 1
        assert _rewrite(data, ending.decode()).rstrip(b"\r\n \t") == data.rstrip(b"\r\n \t"), path.name
    assert checked >= 100
