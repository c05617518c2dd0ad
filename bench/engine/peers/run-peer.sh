#!/usr/bin/env bash
# Runs one peer on one stream file, printing its JSON line (nothing when the peer is not built).
#   bash bench/engine/peers/run-peer.sh exchange-core|orderbook-rs|lobster insert|mix FILE
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
peer=$1 stream=$2 file=$3
case "$peer" in
  exchange-core)
    [ -d "$here/exchange-core/target/classes" ] || exit 0
    cp="$here/exchange-core/target/classes:$(ls "$here"/exchange-core/target/lib/*.jar | tr '\n' ':')"
    java -Xms4g -Xmx8g -cp "$cp" statarb.ExchangeCorePeer "$stream" "$file" 2> /dev/null ;;
  *)
    [ -x "$here/rust/target/release/statarb-engine-peers" ] || exit 0
    "$here/rust/target/release/statarb-engine-peers" "$peer" "$stream" "$file" ;;
esac
