#!/usr/bin/env bash
# Runs every test of Pulse. As root on a fresh machine it first installs and starts what the
# tests need (scripts/services.sh). Ends with the line "N passed, N failed".
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

if [ -x scripts/services.sh ] && [ "${PULSE_SKIP_SERVICES:-}" != "1" ]; then
  strings=$(scripts/services.sh up) || { echo "test.sh: services failed to start"; echo "0 passed, 1 failed"; exit 1; }
  echo "$strings"
  # The distributed-mode tests find the servers through these (they fail, not skip, without them).
  export PULSE_TEST_POSTGRES="${PULSE_TEST_POSTGRES:-$(sed -n 's/^PULSE_TEST_POSTGRES=//p' <<<"$strings")}"
  # The run gets an empty vhost of its own (needs root, as `up` does; otherwise the default vhost).
  vhost=$(scripts/services.sh test-vhost pulse-test 2>/dev/null) && drop_vhost=1
  export PULSE_TEST_RABBITMQ="${PULSE_TEST_RABBITMQ:-$(sed -n 's/^PULSE_TEST_RABBITMQ=//p' <<<"${vhost:-$strings}")}"
fi

results="$root/artifacts/test-results"
rm -rf "$results"; mkdir -p "$results"
log="$results/dotnet-test.log"

dotnet build Pulse.slnx -c Release -nologo -v quiet 2>&1 | tee "$results/build.log" | grep -E " error |rror\(s\)" | head -40
if [ "${PIPESTATUS[0]}" -ne 0 ]; then
  echo "test.sh: build failed (see $results/build.log)"
  echo "0 passed, 1 failed"
  exit 1
fi

dotnet test Pulse.slnx -c Release --no-build -nologo \
  --logger "trx" --logger "console;verbosity=normal" --results-directory "$results" "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
# The run's queues go with their vhost, so the broker never restarts with thousands of them.
[ -n "${drop_vhost:-}" ] && scripts/services.sh drop-vhost pulse-test

# One summary line per test assembly: "Passed!  - Failed: 0, Passed: 12, Skipped: 0, Total: 12, ..."
passed=$(grep -oE "Passed: +[0-9]+" "$log" | awk '{s+=$2} END {print s+0}')
failed=$(grep -oE "Failed: +[0-9]+" "$log" | awk '{s+=$2} END {print s+0}')
skipped=$(grep -oE "Skipped: +[0-9]+" "$log" | awk '{s+=$2} END {print s+0}')
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  failed=1   # a test host that crashed prints no summary; never report that as green
fi
echo "($skipped skipped)"
echo "$passed passed, $failed failed"
exit "$status"
