"""Our own valid transaction sets (ST..SE as lists of segment strings, `*` and `~`)."""
from __future__ import annotations

from gateway.x12.model import Delimiters, TransactionSet

PO_850 = [
    "ST*850*0001",
    "BEG*00*SA*PO-1001**20240115",
    "CUR*BY*USD",
    "REF*DP*042",
    "PER*BD*JANE BUYER*TE*5551234567",
    "FOB*PP",
    "SAC*C*D240***1500",
    "ITD*01*3*2**30**45",
    "DTM*002*20240201",
    "DTM*010*20240125*1330",
    "TD5*O*2*UPSN*U",
    "N1*ST*STORE 12*92*0012",
    "N3*1 MAIN ST",
    "N4*SPRINGFIELD*IL*62701*US",
    "N1*BT*RETAILER INC*1*123456789",
    "PO1*1*10*EA*9.99*PE*UP*012345678905*VN*ABC-1",
    "PID*F****BLUE WIDGET",
    "PO4*12*1*EA",
    "SAC*A*C310***250",
    "DTM*002*20240201",
    "PO1*2*5.5*CA*120*CP*IN*778899*UP*012345678912",
    "CTT*2*15.5",
    "SE*23*0001",
]

ACK_855 = [
    "ST*855*0002",
    "BAK*00*AC*PO-1001*20240115****SO-77*20240116",
    "N1*ST*STORE 12*92*0012",
    "PO1*1*10*EA*9.99*PE*UP*012345678905",
    "ACK*IA*8*EA*068*20240130",
    "ACK*IB*2*EA*068*20240215",
    "PO1*2*5*CA*120**IN*778899",
    "ACK*IR*5*CA",
    "CTT*2",
    "SE*10*0002",
]

ASN_856 = [
    "ST*856*0003",
    "BSN*00*SHP-555*20240130*1415*0001",
    "HL*1**S",
    "TD1*CTN25*2****G*30*LB",
    "TD5*B*2*UPSN*U",
    "REF*BM*BOL123",
    "DTM*011*20240130",
    "N1*ST*STORE 12*92*0012",
    "N1*SF*WAREHOUSE*92*W1",
    "HL*2*1*O",
    "PRF*PO-1001***20240115",
    "HL*3*2*P",
    "MAN*GM*00100700302232310393",
    "HL*4*3*I",
    "LIN*1*UP*012345678905*VN*ABC-1",
    "SN1*1*8*EA**10*EA**IA",
    "CTT*4*8",
    "SE*18*0003",
]

INVOICE_810 = [
    "ST*810*0004",
    "BIG*20240201*INV-9*20240115*PO-1001***DI",
    "REF*IA*V123",
    "N1*RI*VENDOR CO*92*V1",
    "ITD*01*3*2**30**45",
    "DTM*011*20240130",
    "IT1*1*8*EA*9.99**UP*012345678905",
    "PID*F****BLUE WIDGET",
    "IT1*2*5*CA*120**IN*778899",
    "TDS*69992",
    "SAC*C*D240***1500",
    "CTT*2*13",
    "SE*13*0004",
]

FIXTURES = {"850": PO_850, "855": ACK_855, "856": ASN_856, "810": INVOICE_810}
VERSIONS = {"4010": "004010", "5010": "005010"}


def with_count(segments: list[str]) -> list[str]:
    """SE01 recomputed (tests mutate bodies; counts are the engine's check, not ours)."""
    body = list(segments)
    parts = body[-1].split("*")
    parts[1] = str(len(body))
    body[-1] = "*".join(parts)
    return body


def make_tx(segments: list[str], set_id: str = "850", release: str = "4010",
            delimiters: Delimiters | None = None) -> TransactionSet:
    """A TransactionSet as the reader would give it (raw ST..SE bytes)."""
    d = delimiters or Delimiters()
    seg_list = with_count(segments)
    if release == "5010" and seg_list[0].count("*") == 2:
        seg_list[0] = seg_list[0] + "*" + VERSIONS[release]
    raw = b"".join(s.replace("*", d.element.decode()).encode() + d.segment + b"\n"
                   for s in seg_list)
    return TransactionSet(raw=raw, delimiters=d, set_id=set_id,
                          control_number=seg_list[0].split("*")[2])


def raw_segments(tx: TransactionSet) -> list[bytes]:
    return [s.raw for s in tx.segments]
