"""``matops inventory``: validate, show and import into a trust's inventory."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from matops.commands.common import (
    EXIT_FINDINGS,
    EXIT_OK,
    EXIT_USAGE,
    TrustArg,
    console,
    err_console,
    fail,
    load_trust_or_exit,
    print_problems,
)
from matops.commands.connection import LabDirOption, LabOption, VaultOption
from matops.commands.device_import import import_from_plane
from matops.inventory import Severity, Trust, load
from matops.inventory.assets import read_register, write_register
from matops.inventory.importer import (
    ImportResult,
    import_csv,
    line_ranges,
    merge_assets,
    read_export,
)
from matops.paths import resolve_trust

app = typer.Typer(help="Validate, show and import into a trust's inventory.", no_args_is_help=True)


@app.command()
def validate(trust: TrustArg = None) -> None:
    """Check a trust's inventory; print every problem as path:line: message.

    Exit 0 when valid (warnings allowed), 2 when any error was found.

    Example: matops inventory validate inventories/example-trust
    """
    root = resolve_trust(trust)
    result = load(root)
    print_problems(result.problems)
    errors = [p for p in result.problems if p.severity is Severity.ERROR]
    if errors:
        err_console.print(f"{len(errors)} error(s) in {root}", highlight=False)
        raise typer.Exit(EXIT_USAGE)
    assert result.trust is not None
    trust_model = result.trust
    targets = trust_model.targets()
    console.print(
        f"[green]valid[/]: {root} — {len(trust_model.schools)} schools, {len(targets)} targets, "
        f"{sum(len(s.assets) for s in trust_model.schools)} assets",
        highlight=False,
    )


def _trust_json(trust: Trust, school: str | None) -> str:
    schools = [trust.school(school)] if school else trust.schools
    data = {
        "trust": trust.settings.model_dump(mode="json"),
        "schools": [s.model_dump(mode="json") for s in schools],
    }
    return json.dumps(data, indent=2)


def _schools_table(trust: Trust) -> Table:
    table = Table(title=f"{trust.settings.name} ({trust.settings.id})")
    for column in ("school", "name", "URN", "phase", "wave", "targets", "VLANs", "assets"):
        table.add_column(column)
    for s in trust.schools:
        table.add_row(
            s.id,
            s.info.name,
            str(s.info.urn),
            s.info.phase.value,
            str(s.info.wave),
            str(len(s.targets)),
            str(len(s.info.network.vlans)),
            str(len(s.assets)),
        )
    return table


def _targets_table(trust: Trust, school: str | None) -> Table:
    table = Table(title="Targets")
    for column in ("target", "school", "kind", "platform", "model", "role", "address"):
        table.add_column(column)
    for t in trust.targets():
        if school and t.school != school:
            continue
        v = t.vars
        row = (t.name, t.school, t.kind, v.platform, v.model, v.device_role, str(t.address))
        table.add_row(*(cell or "" for cell in row))
    return table


def _vlans_table(trust: Trust, school: str | None) -> Table:
    table = Table(title="VLAN plan")
    for column in ("school", "VLAN", "name", "purpose", "subnet"):
        table.add_column(column)
    for s in trust.schools:
        if school and s.id != school:
            continue
        for vlan in s.info.network.vlans:
            subnet = str(vlan.subnet) if vlan.subnet else ""
            table.add_row(s.id, str(vlan.id), vlan.name, vlan.purpose.value, subnet)
    return table


@app.command()
def show(
    trust: TrustArg = None,
    school: Annotated[str | None, typer.Option(help="Only this school (slug).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable JSON.")] = False,
) -> None:
    """Show schools, targets, VLANs and asset counts.

    Example: matops inventory show --school oakfield-primary
    """
    _root, model = load_trust_or_exit(trust)
    if school:
        try:
            model.school(school)
        except KeyError as exc:
            fail(str(exc.args[0]))
    if as_json:
        print(_trust_json(model, school))
        return
    console.print(_schools_table(model))
    console.print(_targets_table(model, school))
    console.print(_vlans_table(model, school))


@app.command("import-assets")
def import_assets(
    file: Annotated[
        Path | None,
        typer.Argument(help="CSV exported from an asset tool or spreadsheet.", exists=True),
    ] = None,
    school: Annotated[str, typer.Option(help="School slug whose register receives the rows.")] = "",
    trust: Annotated[str | None, typer.Option(help="Trust name or inventory folder.")] = None,
    replace: Annotated[bool, typer.Option(help="Replace the register instead of merging.")] = False,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show what would be imported; write nothing.")
    ] = False,
    from_intune: Annotated[
        bool,
        typer.Option(
            "--from-intune",
            help="Instead of FILE: propose rows for the school's Intune devices missing from "
            "the register (a CSV to check, never merged).",
        ),
    ] = False,
    from_google: Annotated[
        bool,
        typer.Option(
            "--from-google", help="The same for the school's ChromeOS devices in Google Admin."
        ),
    ] = False,
    output: Annotated[
        Path | None,
        typer.Option(
            help="With --from-*: where to write the proposed rows "
            "(default <school>-from-<plane>.csv here)."
        ),
    ] = None,
    tenants: Annotated[
        Path | None,
        typer.Option(
            "--tenants", help="With --from-*: read a saved `matops tenant export` folder instead."
        ),
    ] = None,
    lab: LabOption = False,
    lab_dir: LabDirOption = None,
    vault_password_file: VaultOption = None,
) -> None:
    """Normalise an asset tool's export (Snipe-IT, a spreadsheet...) into a school's register.

    Columns are matched by name and judged by their values: where several match (Snipe-IT's
    Warranty in months beside Warranty Expires) the one whose values fit is taken, and the
    choice is printed. Warranty in months counts from the purchase date; costs may carry £ and
    thousands separators; categories (Laptops, Chromebook, Access Points) and statuses (deployed,
    ready to deploy, archived, lost/stolen) are translated and the translations listed with their
    lines. Rows that cannot be taken are listed as FILE:LINE: reason; the rest are written.
    Exit 1 when any row was rejected.

    --from-intune / --from-google read the school's managed devices from the trust's tenants
    (read-only, as the scan reads them; --lab for the lab's) and write the rows proposed for
    those no register holds to a CSV, for the technician to check, tag and import; the register
    itself is not touched. Exit 1 when a tenant could not be read (nothing is written then).

    Example: matops inventory import-assets export.csv --school oakfield-primary

    Example: matops inventory import-assets --from-intune --school riverside-academy --lab
    """
    if not school:
        fail("--school is required")
    if from_intune and from_google:
        fail("give one of --from-intune and --from-google")
    if from_intune or from_google:
        if file is not None:
            fail("give either FILE or --from-intune/--from-google, not both")
        if replace:
            fail("--replace is for importing a FILE: --from-* proposes rows and writes no register")
        root, model = load_trust_or_exit(trust)
        _known_school(root, model, school)
        plane = "intune" if from_intune else "google"
        import_from_plane(
            root, model, school, plane, output or Path(f"{school}-from-{plane}.csv"),
            tenants_dir=tenants, lab=lab, lab_dir=lab_dir,
            vault_password_file=vault_password_file, dry_run=dry_run,
        )  # fmt: skip
    if file is None:
        fail("give the export to import (FILE), or --from-intune/--from-google")
    if output or tenants or lab or lab_dir:
        fail("--output, --tenants and --lab go with --from-intune/--from-google")
    root = resolve_trust(trust)
    target = root / "assets" / f"{school}.csv"
    if not (root / "schools" / f"{school}.yml").is_file():
        fail(f"no school {school!r} in {root} (expected {root / 'schools' / (school + '.yml')})")
    try:
        result = import_csv(read_export(file))
    except ValueError as exc:
        fail(f"{file}: {exc}")
    _print_import(file, result)
    existing = (
        [] if replace or not target.is_file() else [r.asset for r in read_register(target)[0]]
    )
    merged = merge_assets(existing, result.assets)
    if dry_run:
        console.print(
            f"dry run: would import {len(result.assets)} row(s), rejected "
            f"{len(result.rejected)}; {target} would have {len(merged)} assets",
            highlight=False,
        )
    else:
        target.parent.mkdir(parents=True, exist_ok=True)
        write_register(target, merged)
        console.print(
            f"imported {len(result.assets)} row(s), rejected {len(result.rejected)}; "
            f"{target} now has {len(merged)} assets",
            highlight=False,
        )
    raise typer.Exit(EXIT_FINDINGS if result.rejected else EXIT_OK)


def _known_school(root: Path, model: Trust, school: str) -> None:
    try:
        model.school(school)
    except KeyError as exc:
        fail(f"{exc.args[0]} ({root})")


def _print_import(file: Path, result: ImportResult) -> None:
    """Which column fed each field, what was ignored, how values were read, what was rejected."""
    console.print("columns:", highlight=False)
    for choice in result.choices:
        console.print(f"  {choice.describe()}", markup=False, highlight=False)
    if result.ignored_columns:
        ignored = ", ".join(result.ignored_columns)
        console.print(f"ignored columns: {ignored}", markup=False, highlight=False)
    if result.translations:
        console.print("read as:", highlight=False)
        for (said, became), lines in sorted(
            result.translations.items(), key=lambda item: (item[0][0].split()[0], item[1][0])
        ):
            where = f"line {lines[0]}" if len(lines) == 1 else f"lines {line_ranges(lines)}"
            console.print(f"  {said} -> {became} ({where})", markup=False, highlight=False)
    for line, reason in result.rejected:
        err_console.print(f"{file}:{line}: {reason}", markup=False, highlight=False)
