"""bench/realtime_report.py OUTDIR: the table of bench/realtime.sh from its
pgbench runs (OUTDIR/MODE-CLIENTS-ROUND/tx.* per-transaction logs and
OUTDIR/MODE-CLIENTS-ROUND.txt summaries)."""
import glob
import os
import re
import statistics
import sys


def latencies_ms(run_dir):
    """Per-transaction latencies (ms) of a pgbench -l run."""
    out = []
    for f in glob.glob(os.path.join(run_dir, "tx*")):
        with open(f) as fh:
            for line in fh:
                parts = line.split()
                # client_id transaction_no time script_no time_epoch time_us
                if len(parts) >= 3:
                    out.append(int(parts[2]) / 1000.0)
    return out


def tps(summary):
    text = open(summary).read()
    m = re.search(r"tps = ([0-9.]+) \(without initial connection time\)", text)
    if not m:
        m = re.search(r"tps = ([0-9.]+)", text)
    return float(m.group(1))


def percentile(xs, q):
    xs = sorted(xs)
    k = max(0, min(len(xs) - 1, int(round(q * (len(xs) - 1)))))
    return xs[k]


def main(outdir):
    rows = []
    stats = {}
    for clients in (1, 2):
        for mode in ("off", "flag"):
            lat, rates = [], []
            for rnd in (1, 2):
                run = f"{mode}-{clients}-{rnd}"
                lat += latencies_ms(os.path.join(outdir, run))
                rates.append(tps(os.path.join(outdir, run + ".txt")))
            stats[(mode, clients)] = (len(lat), statistics.median(lat), percentile(lat, 0.95),
                                      percentile(lat, 0.99), statistics.mean(rates))
    print("| clients | realtime | transactions | tps | median ms | p95 ms | p99 ms |")
    print("|---:|---|---:|---:|---:|---:|---:|")
    for clients in (1, 2):
        for mode in ("off", "flag"):
            n, med, p95, p99, rate = stats[(mode, clients)]
            print(f"| {clients} | {mode} | {n} | {rate:.0f} | {med:.2f} | {p95:.2f} | {p99:.2f} |")
    print()
    print("| clients | added median latency ms | added p95 latency ms (target < 2) | throughput with / without (target ≥ 50 %) |")
    print("|---:|---:|---:|---:|")
    for clients in (1, 2):
        off, on = stats[("off", clients)], stats[("flag", clients)]
        print(f"| {clients} | {on[1] - off[1]:.2f} | {on[2] - off[2]:.2f} | {100.0 * on[4] / off[4]:.0f} % |")


if __name__ == "__main__":
    main(sys.argv[1])
