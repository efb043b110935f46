"""Code lists the order core depends on, per data element (applied wherever the element appears).

Short lists (purpose, order type, acknowledgment type, line status, HL level, allowance/charge
indicator) are complete for 004010. Long lists (units, entity codes, date qualifiers, product ID
qualifiers, reference qualifiers, SAC02) are curated subsets: the codes public implementation
guides and the public corpus use (../shared/corpus/STRUCTURES.md, section 3). A partner sending
another legitimate code gets AK403 = 7; add it here and regenerate (python -m
gateway.x12.maps_build), the test `test_generated_maps_match_spec` keeps spec and maps together.
Elements without a list here are checked for type and length only.
"""
from __future__ import annotations


def _w(text: str) -> tuple[str, ...]:
    return tuple(text.split())


CODES: dict[str, tuple[str, ...]] = {
    # Transaction Set Purpose (BEG01, BAK01, BSN01, BIG08)
    "353": _w("00 01 02 03 04 05 06 07 08 10 11 12 13 14 15 16 17 18 19 22 24 25 26 27 28 30 31 "
              "32 33 34 35 36 37 38 39 40 41 42 43 44 45 46 47 48 49 50 51 52 53 54 55 56 77 CN CO "
              "EX GR PR RH RV SU ZZ"),
    # Purchase Order Type (BEG02, PRF07)
    "92": _w("BE BK BL BY CF CN CO CP CR DR DS EO FH IN IR KB KC KN LB LS NE NP NS OS PR PS RA RC "
             "RE RL RN RO RR RT SA SD SO SP SS ST SW TC TP US WO ZZ"),
    # Acknowledgment Type (BAK02)
    "587": _w("AC AD AE AH AK AP AT NA RD RF RJ RN RO RV ZZ"),
    # Line Item Status (ACK01, SN108)
    "668": _w("AC AR BP CB CC CP DR IA IB IC ID IE IF IH IP IQ IR IS IW R1 R2 R3 R4 R5 R6 R7 R8 "
              "SP"),
    # Hierarchical Level (HL03) and child code (HL04)
    "735": _w("S O T P I Q F D E G V X M"),
    "736": _w("0 1"),
    "1005": _w("0001 0002 0003 0004 0005 0006 0007"),
    # Entity Identifier (N101, N106, CUR01, SCH03)
    "98": _w("16 18 2L 40 41 AK BO BS BT BY CA CN CS DA DU EN FW IA II LW MA MF MI MP OB OT PE PF "
             "PO PR PW RE RI SE SF SH SN SO ST SU SZ UC VN WH Z7 ZZ"),
    # Identification Code Qualifier (N103, TD502, SDQ02)
    "66": _w("1 2 3 4 5 6 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30 31 "
             "32 33 34 38 41 42 46 47 53 54 55 61 71 72 73 74 75 76 77 78 81 82 90 91 92 93 94 95 "
             "96 97 99 A1 A2 A3 A4 A5 A6 AP BD BE BG BP BS C C1 C5 CI CM CP D EH EI EN FA FI FJ HC "
             "HN LC LE LN M3 M4 MI MN NI NP PI PP RI SB SI SJ SL SP ST SV TC UC UL XV XX ZC ZN ZY "
             "ZZ"),
    # Date/Time Qualifier (DTM01, ACK04, SCH05)
    "374": _w("001 002 003 004 009 010 011 017 018 035 036 037 038 043 050 063 064 067 068 069 "
              "070 071 073 074 077 079 080 081 085 086 091 092 094 095 096 097 102 106 107 118 "
              "119 138 139 140 150 151 152 167 168 169 174 175 176 177 193 194 196 197 198 200 "
              "202 206 207 208 209 217 223 232 233 238 239 291 312 318 322 346 347 370 371 372 "
              "383 405 463 466 471 472 474 484 510 512 517 582 637 649 650 671 810 814 815 996 "
              "997"),
    # Unit or Basis for Measurement (PO103, IT103, SN103, ACK03, ...)
    "355": _w("01 BD BE BG BO BX CA CF CH CM CN CR CS CT CY DA DR DZ EA FT GA GL GR GS HR HU IN "
              "KG KI KT LB LF LR LT LY MM MO MR ML MT OZ PA PC PD PH PK PL PR RL RM SF SH SO SQ SS ST "
              "SY TB TH TK TN TO UN WK YD Z1 ZZ"),
    # Product/Service ID Qualifier (PO106.., IT106.., LIN02.., ACK07.., SLN09..)
    "235": _w("A1 A2 AB B1 B3 B4 B6 BL BO BP CB CG CH CN EA EC EM EN GC HD IB IN IS IT IZ KF LN "
              "LT MF MG MN MP N1 N2 N3 N4 N5 N6 ND OT PD PI PL PN PO PR PW RC SK SM SN ST SV SW SZ "
              "TP UA UD UI UK UN UP US VA VC VN VP VS VX ZZ"),
    # Reference Identification Qualifier (REF01, N901, C040)
    "128": _w("01 06 11 12 14 19 1Z 2I 2P 4C 55 61 7I 8X ACC ADD AH AI AN AP BL BM CN CO CR CT DC "
              "DP EU FJ GT I5 IA IL IN IT IV L1 LT MH MR PD PK PO PS RT SE SI SR ST TN VN VR WH "
              "ZZ"),
    # Allowance/charge (SAC01, SAC02)
    "248": _w("A C N"),
    "1300": _w("A170 A260 A520 B280 B720 B840 B950 C000 C310 C320 D170 D240 D270 D350 D360 D500 "
               "D980 E170 E730 E750 F050 F155 F170 F800 G580 G740 G830 H000 H090 H151 H640 H700 "
               "H740 H750 H770 H850 I170 I410 I530 I570 ZZZZ"),
    # Terms (ITD01, ITD02)
    "336": _w("01 02 03 04 05 06 07 08 09 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 "
              "28 29 30 31 32 52 ZZ"),
    "333": _w("1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 ZZ"),
    # Carrier (TD504, CAD01)
    "91": _w("A AC AE AF BU C CE D DW E GG H HH I L LT M O P PL R S SR T U VE W X ZZ"),
    # Basis of unit price (PO105, IT105)
    "639": _w("CA CP CT DI HP HT LE NC NQ NS PE PP QE QS QT RC RE RS SR ST TE TP UM WE ZZ"),
    # F.O.B. method of payment (FOB01)
    "146": _w("BP CA CC CD CF DE DF FO MX NC NR PA PB PC PD PE PO PP PS PU TP ZZ"),
    # Item description type (PID01)
    "349": _w("F S X"),
    # Amount qualifier (AMT01)
    "522": _w("1 2 3 4 5 8 BAP C D F GV I N OH R T TT ZZ"),
    # Marks and numbers qualifier (MAN01)
    "88": _w("AA AH CA CI CP DZ GM L MC PM R SC SI SM UC W ZZ"),
    # Contact (PER01, PER03/05/07)
    "366": _w("AA AN AR BD BI CN DC EB EX IC OC OD PD RE SC SU ZZ"),
    "365": _w("AP AU BN CP ED EM EX FT FX HP IT NP PG TE TL UR WP"),
    # Subline relationship (SLN03)
    "662": _w("A D I O S"),
}
