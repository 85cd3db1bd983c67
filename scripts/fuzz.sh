#!/usr/bin/env bash
# Runs the fuzz targets in fuzz/ with libFuzzer, one after the other, each for a fixed time.
#
#   bash scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]
#
# 60 seconds each and every target by default. Needs a nightly toolchain and cargo-fuzz;
# without nightly it says so and exits 0, and it installs cargo-fuzz when it is missing.
# Each target starts from the seeds committed in fuzz/seeds/ and grows a working corpus in
# fuzz/corpus/<target>/ (not committed). Exits non-zero when a target finds a crash, a hang
# (an input taking over 10 s) or an out-of-memory, and prints where the reproducer is.
# FUZZ_SEED=N fixes libFuzzer's random seed (CI uses 1, so a finding there can be replayed);
# unset, each run explores differently.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
fuzz=$root/fuzz

all_targets=(front_matter markdown site_yaml http_request build_site)
seconds=${1:-60}
seed=${FUZZ_SEED:-0}
if ! [[ $seed =~ ^[0-9]+$ ]]; then
  echo "FUZZ_SEED must be a whole number (0: a random seed)" >&2
  exit 2
fi
if ! [[ $seconds =~ ^[0-9]+$ ]] || [ "$seconds" -lt 1 ]; then
  echo "usage: scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET...] (targets: ${all_targets[*]})" >&2
  exit 2
fi
shift $(($# > 0 ? 1 : 0))
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=("${all_targets[@]}")
fi
for t in "${targets[@]}"; do
  if [ ! -f "$fuzz/fuzz_targets/$t.rs" ]; then
    echo "no fuzz target $t (targets: ${all_targets[*]})" >&2
    exit 2
  fi
done

if ! command -v rustup >/dev/null || ! rustup run nightly rustc --version >/dev/null 2>&1; then
  echo "fuzzing skipped: no nightly toolchain (rustup toolchain install nightly)"
  exit 0
fi
if ! cargo +nightly fuzz --version >/dev/null 2>&1; then
  echo "cargo-fuzz is missing: installing it"
  if ! cargo install cargo-fuzz --locked; then
    echo "fuzzing skipped: cargo install cargo-fuzz failed"
    exit 0
  fi
fi

# The fuzz crate is a workspace of its own, built with its own flags: keep its build apart
# from the main crate's, whatever CARGO_TARGET_DIR says.
export CARGO_TARGET_DIR=$fuzz/target
# Debug assertions and overflow checks on: an overflow is a finding too.
flags=(--fuzz-dir "$fuzz" --debug-assertions)

echo "== fuzz: building the targets"
mkdir -p "$fuzz/corpus"
if ! cargo +nightly fuzz build "${flags[@]}" >"$fuzz/corpus/build.log" 2>&1; then
  tail -n 40 "$fuzz/corpus/build.log" >&2
  echo "the fuzz targets do not build" >&2
  exit 1
fi

# Seed folders (read, never written) and the dictionary of each target.
seeds_of() {
  case $1 in
    front_matter | build_site) echo "$fuzz/seeds/front_matter $fuzz/seeds/articles" ;;
    markdown) echo "$fuzz/seeds/markdown $fuzz/seeds/articles" ;;
    *) echo "$fuzz/seeds/$1" ;;
  esac
}
dict_of() {
  case $1 in
    markdown) echo "$fuzz/dict/markdown.dict" ;;
    site_yaml) echo "$fuzz/dict/yaml.dict" ;;
    http_request) echo "$fuzz/dict/http.dict" ;;
    front_matter | build_site)
      cat "$fuzz/dict/yaml.dict" "$fuzz/dict/markdown.dict" >"$fuzz/corpus/article.dict"
      echo "$fuzz/corpus/article.dict"
      ;;
  esac
}

failed=()
for t in "${targets[@]}"; do
  corpus=$fuzz/corpus/$t
  artifacts=$fuzz/artifacts/$t
  # libFuzzer writes its job log (fuzz-0.log) into the current folder: give it one.
  logs=$fuzz/corpus/logs/$t
  mkdir -p "$corpus" "$artifacts" "$logs"
  before=$(find "$artifacts" -type f | sort)
  echo "== fuzz: $t for ${seconds}s"
  status=0
  # shellcheck disable=SC2046 # the seed folders are separate arguments
  (cd "$logs" && cargo +nightly fuzz run "${flags[@]}" "$t" "$corpus" $(seeds_of "$t") -- \
    -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 -jobs=1 -workers=1 -seed="$seed" \
    -dict="$(dict_of "$t")" -print_final_stats=1) >"$logs/run.log" 2>&1 || status=$?
  # The last status line and the final statistics.
  grep -E '^#[0-9]+' "$logs/run.log" | tail -n 1 || true
  grep -E '^stat::(number_of_executed_units|peak_rss_mb)' "$logs/run.log" || true
  echo "corpus: $(find "$corpus" -type f | wc -l) inputs"
  found=$(comm -13 <(echo "$before") <(find "$artifacts" -type f | sort) | sed '/^$/d')
  if [ "$status" -ne 0 ] || [ -n "$found" ]; then
    echo "!! fuzz target $t failed (exit $status); its output is in $logs/run.log" >&2
    grep -E '^(==[0-9]+== ?ERROR|thread .* panicked|ERROR: libFuzzer|SUMMARY)' "$logs/run.log" \
      | head -n 5 >&2 || true
    if [ -n "$found" ]; then
      echo "reproducer(s):" >&2
      echo "$found" | sed 's/^/  /' >&2
      echo "replay one with: cargo +nightly fuzz run $t <file>" >&2
    fi
    failed+=("$t")
  fi
done

if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzzing found problems in: ${failed[*]}" >&2
  exit 1
fi
echo "fuzzing: ${#targets[@]} target(s), ${seconds}s each, nothing found"
