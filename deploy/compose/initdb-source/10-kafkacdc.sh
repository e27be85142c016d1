#!/usr/bin/env bash
# Runs once when the source database is created: a demo table, then KafkaCdc's setup SQL exactly as a user
# would run it (schemas/sql/source-setup.sql, mounted at /kafkacdc-sql).
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
