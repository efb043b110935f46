"""Loop trees of the transaction sets we support (004010, ../shared/corpus/STRUCTURES.md section 3,
source S1 freight-trust/libedi; ACK as a loop of 104 per S4/P6).

Notation, one tree per set: `SEG usage/max_use` separated by commas; `LOOP ID usage/repeat:` opens
a loop whose body is indented below it (its first segment is the loop's trigger and mandatory in
it). Usage M mandatory, O optional; `>1` means unbounded. 005010 reuses these trees (the sets we
exchange did not change their loop structure in the ways the order core reads), adding ST03.
"""
from __future__ import annotations

SETS: dict[str, tuple[str, str, str]] = {}  # set id -> (name, functional id, tree)

SETS["850"] = ("Purchase Order", "PO", """
ST M/1, BEG M/1, CUR O/1, REF O/>1, PER O/3, TAX O/>1, FOB O/>1, CTP O/>1, PAM O/10, CSH O/5, TC2 O/>1
LOOP SAC O/25:
  SAC M/1, CUR O/1
ITD O/>1, DIS O/20, INC O/1, DTM O/10, LDT O/12, LIN O/5, SI O/>1, PID O/200, MEA O/40, PWK O/25, PKG O/200, TD1 O/2, TD5 O/12, TD3 O/12, TD4 O/5, MAN O/10, PCT O/>1, CTB O/5, TXI O/>1
LOOP AMT O/>1:
  AMT M/1, REF O/>1, DTM O/1, PCT O/>1
  LOOP FA1 O/>1:
    FA1 M/1, FA2 M/>1
LOOP N9 O/1000:
  N9 M/1, DTM O/>1, MSG O/1000
LOOP N1 O/200:
  N1 M/1, N2 O/2, N3 O/2, N4 O/>1, NX2 O/>1, REF O/12, PER O/>1, SI O/>1, FOB O/1, TD1 O/2, TD5 O/12, TD3 O/12, TD4 O/5, PKG O/200
LOOP LM O/>1:
  LM M/1, LQ M/>1
LOOP SPI O/>1:
  SPI M/1, REF O/5, DTM O/5, MSG O/50
  LOOP N1 O/20:
    N1 M/1, N2 O/2, N3 O/2, N4 O/1, REF O/20, G61 O/1, MSG O/50
  LOOP CB1 O/>1:
    CB1 M/1, REF O/20, DTM O/5, LDT O/1, MSG O/50
LOOP ADV O/>1:
  ADV M/1, DTM O/>1, MTX O/>1
LOOP PO1 M/100000:
  PO1 M/1, LIN O/>1, SI O/>1, CUR O/1, CN1 O/1, PO3 O/25
  LOOP CTP O/>1:
    CTP M/1, CUR O/1
  PAM O/10, MEA O/40
  LOOP PID O/1000:
    PID M/1, MEA O/10
  PWK O/25, PO4 O/>1, REF O/>1, PER O/3
  LOOP SAC O/25:
    SAC M/1, CUR O/1, CTP O/1
  IT8 O/1, CSH O/>1, ITD O/2, DIS O/20, INC O/1, TAX O/>1, FOB O/>1, SDQ O/500, IT3 O/5, DTM O/10, TC2 O/>1, TD1 O/1, TD5 O/12, TD3 O/12, TD4 O/5, PCT O/>1, MAN O/10, MSG O/>1, SPI O/>1, TXI O/>1, CTB O/>1
  LOOP QTY O/>1:
    QTY M/1, SI O/>1
  LOOP SCH O/200:
    SCH M/1, TD1 O/2, TD5 O/12, TD3 O/12, TD4 O/5, REF O/>1
  LOOP PKG O/200:
    PKG M/1, MEA O/>1
  LOOP LS O/1:
    LS M/1
    LOOP LDT O/>1:
      LDT M/1, QTY O/>1, MSG O/1, REF O/3
      LOOP LM O/>1:
        LM M/1, LQ M/>1
    LE M/1
  LOOP N9 O/1000:
    N9 M/1, DTM O/>1, MEA O/40, MSG O/1000
  LOOP N1 O/200:
    N1 M/1, N2 O/2, N3 O/2, N4 O/1, QTY O/>1, NX2 O/>1, REF O/12, PER O/3, SI O/>1, DTM O/1, FOB O/1, SCH O/200, TD1 O/2, TD5 O/12, TD3 O/12, TD4 O/5, PKG O/200
    LOOP LDT O/>1:
      LDT M/1, MAN O/10, QTY O/5, MSG O/1, REF O/3
  LOOP SLN O/1000:
    SLN M/1, MSG O/>1, SI O/>1, PID O/1000, PO3 O/104, TC2 O/>1, ADV O/>1, DTM O/10, CTP O/25, PAM O/10, PO4 O/1, TAX O/3
    LOOP N9 O/>1:
      N9 M/1, DTM O/>1, MSG O/>1
    LOOP SAC O/25:
      SAC M/1, CUR O/1, CTP O/1
    LOOP QTY O/>1:
      QTY M/1, SI O/>1
    LOOP N1 O/10:
      N1 M/1, N2 O/2, N3 O/2, N4 O/1, NX2 O/>1, REF O/12, PER O/3, SI O/>1
  LOOP AMT O/>1:
    AMT M/1, REF O/1, PCT O/>1
  LOOP LM O/>1:
    LM M/1, LQ M/>1
LOOP CTT O/1:
  CTT M/1, AMT O/1
SE M/1
""")

SETS["855"] = ("Purchase Order Acknowledgment", "PR", """
ST M/1, BAK M/1, CUR O/1, REF O/>1, PER O/3, TAX O/>1, FOB O/>1, CTP O/>1, PAM O/10, CSH O/1
LOOP SAC O/25:
  SAC M/1, CUR O/1
ITD O/5, DIS O/20, INC O/1, DTM O/10, LDT O/12, LIN O/5, SI O/>1, PID O/200, MEA O/40, PWK O/25, PKG O/25, TD1 O/2, TD5 O/12, TD3 O/12, TD4 O/5, MAN O/10, TXI O/>1, CTB O/>1
LOOP N9 O/1000:
  N9 M/1, DTM O/>1, MSG O/1000
LOOP N1 O/200:
  N1 M/1, N2 O/2, N3 O/2, N4 O/1, NX2 O/>1, REF O/12, PER O/>1, SI O/>1, FOB O/1, TD1 O/2, TD5 O/12, TD3 O/12, TD4 O/5, PKG O/25, MSG O/>1
LOOP ADV O/>1:
  ADV M/1, DTM O/>1, MTX O/>1
LOOP PO1 O/100000:
  PO1 M/1, LIN O/>1, SI O/>1, CUR O/1, PO3 O/25, CTP O/>1, PAM O/10, MEA O/40
  LOOP PID O/1000:
    PID M/1, MEA O/10
  PWK O/25, PO4 O/>1, REF O/>1, PER O/3
  LOOP SAC O/25:
    SAC M/1, CUR O/1
  IT8 O/1, CSH O/>1, ITD O/2, DIS O/20, INC O/1, TAX O/>1, FOB O/>1, SDQ O/500, DTM O/10, LDT O/12, TD1 O/1, TD5 O/12, TD3 O/12, TD4 O/5
  LOOP ACK O/104:
    ACK M/1, DTM O/1
  MAN O/10, AMT O/1, CTB O/>1, TXI O/>1
  LOOP QTY O/>1:
    QTY M/1, SI O/>1
  LOOP PKG O/200:
    PKG M/1, MEA O/>1
  LOOP SCH O/200:
    SCH M/1, TD1 O/2, TD5 O/12, TD3 O/12, TD4 O/5, REF O/>1
  LOOP N9 O/1000:
    N9 M/1, DTM O/>1, MSG O/1000
  LOOP N1 O/200:
    N1 M/1, N2 O/2, N3 O/2, N4 O/1, NX2 O/>1, REF O/12, PER O/3, SI O/>1, DTM O/1, FOB O/1, SCH O/200, TD1 O/2, TD5 O/12, TD3 O/12, TD4 O/5, QTY O/>1, PKG O/25
  LOOP SLN O/1000:
    SLN M/1, MSG O/>1, SI O/>1, PID O/1000, PO3 O/25, CTP O/25, PAM O/10, ACK O/104
    LOOP SAC O/10:
      SAC M/1, CUR O/1
    DTM O/10, PO4 O/1, TAX O/3, ADV O/>1
    LOOP QTY O/>1:
      QTY M/1, SI O/>1
    LOOP N9 O/>1:
      N9 M/1, DTM O/>1, MSG O/>1
    LOOP N1 O/10:
      N1 M/1, N2 O/2, N3 O/2, N4 O/1, NX2 O/>1, REF O/12, PER O/3, SI O/>1
LOOP CTT O/1:
  CTT M/1, AMT O/1
SE M/1
""")

SETS["856"] = ("Ship Notice/Manifest", "SH", """
ST M/1, BSN M/1, DTM O/10
LOOP HL M/200000:
  HL M/1, LIN O/1, SN1 O/1, SLN O/1000, PRF O/1, PO4 O/1, PID O/200, MEA O/40, PWK O/25, PKG O/25, TD1 O/20, TD5 O/12, TD3 O/12, TD4 O/5, TSD O/1, REF O/>1, PER O/3
  LOOP LH1 O/100:
    LH1 M/1, LH2 O/4, LH3 O/12, LFH O/20, LEP O/>1, LH4 O/1, LHT O/3, LHR O/10, PER O/5, LHE O/1
  LOOP CLD O/200:
    CLD M/1, REF O/200, DTP O/1
  MAN O/>1, DTM O/10, FOB O/1, PAL O/1
  LOOP N1 O/200:
    N1 M/1, N2 O/2, N3 O/2, N4 O/1, REF O/12, PER O/3, FOB O/1
  SDQ O/50, ETD O/1, CUR O/1
  LOOP SAC O/>1:
    SAC M/1, CUR O/1
  GF O/1, YNQ O/10
  LOOP LM O/10:
    LM M/1, LQ M/100
  LOOP V1 O/>1:
    V1 M/1, R4 O/>1, DTM O/>1
CTT O/1, SE M/1
""")

SETS["810"] = ("Invoice", "IN", """
ST M/1, BIG M/1, NTE O/100, CUR O/1, REF O/12, YNQ O/10, PER O/3
LOOP N1 O/200:
  N1 M/1, N2 O/2, N3 O/2, N4 O/1, REF O/12, PER O/3, DMG O/1
ITD O/>1, DTM O/10, FOB O/1, PID O/200, MEA O/40, PWK O/25, PKG O/25, L7 O/1, BAL O/>1, INC O/1, PAM O/>1
LOOP LM O/10:
  LM M/1, LQ M/100
LOOP N9 O/1:
  N9 M/1, MSG M/10
LOOP V1 O/>1:
  V1 M/1, R4 O/>1, DTM O/>1
LOOP FA1 O/>1:
  FA1 M/1, FA2 M/>1
LOOP IT1 O/200000:
  IT1 M/1, CRC O/1, QTY O/5, CUR O/1, IT3 O/5, TXI O/10, CTP O/25, PAM O/10, MEA O/40
  LOOP PID O/1000:
    PID M/1, MEA O/10
  PWK O/25, PKG O/25, PO4 O/1, ITD O/2, REF O/>1, YNQ O/10, PER O/5, SDQ O/500, DTM O/10, CAD O/>1, L7 O/>1, SR O/1
  LOOP SAC O/25:
    SAC M/1, TXI O/10
  LOOP SLN O/1000:
    SLN M/1, DTM O/1, REF O/>1, PID O/1000, SAC O/25, TC2 O/2, TXI O/10
  LOOP N1 O/200:
    N1 M/1, N2 O/2, N3 O/2, N4 O/1, REF O/12, PER O/3, DMG O/1
  LOOP LM O/10:
    LM M/1, LQ M/100
  LOOP V1 O/>1:
    V1 M/1, R4 O/>1, DTM O/>1
  LOOP FA1 O/>1:
    FA1 M/1, FA2 M/>1
TDS M/1, TXI O/10, CAD O/1, AMT O/>1
LOOP SAC O/25:
  SAC M/1, TXI O/10
LOOP ISS O/>1:
  ISS M/1, PID O/1
CTT O/1, SE M/1
""")

# Releases we generate maps for: GS08 prefix -> (file tag, ISA12 control version).
RELEASES: dict[str, tuple[str, str]] = {
    "004010": ("4010", "00401"),
    "005010": ("5010", "00501"),
}
