#!/usr/bin/env bash
# The main job on the embedded default: the whole pipeline on this machine, no Docker needed.
#   dev stack (3-broker mock Kafka, schema registry, throwaway PostgreSQL)
#   -> database "shop" (source, set up with schemas/sql/source-setup.sql; sample tables from scripts/demo/shop.sql)
#   -> source connector -> Kafka topics shop_customers, shop_products, shop_orders, shop_events -> sink connector(s)
#   -> database "analytics" (destination, set up with schemas/sql/sink-setup.sql), schema kafkacdc
# Then a live workload and one refreshing view (src/Demo) until Ctrl-C, which stops the workload, waits until the
# sink has caught up, compares every table at both ends on content, prints the verdict and stops everything
# (exit 0 only when every table is equal). Where stdout is not a terminal, plain log lines instead of the view.
# Logs and configs are in .local/run/.
#   --check              start, prove that the snapshot and a change reach the destination, stop, exit 0 (tests)
#   --insert-mode        the sink appends (insert.mode=insert); the workload then inserts and deletes, never updates
#   --tasks N            sink tasks per sink process (default 2)
#   --sink-processes N   sink processes in the one consumer group (default 1): horizontal scaling
#   --no-workload        no live workload: the snapshot, then whatever you change by hand
#   --no-build           skip the build (the binaries must exist)
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"
usage="usage: scripts/run.sh [--check] [--insert-mode] [--tasks N] [--sink-processes N] [--no-workload] [--no-build]"
check=false build=true insert_mode=false tasks=2 sink_processes=1 workload=true
while [ $# -gt 0 ]; do
  case "$1" in
    --check) check=true ;;
    --no-build) build=false ;;
    --insert-mode) insert_mode=true ;;
    --no-workload) workload=false ;;
    --tasks|--sink-processes)
      [[ "${2:-}" =~ ^[1-9][0-9]?$ ]] || { echo "run.sh: $1 needs a number from 1 to 99" >&2; echo "$usage" >&2; exit 2; }
      if [ "$1" = --tasks ]; then tasks=$2; else sink_processes=$2; fi
      shift ;;
    *) echo "$usage" >&2; exit 2 ;;
  esac
  shift
done

scripts/bootstrap.sh
if $build; then
  for project in DevStack SourceConnector SinkConnector Demo; do
    dotnet build "src/$project" -v quiet -nologo -clp:NoSummary >/dev/null
  done
fi
bin() { echo "src/$1/bin/Debug/net10.0/KafkaCdc.$1.dll"; }

state=.local/run
rm -rf "$state"; mkdir -p "$state"
pids=()
stop() { # the connectors first, while Kafka and PostgreSQL are still there to commit to; then the dev stack
  local connectors=("${pids[@]:1}") i pid
  for pid in "${connectors[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  # A connector still there 60 s after SIGTERM is stuck (its position is stored before it logs "Stopped"): killed, named.
  local alive
  for _ in $(seq 1 300); do
    alive=false
    for pid in "${connectors[@]}"; do kill -0 "$pid" 2>/dev/null && alive=true; done
    $alive || break
    sleep 0.2
  done
  for i in "${!pids[@]}"; do
    if [ "$i" -gt 0 ] && kill -0 "${pids[$i]}" 2>/dev/null; then
      echo "run.sh: the ${names[$i]} did not exit within 60 s of SIGTERM; killed (log ${logs[$i]})" >&2
      kill -KILL "${pids[$i]}" 2>/dev/null || true
    fi
  done
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
tables="customers products orders events"
# The mock broker keeps at most 5 MiB per partition and deletes the oldest records beyond that, read or not (the sink
# then stops the table, errors.offset.gap): the demo's topics get 32 partitions (160 MiB) instead of the 4 (20 MiB) of
# an auto-created topic.
for table in $tables; do
  curl -fsS -X POST -H 'Content-Type: application/json' -d "{\"name\":\"shop_$table\",\"partitions\":32}" \
    "${KCDC_DEVSTACK_ADMIN_URL%/}/topics" >/dev/null
done

export KAFKACDC_SOURCE_PASSWORD=$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')
export KAFKACDC_SINK_PASSWORD=$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')
psql -qX -v ON_ERROR_STOP=1 -c "CREATE DATABASE shop" -c "CREATE DATABASE analytics" >/dev/null
# Sample data loaded before the connectors start: the source's initial snapshot carries it to the destination.
# 300,000 rows for the demo; --check loads a quarter of that, which is enough to prove the snapshot and stays fast
# (so does the live demo with KCDC_DEMO_SMALL=1, which the tests use to keep the suite short).
if $check || [ "${KCDC_DEMO_SMALL:-}" = 1 ]; then sizes=(-v customers=20000 -v products=2000 -v orders=50000 -v events=10000)
else sizes=(-v customers=50000 -v products=10000 -v orders=150000 -v events=90000); fi
psql -qX -v ON_ERROR_STOP=1 -d shop "${sizes[@]}" -f scripts/demo/shop.sql >/dev/null
psql -qX -v ON_ERROR_STOP=1 -d shop -v user=kafkacdc_user -v "password=$KAFKACDC_SOURCE_PASSWORD" -v schema=public \
  -f schemas/sql/source-setup.sql >/dev/null
psql -qX -v ON_ERROR_STOP=1 -d analytics -v user=kafkacdc_sink -v "password=$KAFKACDC_SINK_PASSWORD" -v schema=kafkacdc \
  -f schemas/sql/sink-setup.sql >/dev/null

rest_source=0 rest_sink=0
$check || { rest_source=${KCDC_DEMO_SOURCE_REST_PORT:-8083}; rest_sink=${KCDC_DEMO_SINK_REST_PORT:-8084}; }
insert_mode_value=upsert; $insert_mode && insert_mode_value=insert
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
# One config per sink process: the same name (so the same consumer group), its own REST port. After a member joins or
# leaves, the mock broker waits up to the session timeout (librdkafka's 45 s) for the others to rejoin before it assigns
# partitions again, which the start of 2 tasks (the regex subscription finding the topics) ran into: 10 s here.
sink_urls=()
for i in $(seq 1 "$sink_processes"); do
  port=0; [ "$rest_sink" = 0 ] || port=$((rest_sink + i - 1))
  sink_urls+=("http://localhost:$port")
  cat >"$state/sink-$i.json" <<JSON
{
  "name": "analytics",
  "topics.regex": "shop_.*",
  "connection.hostname": "$PGHOST", "connection.port": $PGPORT, "connection.database": "analytics", "connection.sslmode": "disable",
  "connection.username": "kafkacdc_sink", "connection.password": "\${env:KAFKACDC_SINK_PASSWORD}",
  "schema.name": "kafkacdc",
  "insert.mode": "$insert_mode_value",
  "tasks.max": $tasks, "kafka.session.timeout.ms": 10000,
  "kafka.bootstrap.servers": "$KAFKA_BOOTSTRAP_SERVERS", "schema.registry.url": "$SCHEMA_REGISTRY_URL",
  "rest.port": $port
}
JSON
done

echo "Starting the source connector and $sink_processes sink process(es) with $tasks task(s) each..."
dotnet "$(bin SourceConnector)" --config "$state/source.json" >"$state/source.log" 2>&1 &
started $! "source connector" "$state/source.log"
for i in $(seq 1 "$sink_processes"); do
  dotnet "$(bin SinkConnector)" --config "$state/sink-$i.json" >"$state/sink-$i.log" 2>&1 &
  started $! "sink connector $i" "$state/sink-$i.log"
done

if ! $check; then
  # The live view, the workload and, on Ctrl-C, the consistency verdict. Started in the background, it ignores the
  # terminal's Ctrl-C, as the connectors do; this script's trap turns Ctrl-C (and SIGTERM) into a SIGTERM to it, which
  # it takes as "stop the workload, wait for the catch-up, compare every table" (a second one: give up). The connectors
  # run on until it exits, then stop (the EXIT trap).
  echo "Starting the live view (Ctrl-C stops the workload, checks every table and stops everything)..."
  demo_args=(--source-url "http://localhost:$rest_source" --source-db "Host=$PGHOST;Port=$PGPORT;Username=$PGUSER;Database=shop"
    --destination-db "Host=$PGHOST;Port=$PGPORT;Username=$PGUSER;Database=analytics" --destination-schema kafkacdc
    --topic-prefix shop_ --logs "$state")
  for url in "${sink_urls[@]}"; do demo_args+=(--sink-url "$url"); done
  $workload || demo_args+=(--no-workload)
  $insert_mode && demo_args+=(--insert-mode)
  dotnet "$(bin Demo)" "${demo_args[@]}" &
  demo=$!
  trap 'kill -TERM $demo 2>/dev/null || true' INT TERM
  # A trapped signal ends `wait` early: wait again until the demo has exited, then take its exit code.
  while kill -0 "$demo" 2>/dev/null; do wait "$demo" || true; done
  code=0; wait "$demo" || code=$?
  trap 'exit 130' INT
  trap 'exit 143' TERM
  exit "$code"
fi

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

wait_for 30 "analytics to equal shop after the changes" same_rows
echo "run.sh --check: the initial snapshot and a change made in shop reached analytics through Kafka; both tables equal"
