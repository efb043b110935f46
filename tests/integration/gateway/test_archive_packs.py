"""Archive packs: a batch put with durable=False and flushed is one pack file, read back (by this
and by any other Archive on the same folder) exactly like loose blobs, checked against its sha256,
never seen half-written, and pruned as a whole."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from gateway.store import packs
from gateway.store.archive import Archive, ArchiveError, sha256_of


def _batch(archive: Archive, blobs: list[bytes]) -> list[str]:
    digests = [archive.put(b, durable=False) for b in blobs]
    archive.flush()
    return digests


def test_a_flushed_batch_is_one_pack_and_reads_back_everywhere(tmp_path: Path):
    root = tmp_path / "archive"
    archive = Archive(root)
    blobs = [b"ISA*%d~" % n * (n + 1) for n in range(300)] + [b""]
    digests = _batch(archive, blobs)
    assert digests == [sha256_of(b) for b in blobs]
    assert [p.name.endswith(".pack") for p in (root / "packs").iterdir()] == [True]
    fresh = Archive(root)
    assert [fresh.get(d) for d in digests] == blobs
    assert all(fresh.exists(d) for d in digests)
    assert not fresh.exists("00" * 32)
    with pytest.raises(ArchiveError):
        fresh.get("00" * 32)
    # a later batch (a new pack) is found by an instance that read the earlier one already
    more = _batch(archive, [b"later one", b"later two"])
    assert [fresh.get(d) for d in more] == [b"later one", b"later two"]
    assert fresh.get(digests[5]) == blobs[5]


def test_the_pack_format_round_trips(tmp_path: Path):
    blobs = {sha256_of(b): b for b in (b"a", b"", b"ccc" * 1000)}
    data, where = packs.encode(blobs)
    (tmp_path / "x.pack").write_bytes(data)
    assert packs.contents(tmp_path / "x.pack") == where
    assert {d: data[o:o + n] for d, (o, n) in where.items()} == blobs
    (tmp_path / "cut.pack").write_bytes(data[:packs.HEAD + packs.ENTRY])   # a cut table
    assert packs.contents(tmp_path / "cut.pack") is None
    (tmp_path / "other.pack").write_bytes(b"not a pack at all")
    assert packs.contents(tmp_path / "other.pack") is None


def test_a_blob_already_stored_is_not_packed_again(tmp_path: Path):
    archive = Archive(tmp_path / "archive")
    loose = archive.put(b"received file")
    packed = _batch(archive, [b"sent file"])[0]
    assert archive.put(b"received file", durable=False) == loose
    assert archive.put(b"sent file", durable=False) == packed
    assert archive.put(b"new", durable=False) == archive.put(b"new", durable=False)
    assert list(archive._pending) == [sha256_of(b"new")]


def test_a_tampered_pack_is_refused(tmp_path: Path):
    root = tmp_path / "archive"
    digests = _batch(Archive(root), [b"first document", b"second document"])
    pack = next((root / "packs").glob("*.pack"))
    pack.write_bytes(pack.read_bytes().replace(b"second", b"SECOND"))
    fresh = Archive(root)
    assert fresh.get(digests[0]) == b"first document"
    with pytest.raises(ArchiveError) as info:
        fresh.get(digests[1])
    assert info.value.sha256 == digests[1] and info.value.path == pack


def test_a_pack_cut_by_a_crash_is_never_read(tmp_path: Path):
    """Until the rename a pack has a temporary (dot) name, which readers do not look at; a
    damaged file under a pack name is skipped too."""
    root = tmp_path / "archive"
    archive = Archive(root)
    digest = archive.put(b"cut by the crash", durable=False)
    data, _ = packs.encode({digest: b"cut by the crash"})
    (root / "packs").mkdir(parents=True)
    (root / "packs" / ".0000000000000001-1-1.pack.tmp").write_bytes(data[:-3])
    (root / "packs" / "0000000000000002-1-1.pack").write_bytes(data[:20])
    assert not Archive(root).exists(digest)
    archive.flush()                                  # the retry
    assert Archive(root).get(digest) == b"cut by the crash"


def test_prune_removes_old_packs_unless_they_hold_a_kept_blob(tmp_path: Path):
    root = tmp_path / "archive"
    archive = Archive(root)
    kept = _batch(archive, [b"unsent 855", b"sent 855"])
    gone = _batch(archive, [b"old 997"])
    fresh_pack = _batch(archive, [b"new 855"])
    stale = root / "packs" / ".0000000000000001-1-1.pack.tmp"
    stale.write_bytes(b"cut")
    found = sorted((root / "packs").glob("*.pack"))
    old = os.stat(found[0]).st_mtime - 400 * 86400
    for path in (*found[:2], stale):
        os.utime(path, (old, old))
    assert archive.prune(365, keep={kept[0]}) == 2        # the old 997's pack and the stale tmp
    assert not stale.exists()
    fresh = Archive(root)
    assert fresh.get(kept[1]) == b"sent 855" and fresh.get(fresh_pack[0]) == b"new 855"
    with pytest.raises(ArchiveError):
        fresh.get(gone[0])
    with pytest.raises(ArchiveError):
        archive.get(gone[0])                             # the pruning instance forgot it too
    assert archive.prune(-1) == 2 and not Archive(root).exists(kept[0])
