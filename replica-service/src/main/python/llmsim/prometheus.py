"""Minimal Prometheus text exposition (format 0.0.4), rendered the way prometheus_client does it."""

import math
import time
from bisect import bisect_left


def go_float(value: float) -> str:
    """prometheus_client's floatToGoString: 1.0, 0.005, +Inf, 1.73e+09."""
    value = float(value)
    if value == math.inf:
        return "+Inf"
    if value == -math.inf:
        return "-Inf"
    if math.isnan(value):
        return "NaN"
    text = repr(value)
    dot = text.find(".")
    if value > 0 and dot > 6:
        mantissa = f"{text[0]}.{text[1:dot]}{text[dot + 1:]}".rstrip("0.")
        return f"{mantissa}e+0{dot - 1}"
    return text


def label_text(labels: dict) -> str:
    """Labels sorted by name, values escaped: {engine="0",model_name="m"}."""
    inner = ",".join(f'{name}="{_escape(str(labels[name]))}"' for name in sorted(labels))
    return "{" + inner + "}"


def _escape(value: str) -> str:
    return value.replace("\\", r"\\").replace("\n", r"\n").replace('"', r"\"")


def header(name: str, help_text: str, kind: str) -> list[str]:
    return [f"# HELP {name} {help_text}", f"# TYPE {name} {kind}"]


def sample(name: str, labels: dict, value: float) -> str:
    return f"{name}{label_text(labels)} {go_float(value)}"


class Histogram:
    """Bucketed observations; `observe` is O(log buckets) and allocation-free."""

    __slots__ = ("bounds", "counts", "total", "count", "created")

    def __init__(self, bounds: list[float]):
        self.bounds = [float(bound) for bound in bounds]
        self.counts = [0] * (len(bounds) + 1)
        self.total = 0.0
        self.count = 0
        self.created = time.time()

    def observe(self, value: float) -> None:
        self.counts[bisect_left(self.bounds, value)] += 1
        self.total += value
        self.count += 1

    def render(self, name: str, labels: dict) -> list[str]:
        lines, cumulative = [], 0
        for bound, count in zip(self.bounds + [math.inf], self.counts):
            cumulative += count
            lines.append(sample(f"{name}_bucket", {**labels, "le": go_float(bound)}, cumulative))
        lines.append(sample(f"{name}_count", labels, self.count))
        lines.append(sample(f"{name}_sum", labels, self.total))
        lines.append(sample(f"{name}_created", labels, self.created))
        return lines


def counter_lines(name: str, help_text: str, series: list[tuple[dict, float]], created: float) -> list[str]:
    """A counter family `<name>_total` with its `<name>_created` samples."""
    lines = header(f"{name}_total", help_text, "counter")
    for labels, value in series:
        lines.append(sample(f"{name}_total", labels, value))
        lines.append(sample(f"{name}_created", labels, created))
    return lines


def gauge_lines(name: str, help_text: str, series: list[tuple[dict, float]]) -> list[str]:
    return header(name, help_text, "gauge") + [sample(name, labels, value) for labels, value in series]


def histogram_lines(name: str, help_text: str, histogram: Histogram, labels: dict) -> list[str]:
    return header(name, help_text, "histogram") + histogram.render(name, labels)
