"""The partners part's profile model drives the transport as it is (no translation layer)."""
from __future__ import annotations

import pytest

from gateway.partners.profile import PartnerProfile
from gateway.transport import open_transport

pytestmark = pytest.mark.sshd


def test_a_profile_with_an_sftp_section_exchanges_files(account) -> None:  # type: ignore[no-untyped-def]
    profile = PartnerProfile(id="shopnet", name="Shopnet", role="customer",
                             x12={"partner": {"isa_id": "SHOPNET"}},
                             transport=account.profile_transport(after_download="delete"))
    account.drop_file("po.x12", b"ISA*from the partner")
    with open_transport(profile.transport, partner=profile.id) as mailbox:
        ready = mailbox.stable_files(wait=False) + mailbox.stable_files()
        fetched = mailbox.fetch("po.x12")
        mailbox.archive_remote("po.x12")
        mailbox.upload("ORDERGATE_997_1.x12", b"ISA*our ack")
        assert mailbox.spec.connect_timeout > 0 and mailbox.spec.channel_timeout > 0
    assert [f.name for f in ready] == ["po.x12"]
    assert fetched.evidence.partner == "shopnet" and fetched.evidence.user == account.user
    assert not (account.inbound / "po.x12").exists()
    assert (account.outbound / "ORDERGATE_997_1.x12").read_bytes() == b"ISA*our ack"
