"""Which column of an export feeds which register field, chosen by name and by content.

Several headers can match one field (Snipe-IT's report has ``Warranty``, a number of months,
beside ``Warranty Expires``, a date; and ``Type``, what an asset is checked out to, beside
``Category``). Each candidate is judged on its values: a column whose values do not read as the
field's kind (dates, months, pounds, categories, statuses) is passed over, with the reason;
of the rest the best-named one with data is chosen. Every choice and every column passed over
is reported, so the technician sees what the import did.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from matops.inventory.import_values import (
    key,
    parse_category,
    parse_cost,
    parse_months,
    parse_status,
    parse_uk_date,
)


def _text(value: str) -> str:
    return value


def _assignee_kind(value: str) -> str:
    kind = value.strip().lower()
    if kind not in ASSIGNEE_KINDS:
        raise ValueError(f"{value!r} is not what an asset is checked out to (user, location...)")
    return kind


ASSIGNEE_KINDS = ("user", "location", "asset")
"""What Snipe-IT's report says an asset is checked out to (its ``Type`` column)."""

READERS: dict[str, Callable[[str], Any]] = {
    "text": _text,
    "date": parse_uk_date,
    "months": parse_months,
    "money": parse_cost,
    "category": parse_category,
    "status": parse_status,
    "assignee": _assignee_kind,
}

KIND_NAMES = {
    "date": "dates",
    "months": "numbers of months",
    "money": "amounts in pounds",
    "category": "asset categories",
    "status": "statuses",
    "assignee": "kinds of checkout (user, location, asset)",
}


@dataclass(frozen=True)
class FieldSpec:
    """A field the importer fills: its kind of value and the header names it answers to."""

    kind: str
    aliases: tuple[str, ...]
    """Keys (lower-case letters and digits) in order of preference."""


FIELDS: dict[str, FieldSpec] = {
    "asset_tag": FieldSpec(
        "text",
        ("assettag", "assetno", "assetnumber", "assetid", "annotatedassetid", "tag", "tagno"),
    ),
    "type": FieldSpec(
        "category", ("type", "category", "devicetype", "assettype", "categoryname", "kind", "class")
    ),
    "model": FieldSpec(
        "text", ("model", "modelname", "makemodel", "makeandmodel", "product", "description")
    ),
    "manufacturer": FieldSpec("text", ("manufacturer", "make", "brand")),
    "serial": FieldSpec("text", ("serial", "serialnumber", "serialno", "sn", "servicetag")),
    "location": FieldSpec(
        "text", ("location", "room", "locationroom", "annotatedlocation", "site", "building")
    ),
    "assigned_to": FieldSpec(
        "text",
        (
            "assignedto",
            "checkedoutto",
            "checkedout",
            "annotateduser",
            "user",
            "owner",
            "assignee",
            "allocatedto",
            "issuedto",
        ),
    ),
    "assigned_type": FieldSpec("assignee", ("type", "checkedouttotype", "assignedtype")),
    "hostname": FieldSpec(
        "text", ("hostname", "devicename", "computername", "assetname", "name", "host")
    ),
    "purchase_date": FieldSpec(
        "date", ("purchasedate", "purchased", "datepurchased", "dateofpurchase", "podate", "bought")
    ),
    "warranty_end": FieldSpec(
        "date",
        (
            "warrantyend",
            "warrantyexpires",
            "warrantyexpiry",
            "warrantyexpiration",
            "warrantyenddate",
            "warrantyuntil",
            "warranty",
        ),
    ),
    "warranty_months": FieldSpec(
        "months", ("warrantymonths", "warrantyperiod", "warrantylength", "warrantyterm", "warranty")
    ),
    "os": FieldSpec("text", ("os", "operatingsystem", "ostype", "firmware")),
    "os_version": FieldSpec(
        "text", ("osversion", "version", "firmwareversion", "osbuild", "build")
    ),
    "end_of_support": FieldSpec(
        "date",
        (
            "endofsupport",
            "eos",
            "eosdate",
            "supportend",
            "supportedto",
            "autoupdatethrough",
            "autoupdateexpiration",
            "aue",
            "eol",
            "eoldate",
            "endoflife",
        ),
    ),
    "disposed_date": FieldSpec(
        "date", ("disposeddate", "disposed", "disposaldate", "dateofdisposal", "writtenoff")
    ),
    "cost": FieldSpec(
        "money", ("cost", "purchasecost", "purchaseprice", "price", "unitcost", "costgbp")
    ),
    "disposal_ref": FieldSpec(
        "text",
        (
            "disposalref",
            "disposalreference",
            "certificateofdestruction",
            "destructioncertificate",
            "cdd",
            "cddref",
        ),
    ),
    "status": FieldSpec("status", ("status", "statuslabel", "assetstatus", "state")),
}
"""Fields in the order columns are given out: a header goes to the first field that takes it."""

IMPORT_ONLY = ("manufacturer", "warranty_months", "status", "assigned_type")
"""Fields read from the export to work out register values; not register columns themselves."""


@dataclass(frozen=True)
class PassedOver:
    """A header that matched a field's names but was not taken for it, and why."""

    header: str
    reason: str


@dataclass(frozen=True)
class ColumnChoice:
    """The header chosen for a field (or none) and the candidates passed over."""

    field: str
    header: str | None
    index: int | None
    passed_over: tuple[PassedOver, ...] = ()
    misfit: str | None = None
    """Why the chosen column's values mostly do not fit (it was the only one): rows reject."""

    def describe(self) -> str:
        """One line: ``warranty_end <- 'Warranty Expires' (passed over 'Warranty': ...)``."""
        chosen = f"{self.field} <- {self.header!r}" if self.header else f"{self.field}: no column"
        if self.misfit:
            chosen += f" (taken although its {self.misfit}: those rows are rejected)"
        if not self.passed_over:
            return chosen
        others = "; ".join(f"{p.header!r}: {p.reason}" for p in self.passed_over)
        return f"{chosen} (passed over {others})"


@dataclass
class ColumnPlan:
    """Every field's choice, and the headers no field took."""

    choices: list[ColumnChoice] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)

    def index(self, name: str) -> int | None:
        """The chosen column's position for a field, or None."""
        return next((c.index for c in self.choices if c.field == name), None)

    def header(self, name: str) -> str | None:
        """The chosen header for a field, or None."""
        return next((c.header for c in self.choices if c.field == name), None)


def _fit(kind: str, values: Sequence[str]) -> tuple[bool, str | None]:
    """Whether most of a column's values read as ``kind``; the first that does not, if any."""
    if kind == "text":
        return True, None
    reader = READERS[kind]
    good, bad = 0, []
    for value in values:
        try:
            reader(value)
            good += 1
        except ValueError:
            bad.append(value)
    return good >= len(bad), (bad[0] if bad else None)


def choose_columns(header: Sequence[str], rows: Sequence[Sequence[str]]) -> ColumnPlan:
    """Decide which header feeds each field, judging candidates by their values.

    A column whose values do not fit a field is passed over for it when another field's names
    and kind fit it (``Warranty`` in months goes to ``warranty_months``); when it fits nothing,
    it is still taken by its best-named field, so its bad values reject their rows rather than
    vanish.

    >>> plan = choose_columns(["Warranty", "Warranty Expires"], [["36", "2027-09-03"]])
    >>> plan.header("warranty_end"), plan.header("warranty_months")
    ('Warranty Expires', 'Warranty')
    """
    keys = [key(h) for h in header]
    columns = [
        [r[i].strip() for r in rows if i < len(r) and r[i].strip()] for i in range(len(keys))
    ]
    fit: dict[tuple[str, int], tuple[bool, str | None]] = {
        (name, i): _fit(spec.kind, columns[i])
        for name, spec in FIELDS.items()
        for i, k in enumerate(keys)
        if k in spec.aliases
    }
    fits_some = {i for (_name, i), (fits, _) in fit.items() if fits}
    taken: dict[int, str] = {}
    plan = ColumnPlan()
    for name, spec in FIELDS.items():
        candidates = sorted(
            (spec.aliases.index(k), i) for i, k in enumerate(keys) if k in spec.aliases
        )
        if not candidates:
            continue
        fitting: list[tuple[bool, int, int]] = []
        unfit: list[tuple[int, str]] = []
        passed: list[PassedOver] = []
        for rank, i in candidates:
            if i in taken:
                passed.append(PassedOver(header[i], f"already used for {taken[i]}"))
                continue
            fits, example = fit[(name, i)]
            if fits:
                fitting.append((not columns[i], rank, i))
                continue
            reason = f"values are not {KIND_NAMES[spec.kind]} (e.g. {example!r})"
            if i in fits_some:
                passed.append(PassedOver(header[i], reason))
            else:
                unfit.append((i, reason))
        fitting.sort()
        chosen = fitting[0][2] if fitting else (unfit[0][0] if unfit else None)
        for empty, _rank, i in fitting[1:]:
            reason = "empty" if empty else "also matches, less specific name or later column"
            passed.append(PassedOver(header[i], reason))
        for i, reason in unfit[0 if fitting else 1 :]:
            passed.append(PassedOver(header[i], reason))
        if chosen is not None:
            taken[chosen] = name
        plan.choices.append(
            ColumnChoice(
                name,
                header[chosen] if chosen is not None else None,
                chosen,
                tuple(passed),
                unfit[0][1] if not fitting and unfit else None,
            )
        )
    plan.ignored = [h for i, h in enumerate(header) if i not in taken]
    return plan
