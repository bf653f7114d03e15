#!/usr/bin/env bash
# Build and run a real training program: io.blackbox.bench.training.SupervisedTraining (an MLP classifier trained
# with DJL on PyTorch (CPU) on synthetic data, recorded as Gradience), or with TRAINING_PROGRAM=PpoTraining a PPO agent
# on a CartPole environment (recorded as PPO 1.1 and Esper events); each mode given is a run, with its step times:
# off, blackbox, jfr (a JFR event a step) or jsonl (a JSON line a step, through Jackson).
#
#   bench/train.sh [--no-build] [SupervisedTraining options...]
#
#   --no-build  use the classes and class path already in bench/target
#   anything else goes to the program; bench/train.sh --help lists its options. Without --out, the recordings go to
#   bench/target/training/<date-time>/.
#
# Examples:
#   bench/train.sh --modes off,blackbox,jfr,jsonl,off,blackbox,jfr,jsonl --steps 2000 --warmup 300
#   bench/train.sh --no-build --modes blackbox --print-evals
#   TRAINING_PROGRAM=PpoTraining bench/train.sh --modes off,blackbox,jfr,jsonl,off,blackbox,jfr,jsonl --epochs 30 --seed 1
#
# Before the runs each mode's recording call is made --jit-warmup times (default 20,000) into a throw-away recording,
# so the runs time the call as C2 compiled it: a step takes about a millisecond, and a run of a few thousand would
# otherwise time the JIT's profiling tier.
#
# DJL stays offline (-Dai.djl.offline=true, tracking opted out): libtorch and its JNI glue come from the jars on
# the class path (bench/target/training.classpath) and are extracted once into DJL_CACHE_DIR, by default
# bench/target/djl-cache (about 450 MB).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

classpath=bench/target/training.classpath
build=1
args=()
has_out=0
for arg in "$@"; do
    case "$arg" in
        --no-build) build=0 ;;
        --out|--out=*) has_out=1; args+=("$arg") ;;
        *) args+=("$arg") ;;
    esac
done

if [[ $build == 1 ]]; then
    mvn -B -q -DskipTests install -pl bench -am
fi
if [[ ! -f $classpath || ! -d bench/target/classes/io/blackbox/bench/training ]]; then
    echo "train.sh: $classpath or the training classes are missing; build first (drop --no-build)" >&2
    exit 1
fi
if [[ $has_out == 0 ]]; then
    args+=(--out "bench/target/training/$(date +%Y%m%d-%H%M%S)")
fi

export DJL_CACHE_DIR="${DJL_CACHE_DIR:-$root/bench/target/djl-cache}"
exec java @bench/target/jvm.options -Dai.djl.offline=true -DOPT_OUT_TRACKING=true \
    -cp "bench/target/classes:$(< "$classpath")" \
    "io.blackbox.bench.training.${TRAINING_PROGRAM:-SupervisedTraining}" ${args[@]+"${args[@]}"}
