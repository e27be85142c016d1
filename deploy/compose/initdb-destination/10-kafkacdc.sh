#!/usr/bin/env bash
# Runs once when the destination database is created: KafkaCdc's sink privilege script as a user would run it.
set -euo pipefail
psql -v ON_ERROR_STOP=1 -U postgres -d analytics -v user=kafkacdc_sink -v password="$KAFKACDC_SINK_PASSWORD" \
  -v schema=kafkacdc -f /kafkacdc-sql/sink-setup.sql
