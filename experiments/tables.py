#!/usr/bin/python3
"""Prints a Markdown table per runs CSV (docs/experiments/*.csv): mean and sample standard
deviation of the accuracy over seeds, per configuration, in the order the configurations appear.

    /usr/bin/python3 experiments/tables.py docs/experiments/lr-ablation.csv
"""
import csv
import math
import sys


def table(path):
    groups = {}
    with open(path) as f:
        rows = list(csv.DictReader(f))
    acc_col = "test_accuracy" if "test_accuracy" in rows[0] else "val_accuracy"
    for r in rows:
        groups.setdefault(r["config"], []).append(r)
    out = [f"| config | seeds | epochs | diverged at | {acc_col} mean ± sd | final loss (mean)* "
           "| max unit norm (largest)* | wall s (mean) |",
           "|---|---|---|---|---|---|---|---|"]
    for config, rs in groups.items():
        acc = [float(r[acc_col]) for r in rs]
        m = sum(acc) / len(acc)
        sd = math.sqrt(sum((a - m) ** 2 for a in acc) / (len(acc) - 1)) if len(acc) > 1 else 0.0
        # loss and norm over the runs that did not diverge (NaN when every run diverged)
        live = [r for r in rs if not r["diverged_at"]]
        loss = sum(float(r["final_loss"]) for r in live) / len(live) if live else float("nan")
        norm = max((float(r["max_unit_norm"]) for r in live), default=float("nan"))
        div = " ".join(r["diverged_at"] for r in rs if r["diverged_at"]) or "-"
        epochs = "/".join(sorted({r["epochs"] for r in rs}))
        secs = sum(float(r["wall_seconds"]) for r in rs) / len(rs)
        out.append(f"| {config} | {len(rs)} | {epochs} | {div} | {m:.4f} ± {sd:.4f} | {loss:.4g} "
                   f"| {norm:.4g} | {secs:.0f} |")
    out.append("")
    out.append("\\* over the runs that did not diverge")
    return "\n".join(out)


if __name__ == "__main__":
    for p in sys.argv[1:]:
        print(f"`{p}`\n\n{table(p)}\n")
