#!/usr/bin/env python3
"""Readable summaries (Markdown tables) of a bench/ results directory.

    python3 bench/tables.py overhead|seeds|capacity RESULTS_DIR

Reads the loadgen summary.json files (and the scripts' own CSVs) and prints the tables that
docs/benchmarks.md quotes, with the issue's targets checked where they apply.
"""

import csv
import json
import os
import sys
from collections import defaultdict
from statistics import median


def load(path):
    with open(path) as f:
        return json.load(f)


def fmt(value, digits=1):
    if value is None:
        return "–"
    if isinstance(value, (int,)) or (isinstance(value, float) and value >= 1000):
        return f"{value:,.0f}"
    return f"{value:.{digits}f}"


def lat(summary, metric, key):
    stats = summary["latency_ms"].get(metric)
    return None if stats is None else stats[key]


def table(header, rows):
    out = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    out += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(out)


def machine(results):
    path = os.path.join(results, "machine.txt")
    return open(path).read().strip() if os.path.exists(path) else ""


# ---------------------------------------------------------------- overhead

def overhead(results):
    runs = defaultdict(list)  # (path, streams) -> [summary per round]
    runs_dir = os.path.join(results, "runs")
    for name in sorted(os.listdir(runs_dir)):
        summary = os.path.join(runs_dir, name, "summary.json")
        if os.path.isdir(os.path.join(runs_dir, name)) and os.path.exists(summary):
            _, path, level = name.split("-", 2)
            runs[(path, int(level[1:]))].append(load(summary))
    cpu = defaultdict(list)
    tokens_streamed = {}
    with open(os.path.join(results, "cpu.csv")) as f:
        for row in csv.DictReader(f):
            cpu[(row["path"], int(row["streams"]))].append(row)
    for name in os.listdir(runs_dir):
        timeline = os.path.join(runs_dir, name, "timeline.csv")
        if os.path.exists(timeline):
            with open(timeline) as f:
                tokens_streamed[name] = sum(int(r["output_tokens"]) for r in csv.DictReader(f))
    paths = [p for p in ["direct", "nginx", "haproxy", "llmserve"] if any(k[0] == p for k in runs)]
    levels = sorted({k[1] for k in runs})

    def agg(path, level, metric, key):  # median over rounds
        values = [lat(s, metric, key) for s in runs.get((path, level), []) if lat(s, metric, key) is not None]
        return median(values) if values else None

    def tput(path, level, key="output_tokens_per_s"):
        values = [s["throughput"][key] for s in runs.get((path, level), [])]
        return median(values) if values else None

    def failures(path, level):
        return sum(s["requests"]["failed"] for s in runs.get((path, level), []))

    print("# Serving-path overhead\n")
    print("```\n" + machine(results) + "\n```\n")
    rows = []
    for level in levels:
        base50, base99 = agg("direct", level, "ttft", "p50"), agg("direct", level, "ttft", "p99")
        for path in paths:
            p50, p99 = agg(path, level, "ttft", "p50"), agg(path, level, "ttft", "p99")
            add50 = None if p50 is None or base50 is None else p50 - base50
            add99 = None if p99 is None or base99 is None else p99 - base99
            rows.append([level, path, fmt(p50, 2), fmt(p99, 2), fmt(add50, 2) if path != "direct" else "–",
                         fmt(add99, 2) if path != "direct" else "–", fmt(agg(path, level, "itl", "p50"), 2),
                         fmt(agg(path, level, "e2el", "p99"), 0), fmt(tput(path, level, "requests_per_s"), 1),
                         fmt(tput(path, level), 0), failures(path, level)])
    print("## TTFT and throughput by path (ms; tokens/s over the measured window)\n")
    print(table(["streams", "path", "TTFT p50", "TTFT p99", "added p50", "added p99", "ITL p50", "E2EL p99",
                 "req/s", "output tok/s", "failed"], rows))

    print("\n## CPU seconds per 1,000 relayed tokens (whole run incl. warm-up)\n")
    rows = []
    for level in levels:
        for path in paths:
            entries = cpu.get((path, level), [])
            names = [n for n in os.listdir(runs_dir) if n.endswith(f"-{path}-c{level}") and n in tokens_streamed]
            tokens = sum(tokens_streamed[n] for n in names)
            if not entries or not tokens:
                continue
            k = tokens / 1000.0
            total = lambda col: sum(float(e[col]) for e in entries)
            client = sum(s.get("client_cpu_s") or 0 for s in runs.get((path, level), []))
            ours = sum(total(c) for c in ("sim_cpu", "nginx_cpu", "haproxy_cpu", "gateway_cpu", "replica_cpu")) + client
            seconds = total("seconds")
            foreign = (total("machine_busy") - ours) / seconds if "machine_busy" in entries[0] else None
            rows.append([level, path, f"{tokens:,}", fmt(client / k, 3), fmt(total("sim_cpu") / k, 3),
                         fmt(total("nginx_cpu") / k, 3) if path == "nginx" else "–",
                         fmt(total("haproxy_cpu") / k, 3) if path == "haproxy" else "–",
                         fmt(total("gateway_cpu") / k, 3) if path == "llmserve" else "–",
                         fmt(total("replica_cpu") / k, 3) if path == "llmserve" else "–",
                         fmt(100 * foreign / os.cpu_count(), 0) + " %" if foreign is not None else "–"])
    print(table(["streams", "path", "tokens", "loadgen", "engine", "nginx", "haproxy", "gateway", "replica",
                 "other processes (share of all cores)"], rows))
    print("\n'other processes': machine busy time during the run minus every process of the benchmark, "
          "averaged over the run: near 0 % means the numbers were taken on a quiet machine.")

    print("\n## Targets\n")
    checks = []
    if 100 in levels and "llmserve" in paths:
        a50 = diff(agg("llmserve", 100, "ttft", "p50"), agg("direct", 100, "ttft", "p50"))
        a99 = diff(agg("llmserve", 100, "ttft", "p99"), agg("direct", 100, "ttft", "p99"))
        checks.append(["gateway→replica adds < 1 ms p50 TTFT at 100 streams", fmt(a50, 2) + " ms", ok(a50, 1)])
        checks.append(["gateway→replica adds < 5 ms p99 TTFT at 100 streams", fmt(a99, 2) + " ms", ok(a99, 5)])
    top = max(levels) if levels else None
    if top and "nginx" in paths and "llmserve" in paths:
        ours = diff(agg("llmserve", top, "ttft", "p50"), agg("direct", top, "ttft", "p50"))
        theirs = diff(agg("nginx", top, "ttft", "p50"), agg("direct", top, "ttft", "p50"))
        limit = None if theirs is None else 3 * max(theirs, 0)
        checks.append([f"added TTFT p50 at {top} streams within 3× nginx's ({fmt(theirs, 2)} ms)",
                       fmt(ours, 2) + " ms", ok(ours, limit)])
        ours_t, nginx_t = tput("llmserve", top), tput("nginx", top)
        ratio = None if not ours_t or not nginx_t else ours_t / nginx_t
        checks.append([f"relayed tokens/s at {top} streams ≥ ½ nginx's ({fmt(nginx_t, 0)})",
                       f"{fmt(ours_t, 0)} ({fmt(ratio, 2)}×)", "met" if ratio and ratio >= 0.5 else "MISSED"])
    print(table(["target", "measured", "result"], checks))


def diff(a, b):
    return None if a is None or b is None else a - b


def ok(value, limit):
    if value is None or limit is None:
        return "n/a"
    return "met" if value < limit else "MISSED"


# ---------------------------------------------------------------- seeds

def seeds(results):
    print("# The seeds' scenario\n")
    print("```\n" + machine(results) + "\n```\n")
    summaries = {}
    for name in ["cluster", "ideal"]:
        path = os.path.join(results, name, "summary.json")
        if os.path.exists(path):
            summaries[name] = load(path)
    rows = []
    for name, s in summaries.items():
        rows.append([name, s["requests"]["successful"], s["requests"]["failed"],
                     fmt(lat(s, "ttft", "p50"), 0), fmt(lat(s, "ttft", "p95"), 0), fmt(lat(s, "ttft", "p99"), 0),
                     fmt(lat(s, "e2el", "p50"), 0), fmt(lat(s, "e2el", "p95"), 0), fmt(lat(s, "e2el", "p99"), 0),
                     fmt(s["throughput"]["requests_per_s"], 1), fmt(s["throughput"]["output_tokens_per_s"], 0),
                     s["max_concurrent_requests"]])
    print(table(["run", "ok", "failed", "TTFT p50", "TTFT p95", "TTFT p99", "E2EL p50", "E2EL p95", "E2EL p99",
                 "req/s", "output tok/s", "max in flight"], rows))
    if len(summaries) == 2:
        c, i = summaries["cluster"], summaries["ideal"]
        print("\n## llmserve / ideal (latency: lower is better, throughput: higher is better)\n")
        ratio = lambda a, b: None if not a or not b else a / b
        print(table(["metric", "ratio"], [
            ["TTFT p95", fmt(ratio(lat(c, "ttft", "p95"), lat(i, "ttft", "p95")), 2)],
            ["E2EL p95", fmt(ratio(lat(c, "e2el", "p95"), lat(i, "e2el", "p95")), 2)],
            ["req/s", fmt(ratio(c["throughput"]["requests_per_s"], i["throughput"]["requests_per_s"]), 2)],
            ["output tokens/s", fmt(ratio(c["throughput"]["output_tokens_per_s"],
                                          i["throughput"]["output_tokens_per_s"]), 2)]]))
    for name, s in summaries.items():
        if s["requests"]["failed"]:
            print(f"\n{name} failures: {json.dumps(s['requests']['by_outcome'])} "
                  f"{json.dumps(s['requests']['failure_examples'])}")


# ---------------------------------------------------------------- capacity

def capacity(results):
    print("# Stream capacity of one gateway\n")
    print("```\n" + machine(results) + "\n```\n")
    with open(os.path.join(results, "steps.csv")) as f:
        steps = list(csv.DictReader(f))
    print(table(["target streams", "open at gateway", "loadgen in flight", "heap used MiB (before GC)",
                 "heap live MiB (after full GC)", "heap committed MiB", "RSS MiB", "gateway CPU %", "load avg"],
                [[s["step"], s["gateway_streams"], s["client_in_flight"], s["heap_used_mib"], s["heap_live_mib"],
                  s["heap_committed_mib"], s["rss_mib"], s["gateway_cpu_pct"], s["load_avg"]] for s in steps]))
    outcomes = defaultdict(int)
    for name in sorted(os.listdir(results)):
        path = os.path.join(results, name, "summary.json")
        if name.startswith("load-") and os.path.exists(path):
            s = load(path)
            for outcome, count in s["requests"]["by_outcome"].items():
                outcomes[outcome] += count
            with open(os.path.join(results, name, "timeline.csv")) as f:
                p99s = [float(r["ttft_p99_ms"]) for r in csv.DictReader(f) if r["ttft_p99_ms"]]
            print(f"\n{name}: {dict((k, v) for k, v in s['requests']['by_outcome'].items() if v)}, "
                  f"peak in flight {s['max_concurrent_requests']}, worst per-second TTFT p99 "
                  f"{fmt(max(p99s) if p99s else None)} ms, "
                  f"streamed {fmt(s['throughput']['streamed_output_tokens_per_s'], 0)} tokens/s")
            if s["requests"]["failure_examples"]:
                print("  failures: " + json.dumps(s["requests"]["failure_examples"]))
    failed = sum(v for k, v in outcomes.items() if k not in ("success", "cancelled"))
    print(f"\nall steps: {dict(outcomes)}; failed {failed}")


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] not in ("overhead", "seeds", "capacity"):
        sys.exit(__doc__)
    {"overhead": overhead, "seeds": seeds, "capacity": capacity}[sys.argv[1]](sys.argv[2])
