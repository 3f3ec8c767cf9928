#!/usr/bin/env bash
label=$1; spec=$2; port=$3; cli=$4
cd /tmp/em
dotnet $cli simulate --port $port --synthetic "$spec" --points-per-hour 100000000 --sleep-scale 0 > sim-t$label.log 2>&1 & sim=$!
for i in $(seq 1 120); do curl -s -o /dev/null http://127.0.0.1:$port/ && break; sleep 1; done
rm -f t$label.db*
timeout 1200 ~/.dotnet/tools/dotnet-trace collect --profile gc-verbose -o $label.nettrace -- dotnet $cli sync --github-url http://127.0.0.1:$port/graphql --token sim-token --owner synth-org --database sqlite:/tmp/em/t$label.db --quiet > trace-$label.log 2>&1
echo "rc $?"; kill $sim
