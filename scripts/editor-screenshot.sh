#!/bin/sh
# Screenshots the VS Code extension at work on specs/rfc-2008.mmspec in a headless VS Code:
# code-server (VS Code served to a browser; extensions, hence `mmcheck lsp`, run on the server
# side) driven by headless Chromium through puppeteer-core (scripts/editor-screenshot.mjs).
# Not part of `npm test`: it needs code-server, Chromium and puppeteer-core, none of which
# mmcheck depends on.
#
#   CODE_SERVER   the command that runs code-server (default: code-server)
#   PUPPETEER_DIR a directory with node_modules/puppeteer-core (e.g. after
#                 `npm install --prefix /tmp/pp puppeteer-core`)
#   CHROMIUM      the browser (default: /usr/bin/chromium)
#
#   scripts/editor-screenshot.sh [OUTDIR]     (default: a new temporary directory)
#
# Everything code-server writes (settings, installed extension, logs) goes to a temporary
# directory; the spec is edited in the editor but never saved. Needs `npm run build` and
# `npm run vsix` done first (the .vsix is what gets installed, as a user would).
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$(mktemp -d)}
mkdir -p "$out"
: "${PUPPETEER_DIR:?set PUPPETEER_DIR to a directory with node_modules/puppeteer-core}"
vsix="$root/editors/vscode/mmcheck.vsix"
[ -f "$vsix" ] || { echo "no $vsix: run npm run vsix first" >&2; exit 2; }
[ -f "$root/dist/src/cli/bin.js" ] || { echo "no dist/: run npm run build first" >&2; exit 2; }
cs=${CODE_SERVER:-code-server}

tmp=$(mktemp -d)
port=${PORT:-8937}
mkdir -p "$tmp/data/User"
cat > "$tmp/config.yaml" <<EOF
bind-addr: 127.0.0.1:$port
auth: none
cert: false
EOF
# The server is this checkout's (a relative path is taken from the workspace folder, as
# docs/editor.md advises for a checkout); a quiet, plain workbench.
cat > "$tmp/data/User/settings.json" <<EOF
{
  "mmcheck.path": "node bin/mmcheck.js",
  "security.workspace.trust.enabled": false,
  "workbench.startupEditor": "none",
  "workbench.colorTheme": "Default Dark Modern",
  "workbench.tips.enabled": false,
  "telemetry.telemetryLevel": "off",
  "files.autoSave": "off",
  "editor.minimap.enabled": false,
  "git.enabled": false,
  "extensions.ignoreRecommendations": true,
  "update.mode": "none"
}
EOF
args="--config $tmp/config.yaml --user-data-dir $tmp/data --extensions-dir $tmp/ext"
# shellcheck disable=SC2086 # CODE_SERVER and args are word lists
$cs $args --install-extension "$vsix"
# shellcheck disable=SC2086
$cs $args --disable-telemetry --disable-workspace-trust "$root" > "$tmp/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; wait $server 2>/dev/null || true; rm -rf "$tmp"' EXIT
for _ in $(seq 60); do
  curl -s -o /dev/null "http://127.0.0.1:$port/" && break
  sleep 1
done

node "$root/scripts/editor-screenshot.mjs" "http://127.0.0.1:$port" "$root" "$out"
# A palette: a screenshot of text keeps its look at a third of the size.
if command -v pngquant > /dev/null; then
  for f in "$out"/*.png; do pngquant --quality=70-95 --speed 1 --force --output "$f" "$f"; done
fi
ls -l "$out"/*.png
