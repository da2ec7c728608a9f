#!/usr/bin/env bash
# `tools/dev up` must be safe to run twice: start the suite with the demo data
# on a persistent database, stop, start again on the same database, and check
# through the gateway (grpc-js) that the demo tree exists exactly once.
# Usage: dev_up_twice.sh DEVSTACK BUILD_DIR SOURCE_DIR STATE_DIR NODE
set -euo pipefail
devstack=$1 build=$2 source=$3 state=$4 node=$5
rm -rf "$state"
common=(--state_dir="$state" --build_dir="$build" --source_dir="$source" --persistent_database=true --demo=true)
"$devstack" run "${common[@]}" -- true
"$devstack" run "${common[@]}" -- "$node" --test "$source/tests/e2e/node/demo_tree.test.cjs"
rm -rf "$state"
