#!/usr/bin/env bash
# The debugger's cost on a trivial cell → bench/results/debugger.md. BEFORE=<git rev> also measures the
# kernel built from that revision (a temporary worktree, its own dist/), interleaved in the same run.
# Quick run: ROUNDS=2 CELLS=30 bash bench/kernel/debugger.sh
# Not part of `npm run bench` (bench/kernel/run.sh does not call it): the section's first line says so, with its date, commit and load.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
stamp="Not run by \`npm run bench\` (run \`bash bench/kernel/debugger.sh\` for it); generated $(date -u "+%Y-%m-%d %H:%MZ"), commit $(git rev-parse --short HEAD), load $(cut -d' ' -f1 /proc/loadavg)."
py=$root/.venv/bin/python
prefix=$(mktemp -d "${TMPDIR:-/tmp}/statarb-bench-debugger.XXXXXX")
cleanup() {
  if [ -n "${before_tree:-}" ]; then git worktree remove --force "$before_tree" >/dev/null 2>&1 || true; fi
  rm -rf "$prefix"
}
trap cleanup EXIT
[ -f dist/kernel/main.js ] && [ -z "$(find kernel lib -name '*.ts' -newer dist/kernel/main.js -print -quit)" ] || nice npx tsc -p tsconfig.build.json
node bin/statarb.js kernel install --prefix "$prefix" >/dev/null
args=()
if [ -n "${BEFORE:-}" ]; then
  before_tree="$prefix/before"
  git worktree add --detach "$before_tree" "$BEFORE" >/dev/null
  ln -s "$root/node_modules" "$before_tree/node_modules"
  (cd "$before_tree" && nice npx tsc -p tsconfig.build.json >/dev/null || true)
  spec="$prefix/share/jupyter/kernels/statarb-before"
  mkdir -p "$spec"
  printf '{"argv":["%s","%s/dist/kernel/main.js","-f","{connection_file}"],"display_name":"statarb before","language":"typescript","interrupt_mode":"message"}\n' "$(command -v node)" "$before_tree" >"$spec/kernel.json"
  args+=(--before-kernel statarb-before)
fi
export JUPYTER_PATH="$prefix/share/jupyter${JUPYTER_PATH:+:$JUPYTER_PATH}"
mkdir -p bench/results
"$py" bench/kernel/debugger.py --rounds "${ROUNDS:-5}" --cells "${CELLS:-100}" --command "BEFORE=${BEFORE:-} bash bench/kernel/debugger.sh" --out bench/results/debugger.md "${args[@]}"
# the stamp goes first under the section's heading (the file is gathered into bench/RESULTS.md as a section)
awk -v s="$stamp" 'NR == 1 { print; print ""; print s; next } 1' bench/results/debugger.md > bench/results/debugger.md.tmp && mv bench/results/debugger.md.tmp bench/results/debugger.md
