#!/bin/sh
# Re-makes every traces/rfc-2008*.json (not the self-contained example's) from its spec and
# scenario, named in the file name: traces/<spec>.<scenario>.<kind>.json. A trace records the
# line of its violation, so an edit that moves lines of specs/lib/mm.mmspec or of a protocol
# spec makes the committed traces stale ("the spec changed since the trace was recorded").
# Run from the repository root after `npx tsc -p tsconfig.json`; two explores at a time.
set -e
for f in traces/rfc-2008*.json; do
  b=$(basename "$f" .json)
  spec=${b%%.*}
  rest=${b#*.}
  scenario=${rest%%.*}
  [ "$spec" = rfc-2008-example ] && continue
  echo "$spec $scenario"
done | xargs -P 2 -n 2 sh -c 'node bin/mmcheck.js explore "specs/$0.mmspec" -s "$1" --save > /dev/null 2>&1; echo "$0 $1: exit $? (1 = violation found and saved)"'
