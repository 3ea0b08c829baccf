#!/usr/bin/env bash
# The clause review a library repository's pull requests get (action.yml runs this; a test runs
# it as a script). Every check runs even after one fails, so a pull request sees all problems.
# Inputs arrive as environment variables only, never as text spliced into the script:
#   CB_LIBRARY   library folder (default .)
#   CB_BASE      base revision of the pull request (empty: no diff, lint without a base)
#   CB_OUT       folder for the report and the redlines (default review)
#   CB_REDLINES  "true": a Word redline of each affected deal
#   CB_COMMENT   "true": post or update the sticky pull-request comment (needs GITHUB_TOKEN)
set -uo pipefail
library=${CB_LIBRARY:-.}
base=${CB_BASE:-}
out=${CB_OUT:-review}
mkdir -p "$out"
out=$(cd "$out" && pwd)
cd "$library" || { echo "::error::library folder not found: $library"; exit 2; }
status=0
fail() { status=1; echo "::error::clausebook $1 failed"; }

clausebook validate --format github || fail validate
if [ -n "$base" ]; then
  clausebook lint --format github --base "$base" || fail lint
else
  clausebook lint --format github --no-base || fail lint
fi
clausebook build --check || fail "build --check"

if [ -n "$base" ]; then
  clausebook diff --format json --report "$out/clause-review.json" \
    --markdown "$out/clause-review.md" --step-summary -- "$base" HEAD > /dev/null || fail diff
  if [ "${CB_REDLINES:-true}" = true ] && [ -f "$out/clause-review.json" ]; then
    mkdir -p "$out/redlines"
    python3 -c 'import json, sys
for d in json.load(open(sys.argv[1], encoding="utf-8"))["deals"]:
    if d["status"] == "changed":
        print(d["path"])' "$out/clause-review.json" |
      while IFS= read -r deal; do
        name=$(basename "$deal" .yaml)
        clausebook redline -o "$out/redlines/$name.redline.docx" -- "$base" HEAD "$deal" ||
          echo "::warning::no redline for $deal"
      done
  fi
  if [ "${CB_COMMENT:-false}" = true ] && [ -f "$out/clause-review.md" ]; then
    clausebook pr-comment "$out/clause-review.md" || fail pr-comment
  fi
fi
exit "$status"
