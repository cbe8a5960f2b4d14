#!/usr/bin/env python3
# bin/bench's summary: reads the JSON rows the scenarios printed (one per run) and the LPUSH base, and prints per
# scenario its median, its ratio to the base and its details, then the same as JSON. BenchSmokeTest runs it over
# every scenario's output, so a scenario whose row lacks a field cannot break the summary.
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
base = float(sys.argv[2] or 0)
by = {}


def median_of(rs, key):
    """The median of a field over the runs, or None when the scenario does not report it."""
    values = [r[key] for r in rs if key in r]
    return statistics.median(values) if values else None


for r in rows:
    name = r["scenario"] + (" warm" if r.get("warm") else (" cold" if r["scenario"] in ("drain", "enqueue", "bulk", "latency") else ""))
    by.setdefault(name, []).append(r)
print(f"{'scenario':<12} {'runs':>4}  {'median':>14}  {'ratio to LPUSH':>14}  detail")
for name, rs in by.items():
    if "jobsPerSec" in rs[0] and not name.startswith("memory"):
        med = statistics.median(r["jobsPerSec"] for r in rs)
        # not every throughput scenario counts round trips or Redis CPU (flows does not): "n/a" then
        rt = median_of(rs, "roundTripsPerJob")
        ratio = med / base if base else 0
        # Redis CPU per job (ms per 1,000 jobs = µs per job): the share of the cost a faster client cannot remove
        redis_us = median_of(rs, "redisCpuMsPer1kJobs")
        # the spread of the runs: on a shared VM it says how far one median can be trusted
        lo, hi = min(r["jobsPerSec"] for r in rs), max(r["jobsPerSec"] for r in rs)
        trips = "n/a" if rt is None else f"{rt:.3f}"
        cpu = "n/a" if redis_us is None else f"{redis_us:.1f}"
        print(f"{name:<12} {len(rs):>4}  {med:>10.0f} j/s  {ratio:>13.2f}x  {trips} round trips/job, Redis {cpu} µs/job,"
              f" runs {lo / 1000:.0f}k-{hi / 1000:.0f}k")
        print(json.dumps({"scenario": name, "runs": len(rs), "medianJobsPerSec": med, "ratio": ratio, "roundTripsPerJob": rt,
                          "redisMicrosPerJob": redis_us, "minJobsPerSec": lo, "maxJobsPerSec": hi, "lpushOpsPerSec": base}))
    else:
        r = rs[0]
        detail = ", ".join(f"{k}={v:.2f}" if isinstance(v, float) else f"{k}={v}" for k, v in r.items() if k not in ("scenario", "warm"))
        print(f"{name:<12} {len(rs):>4}  {'':>14}  {'':>14}  {detail}")
        print(json.dumps(dict(r, lpushOpsPerSec=base)))
