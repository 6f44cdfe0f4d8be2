"""Generate the example trust's asset registers: inventories/example-trust/assets/<school>.csv.

Deterministic (seeded): each KIT line is a batch of kit bought together; ``@host`` lines are the
inventory's own targets (kind and model from the school file). Planted problems for the checks:
kit out of warranty, past end of support or refresh age, disposed (``gone``) or missing a serial
or location (``gaps``). Usage: .venv/bin/python scripts/generate_example_assets.py [INVENTORY_DIR]
"""

from __future__ import annotations

import itertools
import random
import sys
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import yaml

from matops.inventory.assets import COLUMNS, write_register
from matops.inventory.model import Asset

RNG = random.Random(20261122)  # noqa: S311 - fictional example data, not a secret
ALNUM = "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789"
SERIALS: set[str] = set()
OS: dict[str, tuple[str, str, str]] = {  # key: (os, os_version, end_of_support)
    "-": ("", "", ""),
    "win10": ("Windows 10 Education", "22H2", "2025-10-14"),
    "win11old": ("Windows 11 Education", "23H2", "2026-11-10"),
    "win11": ("Windows 11 Education", "24H2", "2027-10-12"),
    "macos": ("macOS", "26.6", "2028-09-30"),
    "ipad17": ("iPadOS", "17.7", "2025-09-15"),
    "ipad18": ("iPadOS", "18.7", "2026-09-15"),
    "ipad26": ("iPadOS", "26.6", "2028-09-30"),
    "cros29": ("ChromeOS", "154", "2029-06-01"),
    "cros30": ("ChromeOS", "154", "2030-06-01"),
    "inst86": ("ArubaOS Instant", "8.6.0.25", "2024-10-31"),
    "aos10": ("ArubaOS", "10.7.1.1", "2030-12-31"),
    "ewc": ("Cisco IOS-XE EWC", "17.9.6", "2030-10-31"),
    "fos72": ("FortiOS", "7.2.10", "2026-09-30"),
    "fos74": ("FortiOS", "7.4.9", "2027-11-11"),
    "deb12": ("Debian", "12", "2028-06-30"),
    "xe179": ("Cisco IOS-XE", "17.9.4", "2030-10-31"),
    "xe176": ("Cisco IOS-XE", "17.6.5", "2030-10-31"),
    "ios2960": ("Cisco IOS", "15.2(7)E9", "2025-10-31"),
    "ios1000": ("Cisco IOS", "15.2(7)E9", "2030-10-31"),
    "cx1013": ("AOS-CX", "10.13.1000", "2030-12-31"),
    "cx1011": ("AOS-CX", "10.11.1021", "2030-12-31"),
}
PLACES: dict[str, str] = {  # key: "locations/assigned_to", each a comma-separated list
    "classes": ",".join(["Reception", *(f"Year {n} classroom" for n in range(1, 7)), "Hall"]),
    "rooms": ",".join(f"{block}{n}" for block in "SMEHLA" for n in range(1, 8)),
    "staff": "Staff (take-home)/@staff",
    "oak-ups": "Comms cabinet,KS2 block cabinet",
    "oak-cb": "Year 5 classroom,Year 6 classroom/Trolley A,Trolley B",
    "riv-ups": "Science block hub room,IT block hub room,Sports hall cabinet",
    "riv-ipad": "Art A3,PE office/Art department,PE department",
    "riv-ipad7": "Learning support base/Learning support",
    "riv-prn": "Reception,Staff workroom,Library,Sixth form centre",
    "riv-phone": "Reception,Admin block,Science office,PE office",
    "stm-ipad": "EYFS unit,Year 1 classroom/EYFS shared,KS1 shared",
}
# Columns: kind count bought warranty os gone gaps serial place (PLACES key, or Room/Assigned_to
# with _ for space) model. "school" lines: id, tag code, day of the WEEE collection for "gone" kit.
KIT = """school oakfield-primary OAK 2025-07-18
@oak-srv01    1 2019-03-14 5 deb12    0 0 ???????        Comms_cabinet
@oak-ws01     1 2023-02-06 5 deb12    0 0 ???????        Year_6_classroom
@oak-sw01     1 2022-08-08 5 xe179    0 0 FOC####????    Comms_cabinet
@oak-sw02     1 2015-07-20 5 ios2960  0 0 FOC####????    KS2_block_cabinet
firewall      1 2021-08-09 5 fos72    0 0 FGT60F######## Comms_cabinet Fortinet FortiGate 60F
ups           2 2019-03-14 2 -        0 0 AS##########   oak-ups APC Smart-UPS SMT1500RMI2UC
access_point  4 2021-08-16 7 aos10    0 0 CNM???####     classes Aruba AP-505
access_point  3 2016-07-25 3 inst86   0 0 CNF???####     classes Aruba AP-205
laptop       14 2024-07-22 3 win11    0 0 PF??????       staff Lenovo ThinkPad E14 Gen 5
laptop        6 2019-08-19 1 win10    2 1 5CD#####??     staff HP ProBook 450 G6
laptop       30 2022-09-05 3 cros30   0 2 PF??????       oak-cb Lenovo 300e Chromebook Gen 3
tablet       16 2018-03-26 1 ipad17   1 1 DMP???????     KS1_trolley Apple iPad (6th generation)
desktop       3 2023-02-06 5 win11    0 0 ???????        School_office Dell OptiPlex 3000 Micro
display       8 2022-08-22 5 -        0 0 AP9#######     classes Promethean ActivPanel 9 75in
printer       1 2020-09-01 5 -        0 0 R4P#######     School_office Kyocera TASKalfa 3253ci
printer       1 2021-01-11 1 -        0 0 VNB3R#####     Staff_room HP Color LaserJet Pro M479fdw
school riverside-academy RIV 2026-07-24
@riv-svc01    1 2023-04-17 5 deb12    0 0 ???????        Server_room
@riv-rad01    1 2023-04-17 5 deb12    0 0 ???????        Server_room
@riv-bak01    1 2023-04-17 5 deb12    0 0 ???????        Server_room
@riv-mon01    1 2024-01-15 5 deb12    0 0 ???????        Server_room
@riv-ws01     1 2023-09-04 5 deb12    0 0 MJ0?????       IT_suite_3
@riv-core01   1 2023-07-24 5 cx1013   0 0 SG##?#####     Server_room
@riv-sw01     1 2023-07-24 5 cx1013   0 0 SG##?#####     Science_block_hub_room
@riv-sw02     1 2023-07-24 5 cx1013   0 0 SG##?#####     IT_block_hub_room
@riv-sw03     1 2020-08-10 5 cx1011   0 0 SG##?#####     Sports_hall_cabinet
firewall      1 2023-07-24 5 fos74    0 0 FG100F######## Server_room Fortinet FortiGate 100F
ups           2 2023-04-17 3 -        0 0 AS##########   Server_room APC Smart-UPS SMT3000RMI2UC
ups           3 2019-09-02 2 -        0 0 AS##########   riv-ups APC Smart-UPS SMT1500RMI2UC
access_point 10 2023-07-24 7 aos10    0 0 CNR???####     rooms Aruba AP-635
access_point  6 2020-08-10 7 aos10    0 0 CNM???####     rooms Aruba AP-505
laptop       40 2025-07-21 3 win11    0 2 PF??????       staff Lenovo ThinkPad E14 Gen 6
laptop       22 2020-09-07 3 win11old 2 0 ???????        staff Dell Latitude 3510
laptop        5 2022-03-07 1 macos    0 0 FVF???????     A6/Media_dept Apple MacBook Air (M1, 2020)
desktop      30 2023-07-31 5 win11    0 0 ???????        IT_suite_1 Dell OptiPlex 3000 Micro
desktop      30 2017-08-14 3 win10    4 2 ???????        IT_suite_2 Dell OptiPlex 3050
laptop       20 2021-09-06 3 cros29   0 0 NXA??########  Sixth_form_centre Acer Chromebook Spin 511
tablet       15 2023-01-09 2 ipad26   0 0 DMQ???????     riv-ipad Apple iPad (9th generation)
tablet        8 2019-10-14 1 ipad18   0 1 DMR???????     riv-ipad7 Apple iPad (7th generation)
display      32 2023-08-14 5 -        0 0 AP9#######     rooms Promethean ActivPanel 9 75in
display       8 2014-08-18 3 -        0 0 SBID65#######  rooms SMART Board 6065
printer       4 2022-09-01 5 -        0 0 R4V#######     riv-prn Kyocera TASKalfa 4054ci
printer       2 2021-01-11 1 -        0 0 VNB3R#####     Exams_office HP Color LaserJet Pro M479fdw
phone        14 2026-02-16 2 -        0 0 8051########   riv-phone Yealink SIP-T54W
school st-marys-ce-primary STM 2025-12-12
@stm-srv01    1 2022-09-05 5 deb12    0 0 ???????        Comms_room
@stm-sw01     1 2022-08-15 5 xe176    0 0 FOC####????    Comms_room
@stm-sw02     1 2022-08-15 3 ios1000  0 0 FOC####????    Early_years_cabinet
firewall      1 2022-08-15 5 fos74    0 0 FGT40F######## Comms_room Fortinet FortiGate 40F
ups           1 2022-09-05 3 -        0 0 AS##########   Comms_room APC Smart-UPS SMT1000RMI2UC
access_point  9 2022-08-15 7 ewc      0 0 FGL####????    classes Cisco C9115AXI-E
laptop       16 2025-08-26 3 win11    0 1 ???????        staff Dell Latitude 3550
laptop       24 2022-09-05 3 cros29   0 1 PF??????       KS2_trolley Lenovo 100e Chromebook Gen 3
tablet       12 2023-09-04 2 ipad26   0 0 DMT???????     stm-ipad Apple iPad (10th generation)
tablet        5 2018-09-03 1 ipad17   1 0 DMP???????     SEN_room/SENCo Apple iPad (6th generation)
desktop       2 2021-03-01 3 win10    0 0 CZC#####??     School_office HP ProDesk 400 G7 SFF
display       7 2022-08-22 5 -        0 0 CTUX########   classes Clevertouch UX Pro 2 65in
printer       1 2022-09-01 5 -        0 0 R4P#######     School_office Kyocera TASKalfa 3253ci
printer       1 2021-01-11 1 -        0 0 VNB3R#####     Staff_room HP Color LaserJet Pro M479fdw
"""


def serial(pattern: str) -> str:
    """A new trust-wide unique serial: in the pattern, '#' is a digit and '?' a letter or digit."""
    pick = {"#": "0123456789", "?": ALNUM}
    while True:
        value = "".join(RNG.choice(pick[c]) if c in pick else c for c in pattern)
        if value not in SERIALS:
            SERIALS.add(value)
            return value


def batch(fields: list[str], host: str, disposal: str, tags: Iterator[str]) -> list[dict[str, Any]]:
    """The register rows of one KIT line."""
    kind, count, bought, warranty, os_key, gone, gaps, pattern, place, model = fields
    where, _, who = PLACES.get(place, place.replace("_", " ")).partition("/")
    locations, people = where.split(","), [p for p in who.split(",") if p]
    incomplete = set(RNG.sample(range(int(gone), int(count)), int(gaps)))
    rows = []
    for i in range(int(count)):
        day = date.fromisoformat(bought) + timedelta(days=RNG.randint(0, 9))
        end = day.replace(year=day.year + int(warranty))  # no batch is bought in February
        person = people[i * len(people) // int(count)] if people else ""
        if person == "@staff":  # a staff code, as schools use, rather than a name
            person = "".join(RNG.choice(ALNUM[:24]) for _ in range(3))
        number, place = serial(pattern), locations[i % len(locations)]
        if i in incomplete:
            number, place = ("", place) if i % 2 else (number, "")
        if i < int(gone):
            place, person = "", ""
        cells = (next(tags), kind, model, number, place, person, host, day, end, *OS[os_key])
        rows.append(dict(zip(COLUMNS, (*cells, disposal if i < int(gone) else ""), strict=True)))
    return rows


def school_targets(school_file: Path) -> dict[str, list[str]]:
    """Hostname -> [asset type, model] for every target of a school inventory."""
    doc = yaml.safe_load(school_file.read_text(encoding="utf-8"))
    found = {}
    for child, body in doc[school_file.stem.replace("-", "_")]["children"].items():
        for name, host in body["hosts"].items():
            endpoint = host.get("device_role") == "endpoint"
            kind = "switch" if child.endswith("_switches") else "desktop" if endpoint else "server"
            found[name] = [kind, str(host["model"])]
    return found


def main(root: Path) -> None:
    """Write every school's register from KIT and the school inventories."""
    (root / "assets").mkdir(exist_ok=True)
    for block in KIT.split("school ")[1:]:
        header, *lines = block.strip().splitlines()
        school, code, disposal = header.split()
        targets = school_targets(root / "schools" / f"{school}.yml")
        tags = (f"MLT-{code}-{n:05d}" for n in itertools.count(1))
        assets = []
        for line in lines:
            fields, host = line.split(maxsplit=9), ""
            if fields[0].startswith("@"):
                host = fields[0].removeprefix("@")
                fields[0], model = targets.pop(host)
                fields.append(model)
            for row in batch(fields, host, disposal, tags):
                assets.append(Asset.model_validate({k: v or None for k, v in row.items()}))
        if targets:
            raise SystemExit(f"{school}: KIT has no line for {', '.join(targets)}")
        write_register(root / "assets" / f"{school}.csv", assets)
        print(f"{school}: {len(assets)} assets")


if __name__ == "__main__":
    default = Path(__file__).resolve().parents[1] / "inventories" / "example-trust"
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else default)
