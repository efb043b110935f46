"""The local-folder transport: the same semantics on disk (no server needed)."""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gateway.transport import (ConfigurationError, TransportSpec, UnsafeNameError, open_transport)
from gateway.transport.names import inside, is_temporary, unsafe_reason


def _mailbox(home: Path, **extra: object):  # type: ignore[no-untyped-def]
    spec = {"type": "local", "inbound_dir": "mailboxes/acme/inbound",
            "outbound_dir": "mailboxes/acme/outbound", **extra}
    return open_transport(spec, home=home, partner="acme")


def test_round_trip_move_and_evidence(tmp_path: Path) -> None:
    with _mailbox(tmp_path) as mailbox:
        inbound = tmp_path / "mailboxes/acme/inbound"
        (inbound / "po.x12").write_bytes(b"ISA*x")
        (inbound / ".po2.x12.part").write_bytes(b"ISA")
        assert [f.name for f in mailbox.stable_files()] == ["po.x12"]
        fetched = mailbox.fetch("po.x12")
        mailbox.archive_remote("po.x12")
        mailbox.archive_remote("po.x12")
    assert fetched.evidence.transport == "local" and fetched.evidence.size == 5
    assert (tmp_path / "mailboxes/acme/processed/po.x12").exists()
    assert mailbox.evidence["po.x12"] == fetched.evidence


def test_upload_is_atomic_and_leaves_no_temporary(tmp_path: Path) -> None:
    with _mailbox(tmp_path) as mailbox:
        mailbox.upload("out.x12", b"one")
        mailbox.upload("out.x12", b"two")
    assert os.listdir(tmp_path / "mailboxes/acme/outbound") == ["out.x12"]
    assert (tmp_path / "mailboxes/acme/outbound/out.x12").read_bytes() == b"two"


def test_an_upload_cut_by_a_crash_leaves_nothing_once_retried(tmp_path: Path) -> None:
    """kill -9 between writing the temporary and renaming it leaves `.NAME.part` behind; the
    retry of the same document writes the same temporary and renames it, so nothing lingers."""
    with _mailbox(tmp_path) as mailbox:
        outbound = mailbox.outbound
        outbound.mkdir(parents=True, exist_ok=True)
        (outbound / ".doc-1.edi.part").write_bytes(b"ISA*half written")   # the crashed try
        mailbox.upload("doc-1.edi", b"ISA*complete~")
        mailbox.upload_many([("doc-2.edi", b"two"), ("doc-3.edi", b"three")])
    assert sorted(p.name for p in outbound.iterdir()) == ["doc-1.edi", "doc-2.edi", "doc-3.edi"]
    assert (outbound / "doc-1.edi").read_bytes() == b"ISA*complete~"


def test_delete_and_processed_dir_settings(tmp_path: Path) -> None:
    with _mailbox(tmp_path, after_download="delete") as mailbox:
        (tmp_path / "mailboxes/acme/inbound/a.x12").write_bytes(b"a")
        mailbox.archive_remote("a.x12")
    assert not list((tmp_path / "mailboxes/acme/inbound").iterdir())
    with _mailbox(tmp_path, processed_dir="done") as mailbox:
        (tmp_path / "mailboxes/acme/inbound/b.x12").write_bytes(b"b")
        mailbox.archive_remote("b.x12")
    assert (tmp_path / "done/b.x12").exists()


def test_symlink_out_of_the_folder_is_neither_listed_nor_read(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("no")
    with _mailbox(tmp_path) as mailbox:
        os.symlink(secret, tmp_path / "mailboxes/acme/inbound/link.x12")
        assert mailbox.list_inbound() == []
        with pytest.raises(UnsafeNameError):
            mailbox.download("link.x12")
        with pytest.raises(UnsafeNameError) as caught:
            mailbox.download("../secret.txt")
    assert caught.value.name == "../secret.txt" and caught.value.partner == "acme"


def test_growing_file_is_held_back(tmp_path: Path) -> None:
    now = [100.0]
    with _mailbox(tmp_path, stable_seconds=5) as mailbox:
        mailbox._clock = lambda: now[0]
        path = tmp_path / "mailboxes/acme/inbound/po.x12"
        path.write_bytes(b"ISA")
        assert mailbox.stable_files(wait=False) == []
        now[0] += 6
        path.write_bytes(b"ISA*more")
        assert mailbox.stable_files(wait=False) == []
        now[0] += 2
        assert mailbox.stable_files(wait=False) == []           # not yet 5 s unchanged
        now[0] += 4
        assert [f.name for f in mailbox.stable_files(wait=False)] == ["po.x12"]


@pytest.mark.parametrize("name", ["", ".", "..", "a/b", "a\\b", "a\x00b", "a\nb", " lead",
                                  "x" * 300, "a\tb", "a\x7fb", "a\u0085b", "a\ud800b",
                                  "a\udcffb", "é" * 128])
def test_unsafe_names(name: str) -> None:
    assert unsafe_reason(name) is not None


def test_safe_and_temporary_names(tmp_path: Path) -> None:
    assert unsafe_reason("ORDERGATE_850_000000001.x12") is None
    assert unsafe_reason("Bestellung_ä.xml") is None
    assert is_temporary(".a.part") and is_temporary("a.filepart") and not is_temporary("a.x12")
    assert inside(tmp_path, "a.x12") == tmp_path.resolve() / "a.x12"


def test_spec_reads_models_dicts_and_enums(tmp_path: Path) -> None:
    import enum

    class Kind(enum.Enum):
        SFTP = "sftp"

    class Section:                       # the shape of the partners part's pydantic model
        type = Kind.SFTP
        host, port, user, key_file = "h", "2222", "u", "k"
        host_key = "SHA256:abc"
    spec = TransportSpec.from_profile(Section(), partner="p")
    assert (spec.type.value, spec.port, spec.partner, spec.connect_timeout) == ("sftp", 2222, "p", 15.0)
    with pytest.raises(ConfigurationError, match="host_key"):
        TransportSpec.from_profile({"type": "sftp", "host": "h", "user": "u", "key_env": "K"})
    with pytest.raises(ConfigurationError, match="after_download"):
        TransportSpec.from_profile({"type": "local", "after_download": "shred"})
    with pytest.raises(ConfigurationError, match="no transport section"):
        TransportSpec.from_profile(None, partner="p")


def test_upload_many_is_all_or_checked_first(tmp_path: Path) -> None:
    outbound = tmp_path / "mailboxes/acme/outbound"
    with _mailbox(tmp_path) as mailbox:
        with pytest.raises(UnsafeNameError):
            mailbox.upload_many([("ok.x12", b"1"), ("../bad.x12", b"2")])
        assert os.listdir(outbound) == []                  # refused before anything was written
        evidence = mailbox.upload_many([(f"f{n}.x12", bytes([n]) * n) for n in range(1, 21)])
    assert sorted(os.listdir(outbound)) == sorted(f"f{n}.x12" for n in range(1, 21))
    assert [e.size for e in evidence] == list(range(1, 21))
    assert (outbound / "f7.x12").read_bytes() == b"\x07" * 7
    assert all((outbound / f"f{n}.x12").read_bytes() == bytes([n]) * n for n in range(1, 21))


def test_durable_can_be_turned_off_by_the_caller(tmp_path: Path) -> None:
    with open_transport({"type": "local"}, home=tmp_path, durable=False) as mailbox:
        assert mailbox.spec.durable is False
        mailbox.upload("a.x12", b"x")
    assert (tmp_path / "outbound/a.x12").read_bytes() == b"x"


@given(name=st.text(min_size=0, max_size=40))
def test_no_name_escapes_the_folder(name: str) -> None:
    folder = Path("/srv/og-names-never-created")
    try:
        target = inside(folder, name)
    except UnsafeNameError:
        return
    assert target.parent == folder and unsafe_reason(name) is None
