"""The bench's pure parts (bench/measure.py): /proc/<pid>/stat, percentiles, the table.
The bench itself (`make bench`) is not part of the test run."""

import math

from bench.measure import CLOCK_TICKS, Row, Sample, parse_stat, percentile, table

# A gunicorn worker's line, with a command name holding a space and a parenthesis.
STAT = (
    "4242 (gunicorn: w) rk) S 4200 4200 4200 0 -1 4194560 5012 0 0 0 "
    "731 129 0 0 20 0 1 0 123456 123456789 9876 18446744073709551615"
)


def test_parse_stat_reads_the_fields_after_the_command_name():
    stat = parse_stat(STAT)
    assert (stat.pid, stat.ppid, stat.cpu_ticks) == (4242, 4200, 731 + 129)


def test_percentile_is_nearest_rank():
    values = [float(v) for v in range(100, 0, -1)]  # 100 … 1, unsorted on purpose
    assert percentile(values, 0.5) == 50
    assert percentile(values, 0.99) == 99
    assert percentile([7.0], 0.99) == 7
    assert percentile([], 0.5) == 0


def sample(requests, ms_per_request, statements=None):
    return Sample(requests, round(requests * ms_per_request * CLOCK_TICKS / 1000), [1.0] * requests, statements)


def test_cpu_per_request_and_ratios():
    row = Row("page", bare=sample(1000, 1), city=sample(100, 20, 9), small=sample(100, 5))
    assert math.isclose(row.city.cpu_ms, 20)
    assert math.isclose(row.city_ratio, 20)
    assert math.isclose(row.growth, 4)  # 20× the bare page at city scale, 5× on the small demo
    assert math.isnan(Sample(0, 0, [], None).cpu_ms)  # nothing served: no figure


def test_table_has_one_line_per_page_and_marks_what_was_not_measured():
    rows = [
        Row("oversight", bare=sample(1000, 1), city=sample(100, 20, 12), small=sample(100, 5)),
        Row("search", bare=sample(1000, 1), city=Sample(0, 0, [], None, errors=3)),
    ]
    lines = table(rows).splitlines()
    assert lines[0].startswith("| page | CPU ms/req | × bare |")
    assert lines[2] == "| oversight | 20.0 | 20.0 | 1.0 | 1.0 | 12 | 100 | 5.0 | 4.0 |"
    assert lines[3] == "| search | – | – | 0.0 | 0.0 | – | 0 (3 failed) | – | – |"
