#!/bin/bash
# Entry point of the dkmv Temporal server image: wait for PostgreSQL, create or upgrade the two
# databases with Temporal's SQL schema tool (the schemas are embedded in it), then run the server.
# Safe to run on every start: existing databases are only migrated forward.
set -euo pipefail

export POSTGRES_SEEDS="${POSTGRES_SEEDS:-postgresql}" DB_PORT="${DB_PORT:-5432}"
export POSTGRES_USER="${POSTGRES_USER:-temporal}" POSTGRES_PWD="${POSTGRES_PWD:-temporal}"
export DBNAME="${DBNAME:-temporal}" VISIBILITY_DBNAME="${VISIBILITY_DBNAME:-temporal_visibility}"
# Cluster membership needs an address the other services can reach: this container's own.
TEMPORAL_BROADCAST_ADDRESS="${TEMPORAL_BROADCAST_ADDRESS:-$(getent hosts "$(cat /etc/hostname)" | awk '{print $1; exit}')}"
export TEMPORAL_BROADCAST_ADDRESS

sql_tool() {
  temporal-sql-tool --plugin postgres12 --ep "$POSTGRES_SEEDS" --port "$DB_PORT" \
    --user "$POSTGRES_USER" --password "$POSTGRES_PWD" "$@"
}

setup_db() { # <database> <embedded schema name>
  # create-database fails when the database exists: that is the normal case after the first start.
  sql_tool --db "$1" create-database >/dev/null 2>&1 || true
  # Version 0.0 creates only the schema_version bookkeeping when it is missing.
  sql_tool --db "$1" setup-schema -v 0.0 >/dev/null 2>&1 || true
  sql_tool --db "$1" update-schema --schema-name "$2"
}

# PostgreSQL may still be starting (or restarting): retry the whole schema step for two minutes.
echo "dkmv-temporal: setting up the schemas on PostgreSQL at $POSTGRES_SEEDS:$DB_PORT"
for i in $(seq 1 60); do
  if setup_db "$DBNAME" postgresql/v12/temporal >/tmp/schema.log 2>&1 \
     && setup_db "$VISIBILITY_DBNAME" postgresql/v12/visibility >>/tmp/schema.log 2>&1; then break; fi
  if [ "$i" = 60 ]; then cat /tmp/schema.log >&2; echo "dkmv-temporal: schema setup failed" >&2; exit 1; fi
  sleep 2
done

echo "dkmv-temporal: starting the server (broadcast address $TEMPORAL_BROADCAST_ADDRESS)"
exec temporal-server --root / --config etc/temporal/config --env docker --allow-no-auth start
