#!/usr/bin/env bash
# The main job on the embedded default: the whole pipeline on this machine, no Docker needed.
#   dev stack (3-broker mock Kafka, schema registry, throwaway PostgreSQL)
#   -> database "shop" (source, set up with schemas/sql/source-setup.sql) -> source connector
#   -> Kafka topics shop_customers, shop_orders -> sink connector
#   -> database "analytics" (destination, set up with schemas/sql/sink-setup.sql), schema kafkacdc
# Prints how to reach everything, then runs until Ctrl-C. Logs and configs are in .local/.
#   --check     start, prove that a change reaches the destination, stop, exit 0 (used by the tests)
#   --no-build  skip the build (the binaries must exist)
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"
check=false build=true
for arg in "$@"; do
  case "$arg" in
    --check) check=true ;;
    --no-build) build=false ;;
    *) echo "usage: scripts/run.sh [--check] [--no-build]" >&2; exit 2 ;;
  esac
done

scripts/bootstrap.sh
if $build; then
  for project in DevStack SourceConnector SinkConnector; do
    dotnet build "src/$project" -v quiet -nologo -clp:NoSummary >/dev/null
  done
fi
bin() { echo "src/$1/bin/Debug/net10.0/KafkaCdc.$1.dll"; }

state=.local/run
rm -rf "$state"; mkdir -p "$state"
pids=()
stop() { # the connectors first, while Kafka and PostgreSQL are still there to commit to; then the dev stack
  local connectors=("${pids[@]:1}")
  for pid in "${connectors[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${connectors[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [ ${#pids[@]} -gt 0 ]; then kill -TERM "${pids[0]}" 2>/dev/null || true; fi
  wait 2>/dev/null || true
}
trap stop EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Every child started, with its name and log, so that a wait notices at once when one of them has died.
names=() logs=()
started() { pids+=("$1"); names+=("$2"); logs+=("$3"); }
check_children() {
  local i
  for i in "${!pids[@]}"; do
    if ! kill -0 "${pids[$i]}" 2>/dev/null; then
      local code=0
      wait "${pids[$i]}" 2>/dev/null || code=$?
      echo "run.sh: the ${names[$i]} exited (code $code); last lines of ${logs[$i]}:" >&2
      tail -n 30 "${logs[$i]}" >&2
      return 1
    fi
  done
}

wait_for() { # seconds, description, command...
  local seconds=$1 what=$2; shift 2
  for _ in $(seq 1 $((seconds * 5))); do
    check_children || exit 1
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 0.2
  done
  echo "run.sh: timed out after ${seconds}s waiting for $what; logs in $state/" >&2
  return 1
}

echo "Starting the dev stack..."
dotnet "$(bin DevStack)" --postgres --env-file "$state/devstack.env" --parent-pid $$ >"$state/devstack.log" 2>&1 &
started $! "dev stack" "$state/devstack.log"
wait_for 60 "the dev stack" test -s "$state/devstack.env"
set -a; . "$state/devstack.env"; set +a
cp "$state/devstack.env" .local/devstack.env
# The mock broker keeps at most 5 MiB per partition and deletes the oldest records beyond that, read or not (the sink
# then stops the table, errors.offset.gap): the demo's topics get 32 partitions (160 MiB) instead of the 4 (20 MiB) of
# an auto-created topic.
for topic in shop_customers shop_orders; do
  curl -fsS -X POST -H 'Content-Type: application/json' -d "{\"name\":\"$topic\",\"partitions\":32}" \
    "${KCDC_DEVSTACK_ADMIN_URL%/}/topics" >/dev/null
done

export KAFKACDC_SOURCE_PASSWORD=$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')
export KAFKACDC_SINK_PASSWORD=$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')
psql -qX -v ON_ERROR_STOP=1 -c "CREATE DATABASE shop" -c "CREATE DATABASE analytics" >/dev/null
psql -qX -v ON_ERROR_STOP=1 -d shop >/dev/null <<'SQL'
CREATE TABLE public.customers (
  id bigserial PRIMARY KEY, name text NOT NULL, email varchar(200), balance numeric(12,2), tags text[],
  created_at timestamptz DEFAULT now());
CREATE TABLE public.orders (
  id bigserial PRIMARY KEY, customer_id bigint REFERENCES public.customers, total money, placed date DEFAULT current_date);
INSERT INTO public.customers (name, email, balance, tags)
  VALUES ('Ada', 'ada@example.com', 12.50, '{vip}'), ('Grace', 'grace@example.com', 0, '{}');
INSERT INTO public.orders (customer_id, total) VALUES (1, 99.95);
-- Sample data loaded before the connectors start: the source's initial snapshot carries it to the destination.
INSERT INTO public.customers (name, email, balance, tags)
  SELECT 'customer ' || i, 'c' || i || '@example.com', (i % 1000) / 10.0, ARRAY['tier' || i % 3]
  FROM generate_series(3, 20000) i;
INSERT INTO public.orders (customer_id, total, placed)
  SELECT 1 + i % 20000, (i % 500) + 0.99, DATE '2026-01-01' + i % 300 FROM generate_series(2, 50000) i;
SQL
psql -qX -v ON_ERROR_STOP=1 -d shop -v user=kafkacdc_user -v "password=$KAFKACDC_SOURCE_PASSWORD" -v schema=public \
  -f schemas/sql/source-setup.sql >/dev/null
psql -qX -v ON_ERROR_STOP=1 -d analytics -v user=kafkacdc_sink -v "password=$KAFKACDC_SINK_PASSWORD" -v schema=kafkacdc \
  -f schemas/sql/sink-setup.sql >/dev/null

rest_source=0 rest_sink=0
$check || { rest_source=${KCDC_DEMO_SOURCE_REST_PORT:-8083}; rest_sink=${KCDC_DEMO_SINK_REST_PORT:-8084}; }
cat >"$state/source.json" <<JSON
{
  "name": "shop",
  "database.hostname": "$PGHOST", "database.port": $PGPORT, "database.dbname": "shop", "database.sslmode": "disable",
  "database.user": "kafkacdc_user", "database.password": "\${env:KAFKACDC_SOURCE_PASSWORD}",
  "table.include.list": "public",
  "kafka.bootstrap.servers": "$KAFKA_BOOTSTRAP_SERVERS", "schema.registry.url": "$SCHEMA_REGISTRY_URL",
  "rest.port": $rest_source
}
JSON
cat >"$state/sink.json" <<JSON
{
  "name": "analytics",
  "topics.regex": "shop_.*",
  "connection.hostname": "$PGHOST", "connection.port": $PGPORT, "connection.database": "analytics", "connection.sslmode": "disable",
  "connection.username": "kafkacdc_sink", "connection.password": "\${env:KAFKACDC_SINK_PASSWORD}",
  "schema.name": "kafkacdc",
  "kafka.bootstrap.servers": "$KAFKA_BOOTSTRAP_SERVERS", "schema.registry.url": "$SCHEMA_REGISTRY_URL",
  "rest.port": $rest_sink
}
JSON

echo "Starting the source and sink connectors..."
dotnet "$(bin SourceConnector)" --config "$state/source.json" >"$state/source.log" 2>&1 &
started $! "source connector" "$state/source.log"
dotnet "$(bin SinkConnector)" --config "$state/sink.json" >"$state/sink.log" 2>&1 &
started $! "sink connector" "$state/sink.log"

# The initial snapshot: every table at the destination holds what the source held when the connectors started.
same_rows() { # table: the destination's rows equal the source's (ids and content, not only counts)
  local q="SELECT md5(coalesce(string_agg(t::text, ',' ORDER BY id), '')) FROM"
  [ "$(psql -qXAt -d shop -c "$q (SELECT id, name, email, balance, tags FROM public.customers) t" 2>/dev/null)" = \
    "$(psql -qXAt -d analytics -c "$q (SELECT id, name, email, balance, tags FROM kafkacdc.shop_customers) t" 2>/dev/null)" ] &&
  [ "$(psql -qXAt -d shop -c "$q (SELECT id, customer_id, total::numeric, placed FROM public.orders) t" 2>/dev/null)" = \
    "$(psql -qXAt -d analytics -c "$q (SELECT id, customer_id, total::numeric, placed FROM kafkacdc.shop_orders) t" 2>/dev/null)" ]
}
echo "Initial snapshot: $(psql -qXAt -d shop -c "SELECT (SELECT count(*) FROM customers) + (SELECT count(*) FROM orders)") rows..."
wait_for 180 "the initial snapshot to reach analytics (customers and orders equal at both ends)" same_rows
echo "Initial snapshot complete: analytics equals shop."
wait_for 90 "a change to reach analytics" \
  bash -c 'psql -qX -d shop -c "UPDATE public.customers SET email = email WHERE id = 1" && [ "$(psql -qXAt -d analytics -c "SELECT count(*) FROM kafkacdc.shop_customers")" -ge 1 ]'
psql -qX -d shop -c "INSERT INTO public.customers (name, email, balance, tags) VALUES ('Linus', 'linus@example.com', 7.25, '{new,demo}')"
wait_for 30 "the insert to reach analytics" bash -c '[ "$(psql -qXAt -d analytics -c "SELECT count(*) FROM kafkacdc.shop_customers WHERE name = '"'"'Linus'"'"'")" = 1 ]'

if $check; then
  wait_for 30 "analytics to equal shop after the changes" same_rows
  echo "run.sh --check: the initial snapshot and a change made in shop reached analytics through Kafka; both tables equal"
  exit 0
fi

cat <<SUMMARY

KafkaCdc is running: shop (source) -> Kafka -> analytics (destination).
  Kafka             $KAFKA_BOOTSTRAP_SERVERS
  Schema registry   $SCHEMA_REGISTRY_URL
  PostgreSQL        $PGHOST:$PGPORT (user $PGUSER), databases shop and analytics
  Source connector  http://localhost:$rest_source/status   log $state/source.log
  Sink connector    http://localhost:$rest_sink/status   log $state/sink.log

In another terminal:
  set -a; . .local/devstack.env; set +a
  psql -d shop -c "INSERT INTO customers (name, balance) VALUES ('Ken', 3.50)"
  psql -d analytics -c "SELECT id, name, balance, tags FROM kafkacdc.shop_customers ORDER BY id"
  curl -s "\$SCHEMA_REGISTRY_URL/subjects"; kcat -L -b "\$KAFKA_BOOTSTRAP_SERVERS" | grep shop_
The sample rows loaded before the start came through the initial snapshot; changes stream from then on.
Backfill a table again while streaming (incremental snapshot):
  dotnet $(bin SourceConnector) signal --config $state/source.json execute-snapshot public.orders

Ctrl-C stops everything.
SUMMARY
# Runs until Ctrl-C, or until one of the children dies (then says which and why).
while check_children; do sleep 1; done
exit 1
