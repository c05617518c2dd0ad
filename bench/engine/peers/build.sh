#!/usr/bin/env bash
# Builds the order-book peers from their registries (no hand steps): exchange-core from Maven Central
# (Java 17 from Debian) and orderbook-rs + lobster from crates.io (cargo, release profile: opt-level 3,
# fat LTO, one codegen unit). Only the harnesses and their pom.xml / Cargo.toml live in the repo.
# Prints one line per peer; a peer that cannot be built is said so and skipped (exit 0).
set -uo pipefail
cd "$(dirname "$0")"
log=../../.tmp/engine
mkdir -p "$log"
if command -v cargo > /dev/null; then
  if nice cargo build --release --quiet --manifest-path rust/Cargo.toml > "$log/peers-rust.log" 2>&1; then
    echo "[peers] orderbook-rs 0.15.3, lobster 0.7.0 (crates.io): rust/target/release/statarb-engine-peers"
  else
    echo "[peers] Rust peers not built (see bench/.tmp/engine/peers-rust.log)"
  fi
else
  echo "[peers] Rust peers not built: cargo is not installed (rustup, or apt-get install cargo)"
fi
if command -v mvn > /dev/null && command -v javac > /dev/null; then
  if (cd exchange-core && nice mvn -q -B compile dependency:copy-dependencies -DoutputDirectory=target/lib > "../$log/peers-java.log" 2>&1); then
    echo "[peers] exchange-core 0.5.3 (Maven Central): exchange-core/target/classes"
  else
    echo "[peers] exchange-core not built (see bench/.tmp/engine/peers-java.log)"
  fi
else
  echo "[peers] exchange-core not built: needs mvn and a JDK 17 (apt-get install maven openjdk-17-jdk-headless)"
fi
# Liquibook is published on no registry this machine reaches (its source is on GitHub only), so it
# is not a peer here; its published figures are quoted, labelled as published, without a ratio.
