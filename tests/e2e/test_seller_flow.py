"""Seller flow, file in to file out, on SQLite with local folders: the retailer's 850 becomes an
order, placed and sourced; our 997 and 855 land in its outbound folder; shipping and invoicing
send 856 and 810; the retailer's 997s mark ours accepted; the same file again makes no second
order, and a file under another partner's ISA ID is refused."""
from __future__ import annotations

from decimal import Decimal

from gateway.flow.samples import Line, functional_ack_997, interchange_850s
from gateway.x12 import iter_transactions

RETAILER = "demo-retailer"


def _sets(files: dict[str, bytes]) -> dict[str, list]:
    out: dict[str, list] = {}
    for data in files.values():
        for tx in iter_transactions(data):
            out.setdefault(tx.set_id, []).append(tx)
    return out


def _answer_all(world, sets: dict[str, list], isa13: int) -> None:
    """The retailer accepts every document we sent (one 997 for all)."""
    answers = [(tx.group.functional_id, tx.group.control_number, tx.control_number, "A")
               for set_id in ("855", "856", "810") for tx in sets.get(set_id, [])]
    if answers:
        world.drop(RETAILER, f"997-{isa13}.edi",
                   functional_ack_997(world.gw.partners[RETAILER], answers, isa13=isa13))


def test_850_to_855_856_810_and_their_997s(world):
    _seller_flow(world)


def test_every_document_we_send_passes_our_own_check(world):
    """What a partner's translator would reject, ours must too: 997, 855, 856, 810 all pass."""
    _seller_flow(world)
    assert world.problems == []


def _seller_flow(world):
    partner = world.gw.partners[RETAILER]
    world.drop(RETAILER, "po-1.edi", interchange_850s(
        partner, [("PO-1001", [Line("DEMO-100", 2), Line("DEMO-200", 3)])], isa13=101))
    world.run()

    order = world.order("PO-1001")
    assert order["status"] not in ("new", "rejected")
    sent = _sets(world.take_outbound(RETAILER))
    assert "997" in sent and "855" in sent, sorted(sent)
    ak = [seg for seg in sent["997"][0].segments if seg.id in ("AK1", "AK5", "AK9")]
    assert [s.id for s in ak][0] == "AK1" and ak[-1][1] == "A"

    from core.domain.commands import IssueInvoice, RecordShipment

    world.gw.core.handle(RecordShipment(po_number="PO-1001", partner_id=RETAILER, carrier="UPSN",
                                        tracking="1Z999"))
    world.run()
    world.gw.core.handle(IssueInvoice(po_number="PO-1001", partner_id=RETAILER))
    world.run()
    later = _sets(world.take_outbound(RETAILER))
    assert "856" in later and "810" in later, sorted(later)

    everything = {k: sent.get(k, []) + later.get(k, []) for k in ("855", "856", "810")}
    _answer_all(world, everything, isa13=201)
    world.run()
    ours = world.documents(direction="out", partner=RETAILER)
    business = [d for d in ours if d["doc_type"] in ("855", "856", "810")]
    assert len(business) == 3
    assert {d["ack_status"] for d in business} == {"accepted"}
    assert all(d["status"] == "sent" for d in ours)
    # one 997 per received interchange, none for their 997
    assert [d["doc_type"] for d in ours].count("997") == 1
    # one trace id follows the order: the 850's, on our 855, 856 and 810
    [po_in] = world.documents(direction="in", doc_type="850")
    assert {d["trace_id"] for d in business} == {po_in["trace_id"]}


def test_same_file_twice_makes_one_order(world):
    partner = world.gw.partners[RETAILER]
    data = interchange_850s(partner, [("PO-2001", [Line("DEMO-100", 1)])], isa13=301)
    world.drop(RETAILER, "a.edi", data)
    world.run()
    world.drop(RETAILER, "b.edi", data)                       # same bytes, other name
    world.drop(RETAILER, "c.edi", interchange_850s(            # same ISA13, other bytes
        partner, [("PO-2001", [Line("DEMO-100", 1)])], isa13=301,
        now=__import__("datetime").datetime(2026, 2, 1, 8, 0)))
    world.run()
    world.order("PO-2001")                                    # exactly one
    states = [f["state"] for f in _files(world)]
    assert states == ["applied", "duplicate", "duplicate"]
    assert len([n for n in world.outbound(RETAILER) if "_855_" in n]) == 1


def test_file_under_another_isa_id_is_refused_not_applied(world):
    vendor = world.gw.partners["demo-vendor"]
    world.drop(RETAILER, "forged.edi", interchange_850s(
        world.gw.partners[RETAILER], [("PO-3001", [Line("DEMO-100", 1)])], isa13=401, sender=vendor))
    world.run()
    assert [f["state"] for f in _files(world)] == ["refused"]
    from sqlalchemy import select
    from core.adapters.tables import orders
    with world.gw.engine.connect() as conn:
        assert conn.execute(select(orders.c.id).where(orders.c.po_number == "PO-3001")).first() is None


def _files(world):
    from gateway.store.trace import list_files

    with world.gw.engine.connect() as conn:
        rows = list_files(conn)
        conn.rollback()
    return sorted(rows, key=lambda r: r["id"])


def test_quantities_reach_the_core(world):
    world.drop(RETAILER, "q.edi", interchange_850s(
        world.gw.partners[RETAILER], [("PO-4001", [Line("DEMO-300", 7, Decimal("4.50"))])], isa13=501))
    world.run()
    order = world.order("PO-4001")
    from sqlalchemy import select
    from core.adapters.tables import order_lines
    with world.gw.engine.connect() as conn:
        lines = conn.execute(select(order_lines).where(order_lines.c.order_id == order["id"])).mappings().all()
    assert [(l["sku"], l["ordered"], l["allocated"]) for l in lines] == [("DEMO-300", Decimal("7"), Decimal("7"))]
    doc = [d for d in world.documents(direction="in", doc_type="850") if d["reference"] == "PO-4001"]
    assert doc and doc[0]["order_id"] == order["id"]
