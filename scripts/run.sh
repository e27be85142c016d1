#!/usr/bin/env bash
# The main job on the embedded default: starts the dev stack (mock Kafka cluster, schema registry,
# throwaway PostgreSQL), prints how to reach them and writes them to .local/devstack.env. Ctrl-C stops it.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"

scripts/bootstrap.sh
mkdir -p .local
dotnet build src/DevStack -v quiet -nologo -clp:NoSummary
exec dotnet run --no-build --project src/DevStack -- --postgres --env-file .local/devstack.env "$@"
