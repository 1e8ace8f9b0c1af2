#!/usr/bin/env bash
# Source this file (`. scripts/use-node.sh`, bash) to run the project on the Node version pinned in .nvmrc.
#
# When the `node` on PATH already is that version, nothing changes. Otherwise the pinned runtime is taken
# from the npm registry — the official Node binary published as `node-linux-<arch>@<version>`, with a
# pinned npm — unpacked once into .tools/ and put first on PATH. No other download site is needed:
# native addons (better-sqlite3) are compiled against the headers shipped in that same package
# (node-gyp's nodedir), so node-gyp never fetches headers from nodejs.org.

_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
NODE_VERSION="$(tr -d ' \nv' < "$_root/.nvmrc")"
NPM_VERSION="11.21.2"

if [ "$(node --version 2>/dev/null || true)" != "v$NODE_VERSION" ]; then
  case "$(uname -m)" in
    x86_64) _arch=x64 ;;
    aarch64 | arm64) _arch=arm64 ;;
    *) echo "use-node: no node-linux package for $(uname -m); install Node $NODE_VERSION yourself" >&2; return 1 2>/dev/null || exit 1 ;;
  esac
  _tools="$_root/.tools"
  _node_dir="$_tools/node-v$NODE_VERSION-linux-$_arch"
  _fetch() { # <package@version> <target folder>: registry tarball (integrity checked by npm) unpacked
    local spec="$1" target="$2" tmp
    tmp="$(mktemp -d)"
    echo "use-node: fetching $spec from the npm registry" >&2
    (cd "$tmp" && npm pack --silent "$spec" >/dev/null)
    mkdir -p "$target.partial"
    tar xzf "$tmp"/*.tgz -C "$target.partial" --strip-components=1
    rm -rf "$tmp" "$target"
    mv "$target.partial" "$target"
  }
  [ -x "$_node_dir/bin/node" ] || _fetch "node-linux-$_arch@$NODE_VERSION" "$_node_dir"
  if [ ! -f "$_node_dir/lib/node_modules/npm/bin/npm-cli.js" ]; then
    # The same layout as the nodejs.org tarball: npm under lib/node_modules, npm/npx linked from bin.
    mkdir -p "$_node_dir/lib/node_modules"
    _fetch "npm@$NPM_VERSION" "$_node_dir/lib/node_modules/npm"
    ln -sf ../lib/node_modules/npm/bin/npm-cli.js "$_node_dir/bin/npm"
    ln -sf ../lib/node_modules/npm/bin/npx-cli.js "$_node_dir/bin/npx"
  fi
  export PATH="$_node_dir/bin:$PATH"
  export npm_package_config_node_gyp_nodedir="$_node_dir"
  unset _arch _tools _node_dir
  unset -f _fetch
fi
unset _root
