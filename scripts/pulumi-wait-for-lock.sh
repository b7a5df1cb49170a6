#!/usr/bin/env bash
# Runs `pulumi "$@"`, and when the stack's lock is held by another update (a scheduled rotation, a person's `up`), waits
# and runs it again instead of failing: a DIY backend takes the lock before anything changes and refuses with "the stack
# is currently locked by" (pulumi/pulumi pkg/backend/diy/lock.go), so the retry repeats nothing. Previews take no lock
# on a DIY backend (pkg/backend/diy/backend.go, Preview), so only another update can hold one.
# PULUMI_LOCK_WAIT_SECONDS (default 1800) bounds the wait; PULUMI_LOCK_RETRY_SECONDS (default 30) spaces the attempts.
set -uo pipefail

wait_limit=${PULUMI_LOCK_WAIT_SECONDS:-1800}
interval=${PULUMI_LOCK_RETRY_SECONDS:-30}
waited=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT

while true; do
  pulumi "$@" 2>&1 | tee "$log"
  status=${PIPESTATUS[0]}
  if [ "$status" -eq 0 ] || ! grep -q "the stack is currently locked by" "$log"; then
    exit "$status"
  fi
  if [ "$waited" -ge "$wait_limit" ]; then
    echo "::error::the stack stayed locked for ${waited}s; find the update holding it before running 'pulumi cancel'" >&2
    exit "$status"
  fi
  echo "::notice::the stack is locked by another update; retrying in ${interval}s (waited ${waited}s of ${wait_limit}s)"
  sleep "$interval"
  waited=$((waited + interval))
done
