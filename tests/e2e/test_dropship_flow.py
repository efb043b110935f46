"""Drop-ship flow, file in to file out: a line sourced to demo-vendor sends our 850 to the vendor;
the vendor's 997, 855, 856 and 810 come back and update the order; our own 856 and 810 to the
retailer follow from the vendor's ship notice and invoice."""
from __future__ import annotations

from gateway.flow.samples import Line, functional_ack_997, interchange_850s, vendor_replies
from gateway.x12 import iter_transactions

RETAILER, VENDOR = "demo-retailer", "demo-vendor"


def _sets(files: dict[str, bytes]) -> dict[str, list]:
    out: dict[str, list] = {}
    for data in files.values():
        for tx in iter_transactions(data):
            out.setdefault(tx.set_id, []).append((tx, data))
    return out


def test_dropship_850_out_vendor_replies_in_and_customer_documents_follow(world):
    retailer, vendor = world.gw.partners[RETAILER], world.gw.partners[VENDOR]
    world.drop(RETAILER, "po.edi", interchange_850s(
        retailer, [("PO-DS-1", [Line("DEMO-900", 2), Line("DEMO-100", 1)])], isa13=701))
    world.run()
    order = world.order("PO-DS-1")

    to_vendor = _sets(world.take_outbound(VENDOR))
    assert list(to_vendor) == ["850"], sorted(to_vendor)
    [(po_tx, po_bytes)] = to_vendor["850"]
    assert po_tx.interchange.receiver_id == "DEMOVENDOR"
    first = _sets(world.take_outbound(RETAILER))
    assert "997" in first and "855" in first

    # the vendor accepts our 850, then acknowledges, ships and invoices it
    world.drop(VENDOR, "997.edi", functional_ack_997(
        vendor, [("PO", po_tx.group.control_number, po_tx.control_number, "A")], isa13=801))
    replies = vendor_replies(vendor, po_bytes, first_isa13=810)
    for kind in ("855", "856", "810"):
        world.drop(VENDOR, f"{kind}.edi", replies[kind])
    world.run()
    world.run()

    ours = {d["doc_type"]: d for d in world.documents(direction="out", partner=VENDOR)}
    assert ours["850"]["ack_status"] == "accepted"
    inbound = world.documents(direction="in", partner=VENDOR)
    assert {d["doc_type"]: d["status"] for d in inbound} == {
        "997": "accepted", "855": "accepted", "856": "accepted", "810": "accepted"}
    assert {d["order_id"] for d in inbound if d["doc_type"] != "997"} <= {order["id"], None}
    # we acknowledge the vendor's 855/856/810 (one 997 each), never its 997
    back_to_vendor = _sets(world.take_outbound(VENDOR))
    assert len(back_to_vendor.get("997", [])) == 3 and "850" not in back_to_vendor

    to_customer = _sets(world.take_outbound(RETAILER))
    assert "856" in to_customer, sorted(to_customer)
    ship_refs = [seg[2] for tx, _ in to_customer["856"] for seg in tx.segments if seg.id == "BSN"]
    assert ship_refs
    assert "810" in to_customer, sorted(to_customer)
    updated = world.order("PO-DS-1")
    assert updated["status"] != order["status"]
    assert world.problems == []   # our 850, 997s, 856 and 810 all pass our own check
