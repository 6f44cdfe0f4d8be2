"""The runner: facts collected once per subject, collector and judge failures become findings."""

from __future__ import annotations

from pathlib import Path

import pytest

from matops.facts.model import (
    Fact,
    FactError,
    FactUnavailableError,
    Subject,
    TargetUnreachableError,
    make_evidence,
)
from matops.facts.network.model import NetworkConfig
from matops.inventory import load_trust
from matops.scan.catalogue import Check, load_catalogue
from matops.scan.meta import CheckMeta
from matops.scan.model import Status
from matops.scan.runner import FactCache, Selection, applies, at_or_above, judge_subject, run_checks
from matops.scan.verdict import Verdict, passed

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
CATALOGUE = load_catalogue()


class CountingProvider:
    """Provides running_config; counts collections; can be told to fail."""

    def __init__(self, error: Exception | None = None, config: NetworkConfig | None = None):
        self.calls = 0
        self.error = error
        self.config = config or NetworkConfig(platform="cisco_ios", telnet_enabled=True)

    def provides(self, subject: Subject) -> frozenset[str]:
        return frozenset({"running_config"}) if subject.kind == "target" else frozenset()

    def collect(self, name: str, subject: Subject) -> Fact:
        self.calls += 1
        if self.error is not None:
            raise self.error
        return Fact(name=name, value=self.config, evidence=make_evidence("file:x.cfg", "x"))


@pytest.fixture(scope="module")
def trust():  # type: ignore[no-untyped-def]
    return load_trust(FIXTURES / "trusts" / "mini")


def _switch(trust) -> Subject:  # type: ignore[no-untyped-def]
    return Subject.of_target(next(t for t in trust.targets("switch") if t.platform == "cisco_ios"))


def _twin(check: Check, new_id: str) -> Check:
    """A second check using the same facts (to prove facts are shared)."""
    meta = CheckMeta.model_validate(
        {
            **check.meta.model_dump(by_alias=True),
            "id": new_id,
            "remediation": {"network_template": "x"},
        }
    )
    return Check(meta=meta, judge=check.judge, folder=check.folder)


def test_each_fact_is_collected_once_per_subject(trust) -> None:  # type: ignore[no-untyped-def]
    telnet = CATALOGUE.get("switch_telnet_disabled")
    provider = CountingProvider()
    results = judge_subject(
        _switch(trust), [telnet, _twin(telnet, "switch_telnet_again")], [provider]
    )
    assert provider.calls == 1
    assert [r.status for r in results] == [Status.FAIL, Status.FAIL]  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("error", "status"),
    [
        (TargetUnreachableError("ssh: connection refused"), Status.UNREACHABLE),
        (FactError("cannot parse"), Status.ERROR),
        (RuntimeError("collector bug"), Status.ERROR),
    ],
)
def test_collector_failures_become_findings(trust, error: Exception, status: Status) -> None:  # type: ignore[no-untyped-def]
    telnet = CATALOGUE.get("switch_telnet_disabled")
    (finding,) = judge_subject(_switch(trust), [telnet], [CountingProvider(error=error)])
    assert finding.status is status  # type: ignore[union-attr]
    assert str(error) in finding.detail  # type: ignore[union-attr]


def test_unavailable_fact_skips_the_check(trust) -> None:  # type: ignore[no-untyped-def]
    telnet = CATALOGUE.get("switch_telnet_disabled")
    (result,) = judge_subject(
        _switch(trust), [telnet], [CountingProvider(error=FactUnavailableError("no file"))]
    )
    assert not hasattr(result, "status")
    assert "no file" in result.reason  # type: ignore[union-attr]


def test_no_provider_skips_with_the_missing_fact(trust) -> None:  # type: ignore[no-untyped-def]
    telnet = CATALOGUE.get("switch_telnet_disabled")
    (result,) = judge_subject(_switch(trust), [telnet], [])
    assert "running_config" in result.reason  # type: ignore[union-attr]


def test_judge_exception_becomes_error(trust) -> None:  # type: ignore[no-untyped-def]
    telnet = CATALOGUE.get("switch_telnet_disabled")

    def broken(running_config: NetworkConfig) -> Verdict:
        raise ValueError("bad judge")

    check = Check(meta=telnet.meta, judge=broken, folder=telnet.folder)
    (finding,) = judge_subject(_switch(trust), [check], [CountingProvider()])
    assert finding.status is Status.ERROR  # type: ignore[union-attr]
    assert "bad judge" in finding.detail  # type: ignore[union-attr]


def test_fact_cache_remembers_failures() -> None:
    provider = CountingProvider(error=FactError("boom"))
    subject = Subject("target", "x", "s")
    cache = FactCache(subject, [provider])
    for _ in range(3):
        with pytest.raises(FactError):
            cache.get("running_config")
    assert provider.calls == 1


def test_applies_to_filters_kinds_and_register(trust) -> None:  # type: ignore[no-untyped-def]
    telnet = CATALOGUE.get("switch_telnet_disabled")
    eos = CATALOGUE.get("asset_within_end_of_support")
    linux = Subject.of_target(trust.targets("linux")[0])
    school = trust.schools[0]
    asset = Subject.of_asset(school.id, school.assets[0])
    assert (
        applies(telnet, _switch(trust))
        and not applies(telnet, linux)
        and not applies(telnet, asset)
    )
    assert applies(eos, asset) and not applies(eos, _switch(trust))


def test_selection_by_school_and_target(trust) -> None:  # type: ignore[no-untyped-def]
    everything = Selection().subjects(trust)
    alpha = Selection(schools=frozenset({"alpha-primary"})).subjects(trust)
    one = Selection(targets=frozenset({"alpha-sw01"})).subjects(trust)
    assert {s.school for s in alpha} == {"alpha-primary"} and len(alpha) < len(everything)
    assert [s.name for s in one] == ["alpha-sw01"]


def test_run_checks_keeps_subject_order_and_threshold(trust) -> None:  # type: ignore[no-untyped-def]
    telnet = CATALOGUE.get("switch_telnet_disabled")
    subjects = Selection().subjects(trust)
    output = run_checks(subjects, [telnet], [CountingProvider()], workers=4)
    switches = [s.name for s in subjects if s.target is not None and s.target.kind == "switch"]
    assert [f.target for f in output.findings] == switches
    from matops.scan.model import Severity

    assert at_or_above(output.findings, Severity.HIGH) == output.findings
    assert at_or_above(output.findings, Severity.CRITICAL) == []
    assert at_or_above(output.findings, None) == []


def test_passed_helper() -> None:
    assert passed("ok").status.value == "pass"
