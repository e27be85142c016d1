#!/usr/bin/env bash
# Idempotent machine setup, run by both README commands. Quick when everything is already in place.
#
# 1. Debian packages the project needs (PostgreSQL 15 server, Apache Avro's Python implementation used as
#    the interop oracle in tests, kcat for poking at the broker).
# 2. librdkafka for Confluent.Kafka: when the configured NuGet source lacks librdkafka.redist (this
#    machine's mirror does), build librdkafka from Debian's source package, cache it outside the work tree
#    and expose it to restore as a local librdkafka.redist package in build/local-feed. On a machine where
#    nuget.org serves the real package nothing of that runs.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cache=${KCDC_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/kafkacdc}
redist_version=2.15.1          # the librdkafka.redist version Confluent.Kafka 2.15.1 depends on
feed="$repo/build/local-feed"
mkdir -p "$cache" "$feed"

log() { printf 'bootstrap: %s\n' "$*" >&2; }

# Several test runs or helper sessions may bootstrap at once; one at a time.
exec 9>"$cache/bootstrap.lock"
flock 9

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"
  elif command -v sudo >/dev/null; then sudo "$@"
  else log "need root to run: $*"; return 1; fi
}

apt_updated=""
apt_install() {
  local missing=()
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  log "installing Debian packages: ${missing[*]}"
  if [ -z "$apt_updated" ]; then as_root apt-get update -qq >&2; apt_updated=1; fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" \
    >"$cache/apt-install.log" 2>&1 || { tail -n 20 "$cache/apt-install.log" >&2; return 1; }
}

apt_install postgresql-15 postgresql-contrib python3-avro kcat docker-compose

# --- librdkafka -------------------------------------------------------------------------------------
nuget_has_redist() {
  # The flat-container endpoint of the configured nuget.org answers 200 when the package exists.
  [ -d "$HOME/.nuget/packages/librdkafka.redist/$redist_version/runtimes" ] &&
    [ ! -f "$HOME/.nuget/packages/librdkafka.redist/$redist_version/.kafkacdc-local" ] && return 0
  local code
  code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 20 \
    "https://api.nuget.org/v3-flatcontainer/librdkafka.redist/$redist_version/librdkafka.redist.$redist_version.nupkg" || true)
  [ "$code" = 200 ]
}

stamp="$cache/redist-available"
if [ -f "$feed/librdkafka.redist.$redist_version.nupkg" ]; then
  :   # already provided locally
elif [ -f "$stamp" ] || nuget_has_redist; then
  touch "$stamp"
  exit 0
else
  built=$(ls -d "$cache"/librdkafka-*/lib/librdkafka.so.1 2>/dev/null | sort -V | tail -n 1 || true)
  if [ -z "$built" ]; then
    log "librdkafka.redist $redist_version is not on the package source: building librdkafka from Debian's source package"
    apt_install build-essential curl libssl-dev libsasl2-dev libzstd-dev liblz4-dev zlib1g-dev libcurl4-openssl-dev dpkg-dev
    work=$(mktemp -d)
    trap 'rm -rf "$work"' EXIT
    printf 'deb-src http://deb.debian.org/debian sid main\ndeb-src http://deb.debian.org/debian trixie main\n' > "$work/src.list"
    mkdir -p "$work/lists/partial"
    aptopts=(-o Dir::Etc::sourcelist="$work/src.list" -o Dir::Etc::sourceparts=/nonexistent -o Dir::State::Lists="$work/lists")
    apt-get "${aptopts[@]}" update -qq >"$work/apt.log" 2>&1
    # The newest version offered (unstable moves on), falling back to trixie's released 2.8.0-1.
    versions=$(apt-cache "${aptopts[@]}" showsrc librdkafka | awk '/^Version:/ {print $2}' | sort -V -r)
    [ -n "$versions" ] || versions="2.8.0-1"
    ok=""
    for v in $versions 2.8.0-1; do
      (cd "$work" && apt-get "${aptopts[@]}" source --download-only "librdkafka=$v" >>"$work/apt.log" 2>&1) || continue
      ok=$v; break
    done
    [ -n "$ok" ] || { log "could not download librdkafka's Debian source package"; exit 1; }
    upstream=${ok%-*}
    src="$work/src"
    mkdir -p "$src"
    tar -xzf "$work/librdkafka_${upstream}.orig.tar.gz" -C "$src" --strip-components=1
    prefix="$cache/librdkafka-$upstream"
    log "building librdkafka $upstream into $prefix"
    (cd "$src" && ./configure --prefix="$prefix" >"$work/configure.log" 2>&1 &&
      make -j"$(nproc)" -C src >"$work/make.log" 2>&1 && make -C src install >"$work/install.log" 2>&1) ||
      { log "librdkafka build failed; last lines:"; tail -n 30 "$work"/*.log >&2; exit 1; }
    built="$prefix/lib/librdkafka.so.1"
  fi
  log "packing $built as local librdkafka.redist $redist_version"
  python3 - "$built" "$feed/librdkafka.redist.$redist_version.nupkg" "$redist_version" <<'PY'
import sys, zipfile
so, out, version = sys.argv[1:]
nuspec = f"""<?xml version="1.0" encoding="utf-8"?>
<package xmlns="http://schemas.microsoft.com/packaging/2013/05/nuspec.xsd">
  <metadata>
    <id>librdkafka.redist</id>
    <version>{version}</version>
    <authors>KafkaCdc bootstrap</authors>
    <description>librdkafka built locally from Debian's source package (scripts/bootstrap.sh), standing in for the nuget.org package this package source lacks.</description>
  </metadata>
</package>"""
with zipfile.ZipFile(out + ".tmp", "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr("librdkafka.redist.nuspec", nuspec)
    z.write(so, "runtimes/linux-x64/native/librdkafka.so")
    z.writestr(".kafkacdc-local", "built by scripts/bootstrap.sh\n")
import os; os.replace(out + ".tmp", out)
PY
  # A stale copy of an earlier local build in the global packages folder would shadow the new one.
  rm -rf "$HOME/.nuget/packages/librdkafka.redist/$redist_version"
fi
