"""Bar chart of the produce suite: records/s per client and case, from `pnpm bench produce --save DIR`.

Usage: chart.py DIR/produce.json OUT.png
"""

import json
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def rate(outcome):
    if outcome["kind"] != "ok":
        return None
    result = outcome["result"]
    return result["records"] / (result["elapsedMs"] / 1000)


def label(case):
    acks = "all" if case.get("acks") == -1 else str(case.get("acks"))
    return f"acks={acks}\n{case['compression']}"


def size_label(size):
    return f"{size // 1024} KiB" if size >= 1024 else f"{size} B"


def main():
    source, target = sys.argv[1], sys.argv[2]
    data = json.load(open(source))
    clients = data["clients"]
    sizes = sorted({case["recordSize"] for case in data["results"]})
    width = 0.8 / len(clients)
    figure, panels = plt.subplots(1, len(sizes), figsize=(13, 5.5), dpi=110, squeeze=False)
    for panel, size in zip(panels[0], sizes):
        cases = [case for case in data["results"] if case["recordSize"] == size]
        for index, client in enumerate(clients):
            values = []
            for case in cases:
                run = next((r for r in case["runs"] if r["client"] == client["id"]), None)
                values.append((rate(run["outcome"]) if run else None) or 0)
            offset = (index - (len(clients) - 1) / 2) * width
            bars = panel.bar([p + offset for p in range(len(cases))], [v / 1000 for v in values], width,
                             label=client["label"])
            for bar, value in zip(bars, values):
                if value == 0:
                    panel.annotate("n/a", (bar.get_x() + bar.get_width() / 2, 0), ha="center", va="bottom",
                                   fontsize=7)
        panel.set_xticks(range(len(cases)))
        panel.set_xticklabels([label(case) for case in cases], fontsize=8)
        panel.set_title(f"{size_label(size)} records ({cases[0]['records']:,} per run)", fontsize=10)
        panel.set_ylabel("thousand records/s (higher is better)")
        # MB/s (10^6 bytes of values) on the right: the same bars, scaled by the record size.
        panel.secondary_yaxis(
            "right", functions=(lambda k, s=size: k * s / 1000, lambda mb, s=size: mb * 1000 / s)
        ).set_ylabel("MB/s")
        panel.grid(axis="y", alpha=0.3)
    panels[0][0].legend(fontsize=8)
    notes = data.get("notes", {})
    figure.suptitle("Produce throughput: one process per client, the same broker, one run", fontsize=11)
    figure.text(0.01, 0.01, notes.get("machineAtStart", ""), fontsize=6, color="gray")
    figure.tight_layout(rect=(0, 0.03, 1, 1))
    figure.savefig(target)


if __name__ == "__main__":
    main()
