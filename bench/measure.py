"""The pure parts of the bench: worker CPU from /proc, latency percentiles, the table.

Kept free of I/O so tests/bench/test_measure.py can check them without a server."""

import os
from dataclasses import dataclass

CLOCK_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


@dataclass(frozen=True)
class ProcStat:
    pid: int
    ppid: int
    cpu_ticks: int  # utime + stime


def parse_stat(text: str) -> ProcStat:
    """One /proc/<pid>/stat line. The command name (2nd field) is in parentheses and may
    hold spaces or parentheses itself, so the fields are counted after the last ')'."""
    pid = int(text[: text.index(" ")])
    rest = text[text.rindex(")") + 2 :].split()
    # rest[0] is field 3 (state): ppid is field 4, utime 14, stime 15.
    return ProcStat(pid=pid, ppid=int(rest[1]), cpu_ticks=int(rest[11]) + int(rest[12]))


def percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile (p50: fraction 0.5); 0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * fraction // 1))  # ceil(n × fraction), at least 1
    return ordered[int(rank) - 1]


@dataclass
class Sample:
    """One page loaded on one server for a while."""

    requests: int
    cpu_ticks: int
    latencies_ms: list[float]
    statements: int | None  # the most any request ran (None when not counted)
    errors: int = 0

    @property
    def cpu_ms(self) -> float:
        """Server CPU per request served, in milliseconds."""
        return self.cpu_ticks * 1000 / CLOCK_TICKS / self.requests if self.requests else float("nan")


def ratio(value: float, reference: float) -> float:
    return value / reference if reference else float("nan")


@dataclass
class Row:
    label: str
    bare: Sample
    city: Sample
    small: Sample | None = None

    @property
    def city_ratio(self) -> float:
        return ratio(self.city.cpu_ms, self.bare.cpu_ms)

    @property
    def small_ratio(self) -> float:
        return ratio(self.small.cpu_ms, self.bare.cpu_ms) if self.small else float("nan")

    @property
    def growth(self) -> float:
        """City ÷ small, each as its ratio to the bare page measured beside it (so a change
        of load on the machine between the two does not show as growth)."""
        return ratio(self.city_ratio, self.small_ratio) if self.small else float("nan")


HEADER = ("page", "CPU ms/req", "× bare", "p50 ms", "p99 ms", "SQL", "req", "small ms", "city ÷ small")


def _number(value: float, digits: int = 1) -> str:
    return "–" if value != value else f"{value:.{digits}f}"  # NaN: not measured


def table(rows: list[Row]) -> str:
    """The result as a Markdown table (what the README shows), city scale first."""
    lines = ["| " + " | ".join(HEADER) + " |", "|---|" + "---:|" * (len(HEADER) - 1)]
    for row in rows:
        city, small = row.city, row.small
        cells = [
            row.label,
            _number(city.cpu_ms),
            _number(row.city_ratio),
            _number(percentile(city.latencies_ms, 0.5)),
            _number(percentile(city.latencies_ms, 0.99)),
            "–" if city.statements is None else str(city.statements),
            str(city.requests) + (f" ({city.errors} failed)" if city.errors else ""),
            _number(small.cpu_ms) if small else "–",
            _number(row.growth),
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)
