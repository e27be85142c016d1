#!/usr/bin/env bash
# Idempotent machine setup, run by both README commands. Quick when everything is already in place.
#
# 1. Debian packages the project needs (PostgreSQL 15 server, Apache Avro's Python implementation used as the interop
#    oracle in tests, kcat for poking at the broker, docker-compose to validate the compose file, python3-yaml to read
#    its resolved config in that test, PgBouncer for the sink's tests through a transaction-mode pooler, openssh-server
#    for the SSH tunnel tests' real sshd).
# 2. Proof that librdkafka (from the librdkafka.redist NuGet package, restored with Confluent.Kafka) loads and works
#    on this machine: the dev stack's --probe starts a mock broker and round-trips a record through it. When it cannot,
#    the probe names every file it tried and the loader's reason (a missing system library, usually).
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
state="$repo/.local/bootstrap"
mkdir -p "$state"

log() { printf 'bootstrap: %s\n' "$*" >&2; }

# Several test runs may bootstrap at once (apt-get takes one at a time anyway).
exec 9>/tmp/kafkacdc-bootstrap.lock
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
    >"$state/apt-install.log" 2>&1 || { tail -n 20 "$state/apt-install.log" >&2; return 1; }
}

apt_install postgresql-15 postgresql-contrib python3-avro python3-yaml kcat docker-compose pgbouncer openssh-server openssl

# --- librdkafka ------------------------------------------------------------------------------------------------------
if ! dotnet build "$repo/src/DevStack" -v quiet -nologo -clp:NoSummary >"$state/build.log" 2>&1; then
  log "building the dev stack failed; last lines of $state/build.log:"
  tail -n 30 "$state/build.log" >&2
  exit 1
fi
if ! dotnet "$repo/src/DevStack/bin/Debug/net10.0/KafkaCdc.DevStack.dll" --probe >"$state/probe.log" 2>&1; then
  log "librdkafka does not work on this machine:"
  cat "$state/probe.log" >&2
  exit 1
fi
log "$(cat "$state/probe.log")"
