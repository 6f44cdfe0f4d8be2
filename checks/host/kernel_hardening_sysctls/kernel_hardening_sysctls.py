"""The kernel's hardening switches are on (pointer and log restriction, BPF, perf, ptrace…)."""

from __future__ import annotations

from matops.facts.linux.model import KernelSysctls, Virtualisation
from matops.scan.verdict import Verdict, listing, not_applicable, verdict_for

WANTED: dict[str, tuple[str, ...]] = {
    "kernel.kptr_restrict": ("1", "2"),
    "kernel.dmesg_restrict": ("1",),
    "kernel.unprivileged_bpf_disabled": ("1", "2"),
    "net.core.bpf_jit_harden": ("2",),
    "kernel.perf_event_paranoid": ("2", "3"),
    "dev.tty.ldisc_autoload": ("0",),
    "kernel.yama.ptrace_scope": ("1", "2", "3"),
    "kernel.randomize_va_space": ("2",),
    "fs.protected_hardlinks": ("1",),
    "fs.protected_symlinks": ("1",),
}
"""Key → the values that count as hardened."""


def judge(kernel_sysctls: KernelSysctls, virtualisation: Virtualisation) -> Verdict:
    """Fail on each key whose value is not a hardened one. A key the kernel does not have is
    named in the detail but not failed (a kernel without BPF has nothing to restrict). In a
    container these are the machine's settings, read-only inside: not applicable."""
    if virtualisation.in_container:
        return not_applicable(
            f"not possible in a container ({virtualisation.container}): the kernel's sysctls "
            "belong to the machine; harden them there"
        )
    problems = [
        f"{key} = {value} (want {' or '.join(WANTED[key])})"
        for key, value in kernel_sysctls.items()
        if key in WANTED and value is not None and value not in WANTED[key]
    ]
    unseen = [key for key in WANTED if key not in kernel_sysctls]
    absent = [key for key, value in kernel_sysctls.items() if value is None]
    if unseen:
        problems.append(f"not read: {listing(unseen)}")
    note = f"; not on this kernel: {listing(absent)}" if absent else ""
    verdict = verdict_for(problems, "kernel hardening sysctls set")
    return verdict.model_copy(update={"detail": verdict.detail + note})
