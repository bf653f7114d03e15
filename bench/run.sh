#!/usr/bin/env bash
# Build and run the Blackbox JMH benchmarks, then print a compact table of the results.
#
#   bench/run.sh [--quick] [--no-build] [JMH options and benchmark regexps...]
#
#   --quick     -f 1 -wi 2 -w 1s -i 3 -r 1s (a smoke run; the classes' defaults are 5 x 1s warmup and measurement)
#   --no-build  use the benchmarks jar already in bench/target
#   anything else goes to JMH unchanged; run `java -jar bench/target/benchmarks.jar -h` for its options.
#
# Examples:
#   bench/run.sh --quick -prof gc EmitLatency      # latency of one emit, allocation per op
#   bench/run.sh EmitThroughput -t 2               # sustained rate with 2 emitting threads (also -t 1, -t 4)
#
# Results: bench/target/jmh-results.json (so do not pass -rf/-rff yourself).
# Forks get the JVM flags from bench/target/jvm.options through @Fork(jvmArgsAppend = BenchJvm.ARGFILE).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

jar=bench/target/benchmarks.jar
results=bench/target/jmh-results.json
build=1
jmh_args=()
for arg in "$@"; do
    case "$arg" in
        --quick) jmh_args+=(-f 1 -wi 2 -w 1s -i 3 -r 1s) ;;
        --no-build) build=0 ;;
        *) jmh_args+=("$arg") ;;
    esac
done

if [[ $build == 1 ]]; then
    mvn -B -q -DskipTests install -pl bench -am
fi
if [[ ! -f $jar ]]; then
    echo "run.sh: $jar is missing; build it first (drop --no-build)" >&2
    exit 1
fi

rm -f "$results"
java -jar "$jar" -rf json -rff "$results" ${jmh_args[@]+"${jmh_args[@]}"}

if [[ ! -s $results ]]; then
    exit 0 # -l, -h and the like write no results
fi

echo
if command -v python3 > /dev/null; then
    python3 - "$results" <<'PY'
import json, math, sys

def num(value):
    try:
        value = float(value)
    except (TypeError, ValueError):
        return ""
    if math.isnan(value):
        return ""
    return f"{value:.3f}" if abs(value) < 1000 else f"{value:.0f}"

header = ["Benchmark", "Mode", "Thr", "Score", "Error", "Units", "p50", "p99", "p99.9", "B/op"]
rows = []
for run in json.load(open(sys.argv[1])):
    name = run["benchmark"].removeprefix("io.blackbox.bench.")
    params = run.get("params") or {}
    if params:
        name += ":" + ",".join(f"{k}={v}" for k, v in params.items())
    metric = run["primaryMetric"]
    percentiles = metric.get("scorePercentiles", {}) if run["mode"] == "sample" else {}
    alloc = run.get("secondaryMetrics", {}).get("gc.alloc.rate.norm", {})
    rows.append([name, run["mode"], str(run.get("threads", "")),
                 num(metric["score"]), num(metric["scoreError"]), metric["scoreUnit"],
                 num(percentiles.get("50.0")), num(percentiles.get("99.0")), num(percentiles.get("99.9")),
                 num(alloc.get("score"))])

widths = [max(len(row[i]) for row in [header] + rows) for i in range(len(header))]
for row in [header] + rows:
    print("  ".join(cell.ljust(w) if i < 3 or i == 5 else cell.rjust(w)
                    for i, (cell, w) in enumerate(zip(row, widths))).rstrip())
PY
elif command -v jq > /dev/null; then
    jq -r 'def r: if type == "number" then (. * 1000 | round / 1000) else . end;
        ["benchmark","mode","thr","score","error","units","p50","p99","p99.9","B/op"],
        (.[] | [(.benchmark | ltrimstr("io.blackbox.bench.")), .mode, .threads,
                (.primaryMetric.score | r), (.primaryMetric.scoreError | r), .primaryMetric.scoreUnit,
                (if .mode == "sample" then (.primaryMetric.scorePercentiles["50.0", "99.0", "99.9"] | r) else "", "", "" end),
                (.secondaryMetrics["gc.alloc.rate.norm"].score // "" | r)])
        | @tsv' "$results" | column -t -s $'\t'
else
    echo "run.sh: neither python3 nor jq found; results are in $results"
fi
