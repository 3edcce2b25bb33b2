"""The summary table of the benchmarks: one row per target of issue 12, shared by run-startup,
run-signin and run-all (bench/README.md says what each row means).

A row is a dict: target (what is measured), measured, unit ("ms" or "KiB"), and either a floor
(floor, floor_value: the ratio measured/floor_value is held to limit) or none (measured itself is
held to limit, in unit). Rows of one target follow each other; the table prints the target once.
"""

import json
import os
import pathlib


def ratio_row(target, measured, unit, floor, floor_value, limit):
    ratio = measured / floor_value
    return {"target": target, "measured": measured, "unit": unit, "floor": floor,
            "floor_value": floor_value, "ratio": ratio, "limit": limit, "ok": ratio <= limit}


def absolute_row(target, measured, unit, limit):
    return {"target": target, "measured": measured, "unit": unit, "floor": None,
            "floor_value": None, "ratio": None, "limit": limit, "ok": measured <= limit}


def all_ok(rows):
    return all(row["ok"] for row in rows)


def _amount(value, unit):
    return f"{value / 1024:.1f} MiB" if unit == "KiB" else f"{value:.1f} ms"


def table(rows):
    """The rows as a Markdown table (so bench/README.md can quote it as printed)."""
    lines = ["| target | measured | floor(s) | ratio | target ratio | ok? |",
             "| --- | ---: | --- | ---: | ---: | --- |"]
    previous = None
    for row in rows:
        same = row["target"] == previous
        previous = row["target"]
        target = "" if same else row["target"]
        measured = "" if same else _amount(row["measured"], row["unit"])
        if row["floor"] is None:
            floor, ratio = "—", "—"
            limit = f"≤ {_amount(row['limit'], row['unit'])}"
        else:
            floor = f"{row['floor']} {_amount(row['floor_value'], row['unit'])}"
            ratio = f"{row['ratio']:.2f}×"
            limit = f"≤ {row['limit']:.2f}×"
        verdict = "ok" if row["ok"] else "**MISS**"
        lines.append(f"| {target} | {measured} | {floor} | {ratio} | {limit} | {verdict} |")
    return "\n".join(lines)


def machine():
    """Cores, CPU model, Debian version and load average, for the line above a table."""
    model = "unknown CPU"
    try:
        for line in pathlib.Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        debian = "Debian " + pathlib.Path("/etc/debian_version").read_text().strip()
    except OSError:
        debian = "not Debian"
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    return f"{os.cpu_count()} cores, {model}, {debian}, load average {load}"


def write(path, rows):
    pathlib.Path(path).write_text(json.dumps(rows, indent=1) + "\n")


def read(path):
    return json.loads(pathlib.Path(path).read_text())


def emit(rows, results_path):
    """Writes the rows to results_path (for bench/run-all), or prints them as a table."""
    if results_path:
        write(results_path, rows)
    else:
        print("\n== targets ==\n" + table(rows))
