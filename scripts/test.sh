#!/usr/bin/env bash
# The whole test suite, as README's Quick start and .ci/run run it. Installs what it needs first
# (scripts/bootstrap.sh); the tests start their own PostgreSQL and dev stack (see README, "Tests").
# Ends with one summary line: "N passed, N failed".
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"

scripts/bootstrap.sh

results="$repo/TestResults"
rm -rf "$results"
mkdir -p "$results"
export KCDC_TEST_HARNESS_LOG="$results/harness.log"
set +e
dotnet test KafkaCdc.sln --logger "trx;LogFileName=results.trx" --results-directory "$results" \
  --blame-hang-timeout 10m --blame-hang-dump-type none "$@"
status=$?
set -e
[ -s "$KCDC_TEST_HARNESS_LOG" ] && cat "$KCDC_TEST_HARNESS_LOG"
python3 scripts/trx_summary.py "$results"
exit $status
