#!/usr/bin/env bash
# Kernel benchmark: statarb vs tslab vs ipykernel, same machine, same run → bench/results/kernel.md.
# tslab's (and a fresh statarb) kernelspec go into a temporary Jupyter prefix, never into .venv's.
# Quick run: STARTS=2 CELLS=50 NOTEBOOKS=1 bash bench/kernel/run.sh
# Another build beside them: install its kernelspec under a name in a Jupyter path and add it, e.g.
#   JUPYTER_PATH=/tmp/prev KERNELS=statarb:typescript,statarb-prev:typescript,tslab:typescript,python3:python bash bench/kernel/run.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
py=$root/.venv/bin/python
[ -x "$py" ] || { echo "[bench kernel] .venv missing: run scripts/setup first" >&2; exit 1; }
[ -x node_modules/.bin/tslab ] || { echo "[bench kernel] tslab missing: npm install (it is a devDependency)" >&2; exit 1; }

prefix=$(mktemp -d "${TMPDIR:-/tmp}/statarb-bench-kernels.XXXXXX")
trap 'rm -rf "$prefix"' EXIT

# Measure the tree as it is: rebuild dist/ when a kernel or library source is newer than the build.
if [ ! -f dist/kernel/main.js ] || [ -n "$(find kernel lib -name '*.ts' -newer dist/kernel/main.js -print -quit)" ]; then
  echo "[bench kernel] building statarb (tsc -p tsconfig.build.json)"
  nice npx tsc -p tsconfig.build.json || echo "[bench kernel] warning: the build reported errors; measuring what dist/ holds"
fi
if [ -f bin/statarb.js ]; then
  node bin/statarb.js kernel install --prefix "$prefix" >/dev/null
else
  echo "[bench kernel] bin/statarb.js missing: statarb is not measured" >&2
fi
node_modules/.bin/tslab install --python="$py" --binary="$root/node_modules/.bin/tslab" --prefix="$prefix" >/dev/null

export JUPYTER_PATH="$prefix/share/jupyter${JUPYTER_PATH:+:$JUPYTER_PATH}"
export PATH="$root/.venv/bin:$PATH"
mkdir -p bench/results
cmd="bash bench/kernel/run.sh"
"$py" bench/kernel/bench_kernels.py \
  --kernels "${KERNELS:-statarb:typescript,tslab:typescript,python3:python}" --starts "${STARTS:-6}" --warmup "${WARMUP:-20}" --cells "${CELLS:-200}" --notebooks "${NOTEBOOKS:-3}" --completions "${COMPLETIONS:-30}" \
  --out bench/results/kernel.md.tmp --json "$prefix/kernel.json" --command "$cmd"
mv bench/results/kernel.md.tmp bench/results/kernel.md
echo "[bench kernel] wrote bench/results/kernel.md"
cat bench/results/kernel.md
