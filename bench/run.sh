#!/usr/bin/env bash
# Build and run the Blackbox JMH benchmarks, then print a table of the results with each alternative's cost as a
# ratio to Blackbox's. What each benchmark measures: docs/benchmarks.md.
#
#   bench/run.sh [--quick] [--no-build] [JMH options and benchmark regexps...]
#
#   (no JMH arguments)  the suite, every class beside its alternatives in one run:
#                         EmitLatency -prof gc            avgt and sample, B/op
#                         EmitThroughput -t 1, -t 2, -t 4 records/s with 1, 2 and 4 emitting threads
#                         DrainerCost                     per record, drainer vs Chronicle's own append
#                         ExportThroughput                per record, export vs Jackson alone
#   --quick     the suite in a few minutes: one fork, iterations of 0.5 s (2 warmup, 3 measured) and fewer
#               single-shot invocations; with your own JMH arguments: -f 1 -wi 2 -w 1s -i 3 -r 1s
#   --no-build  use the benchmarks jar already in bench/target
#   anything else goes to JMH unchanged, in one run; `java -jar bench/target/benchmarks.jar -h` lists its options.
#
# Examples:
#   bench/run.sh --quick                           # the whole suite, about 3 minutes on 2 cores
#   bench/run.sh --quick -prof gc EmitLatency      # latency of one emit, allocation per op
#   bench/run.sh EmitThroughput -t 2               # sustained rate with 2 emitting threads
#
# Results: bench/target/jmh-results.json (so do not pass -rf/-rff yourself); JMH's console output is also in
# bench/target/jmh-output.log.
# Forks get the JVM flags from bench/target/jvm.options through @Fork(jvmArgsAppend = BenchJvm.ARGFILE).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

jar=bench/target/benchmarks.jar
results=bench/target/jmh-results.json
log=bench/target/jmh-output.log
build=1
quick=0
jmh_args=()
for arg in "$@"; do
    case "$arg" in
        --quick) quick=1 ;;
        --no-build) build=0 ;;
        *) jmh_args+=("$arg") ;;
    esac
done

# The suite: one line per JMH run, its arguments, then '|' and its --quick arguments.
steps=()
if [[ ${#jmh_args[@]} -eq 0 ]]; then
    timed_quick="-f 1 -wi 2 -w 500ms -i 3 -r 500ms"
    steps+=("EmitLatency -prof gc|$timed_quick")
    steps+=("EmitThroughput -t 1|$timed_quick")
    steps+=("EmitThroughput -t 2|$timed_quick")
    steps+=("EmitThroughput -t 4|$timed_quick")
    steps+=("DrainerCost|-f 1 -wi 5 -i 10")
    steps+=("ExportThroughput|-f 1 -wi 2 -i 4")
fi

if [[ $build == 1 ]]; then
    mvn -B -q -DskipTests install -pl bench -am
fi
if [[ ! -f $jar ]]; then
    echo "run.sh: $jar is missing; build it first (drop --no-build)" >&2
    exit 1
fi

rm -f "$results" "$log" bench/target/jmh-results-*.json
: > "$log"
parts=()
run_jmh() {
    local part="bench/target/jmh-results-${#parts[@]}.json"
    parts+=("$part")
    echo "run.sh: java -jar $jar $*" | tee -a "$log"
    java -jar "$jar" -rf json -rff "$part" "$@" 2>&1 | tee -a "$log"
}
if [[ ${#steps[@]} -eq 0 ]]; then
    quick_args=()
    [[ $quick == 0 ]] || quick_args=(-f 1 -wi 2 -w 1s -i 3 -r 1s)
    run_jmh ${quick_args[@]+"${quick_args[@]}"} "${jmh_args[@]}"
fi
for step in ${steps[@]+"${steps[@]}"}; do
    read -r -a args <<< "${step%%|*}"
    quick_args=()
    [[ $quick == 0 ]] || read -r -a quick_args <<< "${step#*|}"
    run_jmh ${quick_args[@]+"${quick_args[@]}"} "${args[@]}"
done

# One JSON array of every run's results (JMH writes a line "[", one object per benchmark, a line "]").
{
    echo "["
    first=1
    for part in "${parts[@]}"; do
        if [[ -s $part ]] && grep -q '{' "$part"; then
            [[ $first == 1 ]] || echo ","
            awk 'NR == FNR { if ($0 ~ /^\]/) last = FNR; next } FNR > 1 && FNR < last' "$part" "$part"
            first=0
        fi
    done
    echo "]"
} > "$results"
rm -f "${parts[@]}"
if ! grep -q '{' "$results"; then
    rm -f "$results"
    exit 0 # -l, -h and the like write no results
fi

echo
if command -v python3 > /dev/null; then
    python3 - "$results" "$log" <<'PY'
import json, math, re, sys

# The Blackbox benchmark every other benchmark of its class is compared with.
BASELINE = {
    "EmitLatency": "blackboxTrainStep",
    "EmitThroughput": "blackboxTrainStep",
    "DrainerCost": "blackboxEmitAndDrain",
    "ExportThroughput": "blackboxExport",
}
MODES = {"avgt": 0, "sample": 1, "ss": 2, "thrpt": 3}

def num(value):
    try:
        value = float(value)
    except (TypeError, ValueError):
        return ""
    if math.isnan(value):
        return ""
    return f"{value:.3f}" if abs(value) < 1000 else f"{value:.0f}"

def ratio(value):
    return "" if value is None else f"{value:.2f}"

runs = json.load(open(sys.argv[1]))
entries = []
for run in runs:
    full = run["benchmark"].removeprefix("io.blackbox.bench.")
    cls, _, method = full.rpartition(".")
    params = run.get("params") or {}
    name = full + (":" + ",".join(f"{k}={v}" for k, v in params.items()) if params else "")
    metric = run["primaryMetric"]
    percentiles = metric.get("scorePercentiles", {}) if run["mode"] == "sample" else {}
    entries.append({
        "run": run, "cls": cls.rpartition(".")[2], "method": method, "name": name,
        "group": (cls, run["mode"], run.get("threads"), tuple(sorted(params.items()))),
        "score": metric["score"], "p50": percentiles.get("50.0"),
    })

groups = {}
for e in entries:
    groups.setdefault(e["group"], []).append(e)

def cost_ratio(e, base, key):
    # Cost relative to Blackbox: time per op over Blackbox's; for throughput, Blackbox's ops/s over this one's.
    if base is None or e[key] is None or base[key] is None or not e[key] or not base[key]:
        return None
    if e["run"]["mode"] == "thrpt":
        return base[key] / e[key]
    return e[key] / base[key]

header = ["Benchmark", "Mode", "Thr", "Score", "Error", "Units", "xBlackbox", "p50", "p50 xBB", "p99", "p99.9", "B/op"]
rows = []
for key in sorted(groups, key=lambda g: (g[0], MODES.get(g[1], 9), g[2] or 0, g[3])):
    members = groups[key]
    wanted = BASELINE.get(members[0]["cls"])
    base = next((e for e in members if e["method"] == wanted), None) \
        or next((e for e in members if e["method"].startswith("blackbox")), None)
    members.sort(key=lambda e: (e is not base, cost_ratio(e, base, "score") or 0))
    if rows:
        rows.append(None)
    for e in members:
        run = e["run"]
        metric = run["primaryMetric"]
        percentiles = metric.get("scorePercentiles", {}) if run["mode"] == "sample" else {}
        alloc = run.get("secondaryMetrics", {}).get("gc.alloc.rate.norm", {})
        rows.append([e["name"], run["mode"], str(run.get("threads", "")),
                     num(metric["score"]), num(metric["scoreError"]), metric["scoreUnit"],
                     ratio(cost_ratio(e, base, "score")),
                     num(percentiles.get("50.0")), ratio(cost_ratio(e, base, "p50")),
                     num(percentiles.get("99.0")), num(percentiles.get("99.9")),
                     num(alloc.get("score"))])

print("xBlackbox: the benchmark's cost over Blackbox's, within one class, mode and thread count (the first row of")
print("each block is the Blackbox baseline, 1.00). Time modes (avgt, sample, ss): score / Blackbox's score.")
print("Throughput (thrpt, ops/s = records/s): inverted, Blackbox's ops/s / the benchmark's ops/s.")
print("So > 1 costs more than Blackbox, < 1 costs less. p50 xBB: the same for the sample mode's median.")
print()
widths = [max(len(row[i]) for row in [header] + rows if row) for i in range(len(header))]
for row in [header] + rows:
    if row is None:
        print()
        continue
    print("  ".join(cell.ljust(w) if i < 3 or i == 5 else cell.rjust(w)
                    for i, (cell, w) in enumerate(zip(row, widths))).rstrip())

# Lines the forks print about what they wrote (bytes on disk per record), with the benchmark they came from.
notes = []
benchmark = mode = threads = None
for line in open(sys.argv[2], errors="replace"):
    if line.startswith("# Benchmark: "):
        benchmark = line.split(": ", 1)[1].strip().removeprefix("io.blackbox.bench.").removeprefix("gradience.")
    elif line.startswith("# Benchmark mode: "):
        mode = line.split(": ", 1)[1].split(",")[0].strip()
    elif line.startswith("# Threads: "):
        threads = line.split(": ", 1)[1].split(" ")[0]
    match = re.search(r"bench: (.*)$", line.rstrip())
    if match and benchmark:
        notes.append(f"  {benchmark} ({mode}, {threads} thr): {match.group(1)}")
if notes:
    print()
    print("Written by the forks (bench/target/jmh-output.log):")
    for note in dict.fromkeys(notes):
        print(note)
PY
elif command -v jq > /dev/null; then
    echo "run.sh: python3 not found: no ratios; the plain results:"
    jq -r 'def r: if type == "number" then (. * 1000 | round / 1000) else . end;
        ["benchmark","mode","thr","score","error","units","p50","p99","p99.9","B/op"],
        (.[] | [(.benchmark | ltrimstr("io.blackbox.bench.")), .mode, .threads,
                (.primaryMetric.score | r), (.primaryMetric.scoreError | r), .primaryMetric.scoreUnit,
                (if .mode == "sample" then (.primaryMetric.scorePercentiles["50.0", "99.0", "99.9"] | r) else "", "", "" end),
                (.secondaryMetrics["gc.alloc.rate.norm"].score // "" | r)])
        | @tsv' "$results" | column -t -s $'\t'
    grep -o 'bench: .*' "$log" || true
else
    echo "run.sh: neither python3 nor jq found; results are in $results"
fi
