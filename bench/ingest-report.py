#!/usr/bin/env python3
"""Formats bench/ingest's measurements (TSV) as the markdown report with the issue's targets.

  ingest-report.py RESULTS.tsv PEER.facts QUESTLOG.facts ELAPSED_S SECONDS_PER_RUN API_JAVA_OPTS LOAD_FILE
"""
import csv
import datetime
import os
import sys

tsv, peer_facts, ql_facts, elapsed, secs, api_opts, load_file = sys.argv[1:8]
rows = list(csv.DictReader(open(tsv), delimiter="\t"))


def facts(path):
    name, hwm, records = open(path).read().split()
    return {"hwm_mib": int(hwm), "records": int(records)}


facts_by = {"peer": facts(peer_facts), "questlog": facts(ql_facts)}


def num(v):
    try:
        return float(v)
    except (TypeError, ValueError):
        return 0.0


def find(system, tool, prefix):
    for r in rows:
        if r["system"] == system and r["tool"] == tool and r["scenario"].startswith(prefix):
            return r
    return None


def fmt(v, digits=0):
    if v in ("", None):
        return ""
    x = num(v)
    return f"{x:,.{digits}f}"


out = []
out.append("# Ingest benchmark: Questlog's ingest-api vs the seed's Flask design")
out.append("")
out.append(f"Latest run of `bench/ingest`: {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC, "
           f"{os.cpu_count()} cores, one Kafka 4.1.1 broker on the same machine, {secs} s per measurement, "
           f"{elapsed} s in all. Load generators, API and broker share the machine.")
load = open(load_file).read().split()
out.append("")
out.append(f"Machine before the run: load average {load[0]} {load[1]} {load[2]}, {load[3]}% of both cores busy "
           "with other work (other sessions' stacks and builds may share these 2 cores: compare the systems "
           "within one run, not across runs).")
out.append("")
out.append("| system | tool | scenario | conc. | requests/s | events/s | p50 ms | p99 ms | non-2xx |")
out.append("|---|---|---|---:|---:|---:|---:|---:|---:|")
for r in rows:
    out.append("| {system} | {tool} | {scenario} | {conc} | {rps} | {eps} | {p50} | {p99} | {bad} |".format(
        system=r["system"], tool=r["tool"], scenario=r["scenario"], conc=r["concurrency"],
        rps=fmt(r["requests_per_s"]), eps=fmt(r["events_per_s"]), p50=r["p50_ms"], p99=r["p99_ms"], bad=r["non_2xx"]))
out.append("")
out.append("| system | peak resident memory (VmHWM) | records that reached Kafka during its runs |")
out.append("|---|---:|---:|")
for s in ("peer", "questlog"):
    out.append(f"| {s} | {facts_by[s]['hwm_mib']} MiB | {facts_by[s]['records']:,} |")
out.append("")

peer_single = find("peer", "ab", "single")
ql_single = find("questlog", "ab", "single")
peer_post = find("peer", "wrk", "single")
ql_post = find("questlog", "wrk", "single")
raw = find("raw", "ProducerPerformance", "")
ql_batch = [r for r in rows if r["system"] == "questlog" and r["scenario"].startswith("batch")]
best_batch = max(ql_batch, key=lambda r: num(r["events_per_s"])) if ql_batch else None
half = find("questlog", "wrk", "half peak")


def ratio(a, b):
    return num(a) / num(b) if num(b) > 0 else 0.0


checks = []
r1 = ratio(ql_single["requests_per_s"], peer_single["requests_per_s"]) if ql_single and peer_single else 0
r1b = ratio(ql_post["requests_per_s"], peer_post["requests_per_s"]) if ql_post and peer_post else 0
checks.append(("single-event requests >= 25x the Flask peer",
               f"{r1:.1f}x with ab (GET /purchase_a_sword), {r1b:.1f}x with wrk (POST /events, one event)",
               r1 >= 25 and r1b >= 25))
rb = ratio(best_batch["events_per_s"], raw["events_per_s"]) if best_batch and raw else 0
checks.append(("batched ingest >= 60% of the raw producer rate",
               f"{fmt(best_batch['events_per_s']) if best_batch else '?'} events/s ({best_batch['tool'] if best_batch else ''}) "
               f"= {rb * 100:.0f}% of {fmt(raw['events_per_s']) if raw else '?'} records/s", rb >= 0.6))
if half:
    checks.append(("p99 < 10 ms at half of peak rate",
                   f"p99 {half['p99_ms']} ms, p50 {half['p50_ms']} ms at {fmt(half['requests_per_s'])} req/s ({half['scenario'].split(' at ')[-1]} asked)",
                   num(half["p99_ms"]) < 10 and num(half["non_2xx"]) == 0))
hwm = facts_by["questlog"]["hwm_mib"]
checks.append(("API resident memory < 512 MB", f"VmHWM {hwm} MiB ({api_opts})", hwm * 1.048576 < 512))
claimed = sum(num(r["events_per_s"]) * 0 + (num(r["requests"]) - num(r["non_2xx"])) *
              (500 if r["scenario"].startswith("batch") else 1)
              for r in rows if r["system"] == "questlog")

out.append("## Targets (issue 3)")
out.append("")
out.append("| target | measured | met |")
out.append("|---|---|---|")
for name, measured, ok in checks:
    out.append(f"| {name} | {measured} | {'yes' if ok else '**no**'} |")
out.append("")
out.append("## How it was measured")
out.append("")
out.append("- `raw`: `org.apache.kafka.tools.ProducerPerformance` (kafka-tools 4.1.1), acks=all, idempotent, lz4, "
           "linger.ms=1 (as ingest-api), payloads drawn from 2,000 envelopes of 400-700 bytes shaped like the ones ingest-api writes.")
out.append("- `peer`: `bench/peers/flask_ingest.py`, the seed's design: Flask's development server (`app.run()`), "
           "kafka-python with its defaults (acks=1), the request headers merged into the event; it answers without "
           "waiting for Kafka, so its numbers are for a weaker guarantee than Questlog's.")
out.append(f"- `questlog`: `java {api_opts} -jar ingest-api/target/ingest-api.jar`, acks=all, idempotent producer; "
           "a 200 means Kafka acknowledged every event of the request.")
out.append("- Saturation runs: `ab -k -r -c 64 -t N` and `wrk -t2 -c64 -d N --latency` (`bench/ingest-post.lua`). "
           "Batches are 500 NDJSON user events (114 KB). ab reports whole milliseconds.")
out.append("- Half peak: `wrk -t2 -c32` paced by `bench/ingest-rate.lua` at half the ab single-event rate of the same "
           "system; wrk times each request from its actual send (no coordinated-omission correction).")
out.append("- Memory: VmHWM of the API process from /proc after all its runs. Records that reached Kafka: end offsets "
           "of `events` before and after each system's runs (warm-up excluded).")
print("\n".join(out))
