#!/usr/bin/env bash
# Runs once when the source database is created: a demo table, then KafkaCdc's setup SQL exactly as a user
# would run it (schemas/sql/source-setup.sql, mounted at /kafkacdc-sql): the replication user and role, the signal table
# kafkacdc.kafkacdc_signal (snapshots on request: INSERT an execute-snapshot row), the heartbeat table
# kafkacdc.kafkacdc_heartbeat (heartbeat.action=table), the publication and the slot.
set -euo pipefail
psql -v ON_ERROR_STOP=1 -U postgres -d shop <<'SQL'
CREATE TABLE public.customers (
  id bigserial PRIMARY KEY,
  name text NOT NULL,
  email varchar(200),
  balance numeric(12,2),
  tags text[],
  created_at timestamptz DEFAULT now()
);
INSERT INTO public.customers (name, email, balance, tags)
VALUES ('Ada', 'ada@example.com', 12.50, '{vip}'), ('Grace', 'grace@example.com', 0, '{}');
SQL
psql -v ON_ERROR_STOP=1 -U postgres -d shop -v user=kafkacdc_user -v password="$KAFKACDC_SOURCE_PASSWORD" \
  -v schema=public -f /kafkacdc-sql/source-setup.sql
# The tables the source uses by default (signal.data.collection, heartbeat.table): fail the init here if they are missing.
psql -v ON_ERROR_STOP=1 -U postgres -d shop -c "SELECT 'kafkacdc.kafkacdc_signal'::regclass, 'kafkacdc.kafkacdc_heartbeat'::regclass"
