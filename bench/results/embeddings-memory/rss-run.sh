#!/usr/bin/env bash
# usage: repro.sh LABEL SPEC [extra env...]  -> samples VmRSS/VmHWM of pulse sync every 1 s
set -u
label=$1; spec=$2; port=${PORT:-5391}
cli=${CLI:-/work/wt-embedmem/.build/pulse/pulse.dll}
cd /tmp/em
dotnet $cli simulate --port $port --synthetic "$spec" --points-per-hour 100000000 --sleep-scale 0 > sim-$label.log 2>&1 &
sim=$!
for i in $(seq 1 120); do curl -s -o /dev/null http://127.0.0.1:$port/ && break; sleep 1; done
rm -f $label.db*
start=$(date +%s)
dotnet $cli sync --github-url http://127.0.0.1:$port/graphql --token sim-token --owner synth-org --database sqlite:/tmp/em/$label.db --quiet ${NOEMB:+--no-embeddings} > sync-$label.log 2>&1 &
p=$!
echo "sync pid $p" 
: > mem-$label.tsv
while kill -0 $p 2>/dev/null; do
  t=$(( $(date +%s) - start ))
  awk -v t=$t '/VmRSS|VmHWM|RssAnon/{a[$1]=$2} END{print t"\t"a["VmRSS:"]"\t"a["VmHWM:"]"\t"a["RssAnon:"]}' /proc/$p/status >> mem-$label.tsv 2>/dev/null
  sleep 1
done
wait $p; echo "exit $? after $(( $(date +%s) - start )) s"
kill $sim
sort -t$'\t' -k3 -n mem-$label.tsv | tail -1
