#!/bin/bash
# The cluster's one-shot admin step: once the server answers, make sure the `default` namespace
# and dkmv's search attributes exist. Idempotent: only what is missing is created.
set -euo pipefail
export TEMPORAL_ADDRESS="${TEMPORAL_ADDRESS:-temporal:7233}"
NAMESPACE="${TEMPORAL_NAMESPACE:-default}"
ATTRIBUTES="DkmvComponent=Keyword DkmvBranch=Keyword DkmvRepo=Keyword DkmvStatus=Keyword DkmvCostUsd=Double DkmvRunKind=Keyword"

echo "dkmv-temporal-admin: waiting for $TEMPORAL_ADDRESS"
for i in $(seq 1 180); do
  temporal operator cluster health >/dev/null 2>&1 && break
  [ "$i" = 180 ] && { echo "dkmv-temporal-admin: the server did not answer in 180 s" >&2; exit 1; }
  sleep 1
done

if ! temporal operator namespace describe --namespace "$NAMESPACE" >/dev/null 2>&1; then
  echo "dkmv-temporal-admin: creating namespace $NAMESPACE"
  temporal operator namespace create --namespace "$NAMESPACE" --retention "${NAMESPACE_RETENTION:-720h}"
fi

existing=$(temporal operator search-attribute list --namespace "$NAMESPACE" -o json)
for pair in $ATTRIBUTES; do
  name=${pair%%=*} type=${pair#*=}
  if grep -q "\"$name\"" <<<"$existing"; then continue; fi
  echo "dkmv-temporal-admin: registering search attribute $name ($type)"
  temporal operator search-attribute create --namespace "$NAMESPACE" --name "$name" --type "$type"
done
echo "dkmv-temporal-admin: namespace $NAMESPACE ready"
