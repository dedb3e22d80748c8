#!/usr/bin/env bash
# Runs every ```sh block of README.md that calls curl against a running server, so a README example
# that breaks fails the build. Each block runs as written from the checkout's root, where the files
# the examples send are (examples/, models/; examples/data-file.sh finds the data files in
# $DL4J_SERVING_DATA_DIR), with curl failing on any HTTP error and localhost:8080 replaced by the
# server's address. <work-dir> only holds the blocks as scripts.
# Usage: .ci/readme-examples.sh http://localhost:<port> <work-dir>
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
readme="$root/README.md"
base="${1:?usage: readme-examples.sh <base-url> <work-dir>}"
work="${2:?usage: readme-examples.sh <base-url> <work-dir>}"
host="${base#http://}"

awk -v out="$work/readme-block" '
  /^```sh$/ { inside = 1; n++; file = sprintf("%s-%02d.sh", out, n); next }
  /^```$/ && inside { inside = 0; close(file); next }
  inside { print > file }' "$readme"

failed=0
ran=0
for block in "$work"/readme-block-*.sh; do
  grep -q 'curl ' "$block" || continue
  ran=$((ran + 1))
  script="$block.run"
  {
    echo 'set -euo pipefail'
    echo 'curl() { command curl --fail-with-body --silent --show-error --max-time 300 "$@"; }'
    sed "s#localhost:8080#$host#g" "$block"
  } > "$script"
  echo "=== $(basename "$block")"
  if (cd "$root" && timeout 600 bash "$script"); then
    echo
    echo "--- ok"
  else
    echo
    echo "--- FAILED: $(basename "$block"):"
    cat "$block"
    failed=$((failed + 1))
  fi
done
echo "README curl blocks: $ran run, $failed failed"
[ "$ran" -gt 0 ] && [ "$failed" -eq 0 ]
