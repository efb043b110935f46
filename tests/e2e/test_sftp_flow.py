"""The seller flow through a real OpenSSH server: the retailer's mailbox is an SFTP account
(pinned host key, key login, chroot); its 850 is fetched, moved to processed, and our 997 and 855
are uploaded into its outbound folder under their final names only."""
from __future__ import annotations

from collections import Counter
from pathlib import Path

import yaml

from gateway.flow.samples import Line, interchange_850s
from gateway.x12 import iter_transactions
from tests.e2e.conftest import World, _need_parts, make_home

RETAILER = "demo-retailer"


def test_seller_flow_over_sftp(tmp_path: Path, sshd_running):
    _need_parts()
    account = sshd_running.add_partner(RETAILER)
    home = make_home(tmp_path / "home")
    profile = home / "partners" / f"{RETAILER}.yaml"
    data = yaml.safe_load(profile.read_text())
    data["transport"] = account.profile_transport()
    profile.write_text(yaml.safe_dump(data, sort_keys=False))
    world = World(home)
    try:
        account.drop_file("po-sftp.edi", interchange_850s(
            world.gw.partners[RETAILER], [("SFTP-1", [Line("DEMO-100", 1)])], isa13=61))
        world.run()
        world.order("SFTP-1")
        assert not (account.inbound / "po-sftp.edi").exists()
        assert (account.processed / "po-sftp.edi").exists()
        names = sorted(p.name for p in account.outbound.iterdir())
        assert not [n for n in names if n.startswith(".") or n.endswith((".part", ".tmp"))]
        kinds = Counter(tx.set_id for n in names
                        for tx in iter_transactions((account.outbound / n).read_bytes()))
        assert kinds == {"997": 1, "855": 1}
        from gateway.store.trace import list_files
        with world.gw.engine.connect() as conn:
            [row] = list_files(conn)
        assert row["transport"] == "sftp" and row["evidence"]["server_key_fingerprint"]
        assert row["evidence"]["user"] == account.user
    finally:
        world.close()
