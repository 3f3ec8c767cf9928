#!/usr/bin/env bash
# The reliability suite of issue 6 in one command: crash (SIGKILL) tests, the fault matrix, the bad-input
# catalogue and the security checks, in embedded and distributed mode. Ends with a summary of what it
# survived. CI runs it with a short seed set (as part of scripts/test.sh); --soak deals 20 kills.
#   scripts/fault-suite.sh [--soak] [--kills N]   (--soak: 20 kills of the embedded CLI, 10 of distributed workers)
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
kills=6
while [ $# -gt 0 ]; do
  case "$1" in
    --soak) kills=20; export PULSE_DISTRIBUTED_KILLS=10 ;;
    --kills) shift; kills="${1:?--kills needs a number}" ;;
    *) echo "fault-suite.sh: unknown option '$1' (use --soak or --kills N)"; exit 2 ;;
  esac
  shift
done

if [ -x scripts/services.sh ] && [ "${PULSE_SKIP_SERVICES:-}" != "1" ]; then
  strings="$(scripts/services.sh up)" || { echo "fault-suite.sh: services failed to start"; exit 1; }
  export PULSE_TEST_POSTGRES="${PULSE_TEST_POSTGRES:-$(sed -n 's/^PULSE_TEST_POSTGRES=//p' <<<"$strings")}"
  vhost=$(scripts/services.sh test-vhost pulse-fault-suite 2>/dev/null) && drop_vhost=1
  export PULSE_TEST_RABBITMQ="${PULSE_TEST_RABBITMQ:-$(sed -n 's/^PULSE_TEST_RABBITMQ=//p' <<<"${vhost:-$strings}")}"
fi
log="$root/artifacts/fault-suite/facts.jsonl"
mkdir -p "$(dirname "$log")"; : > "$log"
export PULSE_FAULT_SUITE_LOG="$log" PULSE_CRASH_KILLS="$kills"

dotnet test tests/Pulse.EndToEnd.Tests -c Release -nologo \
  --filter "FullyQualifiedName~CrashRecovery|FullyQualifiedName~Fault|FullyQualifiedName~Secondary|FullyQualifiedName~BadInput|FullyQualifiedName~Security|FullyQualifiedName~Distributed|FullyQualifiedName~Resume|FullyQualifiedName~RateLimit|FullyQualifiedName~PrimaryLimit" \
  --logger "console;verbosity=minimal" 2>&1 | tail -n 30
status=${PIPESTATUS[0]}
[ -n "${drop_vhost:-}" ] && scripts/services.sh drop-vhost pulse-fault-suite

sum() { grep "\"fact\":\"$1\"" "$log" | sed -E 's/.*"value":([0-9]+).*/\1/' | awk '{s+=$1} END {print s+0}'; }
echo
echo "fault suite summary (kills asked per crash test: $kills)"
echo "  kills survived:    $(sum kills)"
echo "  faults survived:   $(sum faults)"
echo "  bad inputs tried:  $(sum bad_inputs)"
echo "  rows compared:     $(sum rows_compared)"
echo "  rows lost:         $(sum rows_lost)"
echo "  rows duplicated:   $(sum rows_duplicated)"
exit "$status"
