#!/bin/bash
# Peak memory and time of the server and of `check` on issue 13's inputs (docs/PERFORMANCE.md,
# "Holding under abuse"). Run in the folder generate.py wrote; usage: measure.sh BINARY LABEL
B=$1; L=$2
for f in clean1.json clean10.json clean50.json ad1000.json ad2000.json ad5000.json commas.json; do
  timeout 600 python3 "$(dirname "$0")/server_memory.py" $B $f | sed "s/^/$L server /"
done
timeout 600 python3 "$(dirname "$0")/server_memory.py" $B clean50k.json 2000 | sed "s/^/$L server /"
for f in clean1.json clean10.json clean50.json ad2000.json ad5000.json commas.json; do
  for i in 1 2 3; do /usr/bin/time -f "%e s %M KB" $B check $f >/dev/null 2>>/tmp/abuse-err.$$ ; done
  echo "$L check $f: $(grep -E '^[0-9.]+ s' /tmp/abuse-err.$$ | tr '\n' ';')"; rm -f /tmp/abuse-err.$$
done
