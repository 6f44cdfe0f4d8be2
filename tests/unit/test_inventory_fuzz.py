"""Property-based tests: malformed YAML and CSV always give clean problems, never a traceback."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matops.inventory import load
from matops.inventory.assets import parse_register
from matops.inventory.importer import import_csv
from tests.conftest import FIXTURES

SCHOOL = FIXTURES / "trusts" / "mini" / "schools" / "alpha-primary.yml"

yaml_fragments = st.sampled_from(
    [":", "- ", "  ", "\t", "{", "}", "[", "]", "&a", "*a", "!vault", "!!python/object", "'",
     '"', "#", "\n", "id: ", "999999999", "198.18.1.", "/33", "null", "~", "? ", "|", ">", "%"]
)  # fmt: skip


def _load_with_school_text(text: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "trust"
        shutil.copytree(FIXTURES / "trusts" / "mini", root)
        (root / "schools" / "alpha-primary.yml").write_text(text)
        result = load(root)
        for problem in result.problems:
            assert problem.line >= 1
            assert str(problem.path).startswith(str(root))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=300))
def test_random_text_as_school_file(text: str) -> None:
    _load_with_school_text(text)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_mutated_school_file(data: st.DataObject) -> None:
    original = SCHOOL.read_text()
    position = data.draw(st.integers(0, len(original)))
    cut = data.draw(st.integers(0, 40))
    insert = "".join(data.draw(st.lists(yaml_fragments, max_size=6)))
    _load_with_school_text(original[:position] + insert + original[position + cut :])


csv_cells = st.one_of(
    st.text(max_size=20),
    st.sampled_from(["", '"', '""', ",", "\n", "2024-02-30", "31/12/2020", "laptop", "x" * 50]),
)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.lists(csv_cells, max_size=15), max_size=8))
def test_random_register_rows(rows: list[list[str]]) -> None:
    header = (FIXTURES / "trusts" / "mini" / "assets" / "alpha-primary.csv").read_text()
    header = header.splitlines()[0]
    text = header + "\n" + "\n".join(",".join(r) for r in rows)
    assets, problems = parse_register(text, Path("assets/x.csv"))
    assert all(p.line >= 1 for p in problems)
    assert all(row.line >= 2 for row in assets)


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=400))
def test_random_text_as_register_or_import(text: str) -> None:
    parse_register(text, Path("assets/x.csv"))
    try:
        import_csv(text)
    except ValueError as exc:  # the one documented failure: no usable columns
        assert "no column for" in str(exc)
