"""Archive packs: a batch put with durable=False and flushed is one pack plus index lines, read
back (by this and by any other Archive on the same folder) exactly like loose blobs, checked
against its sha256, tolerant of a torn index line, and pruned as a whole."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

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
    assert len(list((root / "packs").glob("*.pack"))) == 1
    fresh = Archive(root)
    assert [fresh.get(d) for d in digests] == blobs
    assert all(fresh.exists(d) for d in digests)
    assert not fresh.exists("00" * 32)
    with pytest.raises(ArchiveError):
        fresh.get("00" * 32)
    # a second batch (new pack) is seen by an instance that already read the shards
    more = _batch(archive, [b"later one", b"later two"])
    assert [fresh.get(d) for d in more] == [b"later one", b"later two"]


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
    data = pack.read_bytes()
    pack.write_bytes(data.replace(b"second", b"SECOND"))
    fresh = Archive(root)
    assert fresh.get(digests[0]) == b"first document"
    with pytest.raises(ArchiveError) as info:
        fresh.get(digests[1])
    assert info.value.sha256 == digests[1] and info.value.path == pack


def test_a_torn_index_line_is_skipped_and_does_not_hide_the_next(tmp_path: Path):
    """A crash in the middle of an append leaves a partial line; the next append starts with a
    newline, so its own lines still parse."""
    root = tmp_path / "archive"
    archive = Archive(root)
    first = archive.put(b"cut by the crash", durable=False)
    shard = root / "packs" / "index" / first[:2]
    shard.parent.mkdir(parents=True)
    shard.write_bytes(b"\n" + first.encode() + b" 0000-1-1.pa")     # the torn append
    archive.flush()                                                  # the retry
    fresh = Archive(root)
    assert fresh.get(first) == b"cut by the crash"


def test_a_line_still_being_appended_is_read_once_complete(tmp_path: Path):
    root = tmp_path / "archive"
    writer = Archive(root)
    digest = _batch(writer, [b"complete"])[0]
    shard = root / "packs" / "index" / digest[:2]
    line = shard.read_bytes()
    shard.write_bytes(line[:-10])                    # the reader sees half of the line ...
    reader = Archive(root)
    assert not reader.exists(digest)
    shard.write_bytes(line)                          # ... then the rest of it
    assert reader.get(digest) == b"complete"


def test_prune_removes_old_packs_unless_they_hold_a_kept_blob(tmp_path: Path):
    root = tmp_path / "archive"
    archive = Archive(root)
    kept = _batch(archive, [b"unsent 855", b"sent 855"])
    gone = _batch(archive, [b"old 997"])
    fresh_pack = _batch(archive, [b"new 855"])
    packs = sorted((root / "packs").glob("*.pack"))
    old = os.stat(packs[0]).st_mtime - 400 * 86400
    for pack in packs[:2]:
        os.utime(pack, (old, old))
    assert archive.prune(365, keep={kept[0]}) == 1
    fresh = Archive(root)
    assert fresh.get(kept[1]) == b"sent 855" and fresh.get(fresh_pack[0]) == b"new 855"
    with pytest.raises(ArchiveError):
        fresh.get(gone[0])
    assert (root / "packs" / "index").is_dir()      # the index is never pruned
    assert archive.prune(-1) == 2 and not Archive(root).exists(kept[0])
