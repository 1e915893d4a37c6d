#!/usr/bin/env bash
# The understudy GitHub Action's logic, kept out of action.yml so a test can run it. action.yml
# passes its inputs as INPUT_* variables; this script installs understudy, runs the drill
# (annotations, step summary and step outputs come from the CLI itself under GitHub Actions), adds
# the `junit` and `exit-code` outputs, shows the trend of a kept history, and exits with the
# drill's exit code so the job fails with it.
#
# UNDERSTUDY_BIN, if set, is an understudy CLI (bin/understudy.js) to run instead of installing one.
set -euo pipefail

say() { printf 'understudy action: %s\n' "$*" >&2; }
# A mistake in the workflow's inputs: an annotation naming the input, and exit 2 (a usage error).
usage_error() { printf '::error title=understudy action::%s\n' "$*"; exit 2; }

working_directory="${INPUT_WORKING_DIRECTORY:-.}"
cd "$working_directory" 2>/dev/null || usage_error "working-directory \"$working_directory\" does not exist"

# understudy needs Node.js 20.19 or newer; the runner's own may be older or newer.
node -e 'const [major, minor] = process.versions.node.split(".").map(Number); process.exit(major > 20 || (major === 20 && minor >= 19) ? 0 : 1)' ||
  usage_error "understudy needs Node.js >= 20.19, the runner has $(node --version 2>/dev/null || echo none): set the node-version input"

# The package version: the input, or the action's own (the tag a workflow `uses:` installs the same release).
install_understudy() {
  local version="${INPUT_VERSION:-}"
  if [ -z "$version" ]; then
    [ -n "${UNDERSTUDY_ACTION_PATH:-}" ] || usage_error "no version input and no action path to read the action's own version from"
    version="$(node -p 'require(process.argv[1]).version' "$UNDERSTUDY_ACTION_PATH/package.json")"
  fi
  local prefix="${RUNNER_TEMP:-${TMPDIR:-/tmp}}/understudy-cli"
  say "installing understudy@$version"
  npm install --prefix "$prefix" --no-save --no-audit --no-fund --loglevel=error "understudy@$version" >&2 ||
    usage_error "could not install understudy@$version from npm (check the version input)"
  UNDERSTUDY_BIN="$prefix/node_modules/understudy/bin/understudy.js"
}
[ -n "${UNDERSTUDY_BIN:-}" ] || install_understudy

# Absolute, as the upload step reads it from the workspace root; Node's resolve also gives a
# Windows runner a path (D:\a\...) that the upload step understands, which Git Bash's $PWD is not.
junit="$(node -p 'require("node:path").resolve(process.argv[1])' "${INPUT_JUNIT:-understudy-drill.xml}")"

args=(drill --github --junit "$junit")
[ -z "${INPUT_CONFIG:-}" ] || args+=(--config "$INPUT_CONFIG")
[ -z "${INPUT_HISTORY:-}" ] || args+=(--history "$INPUT_HISTORY")
# Scenario names may be separated by commas, spaces or new lines; `set -f` keeps a `*` literal.
set -f
IFS=$', \t\n'
for name in ${INPUT_SCENARIOS:-}; do args+=(--scenario "$name"); done
for name in ${INPUT_REQUIRE:-}; do args+=(--require "$name"); done
IFS=$' \t\n'
for word in ${INPUT_ARGS:-}; do args+=("$word"); done
set +f

say "understudy ${args[*]}"
code=0
node "$UNDERSTUDY_BIN" "${args[@]}" || code=$?

# With a history, the trend goes to the log and the step summary (a slower failover as a warning);
# it never changes the job's outcome, which is the drill's.
if [ -n "${INPUT_HISTORY:-}" ] && [ "$code" -le 1 ]; then
  node "$UNDERSTUDY_BIN" report "$INPUT_HISTORY" --github || say "the history in $INPUT_HISTORY could not all be read (see above)"
fi

if [ -n "${GITHUB_OUTPUT:-}" ]; then
  { [ ! -f "$junit" ] || printf 'junit=%s\n' "$junit"; printf 'exit-code=%s\n' "$code"; } >>"$GITHUB_OUTPUT"
fi
exit "$code"
