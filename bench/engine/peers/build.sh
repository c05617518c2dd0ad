#!/usr/bin/env bash
# Builds the order-book peers from their registries (no hand steps): exchange-core from Maven Central
# (Java 17 from Debian) and orderbook-rs + lobster from crates.io (cargo, release profile: opt-level 3,
# fat LTO, one codegen unit). Only the harnesses and their pom.xml / Cargo.toml live in the repo.
# Cargo.lock is committed and the build is --locked, so every machine builds the same crate versions.
# A missing JDK or Maven is installed from Debian (openjdk-17-jdk-headless, maven) when we may
# (root or password-less sudo); Rust has no usable Debian package here (Debian 12's rustc 1.63; orderbook-rs 0.15.3
# declares rust-version 1.95), so without cargo (rustup) the Rust peers are skipped and said so.
# Prints one line per peer; a peer that cannot be built is said so and skipped (exit 0).
set -uo pipefail
cd "$(dirname "$0")"
log=../../.tmp/engine
mkdir -p "$log"
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo -n "$@"; fi; }
if ! command -v mvn > /dev/null || ! command -v javac > /dev/null; then
  echo "[peers] installing Maven and a JDK 17 from Debian for exchange-core"
  { as_root apt-get update -qq &&
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends maven openjdk-17-jdk-headless; } \
    > "$log/peers-apt.log" 2>&1 || echo "[peers] apt-get install maven openjdk-17-jdk-headless failed (see bench/.tmp/engine/peers-apt.log)"
fi
if command -v cargo > /dev/null; then
  if nice cargo build --release --locked --quiet --manifest-path rust/Cargo.toml > "$log/peers-rust.log" 2>&1; then
    echo "[peers] orderbook-rs 0.15.3, lobster 0.7.0 (crates.io): rust/target/release/statarb-engine-peers"
  else
    echo "[peers] Rust peers not built (see bench/.tmp/engine/peers-rust.log)"
  fi
else
  echo "[peers] Rust peers not built: cargo is not installed (orderbook-rs 0.15.3 needs Rust ≥ 1.95 (edition 2024) from rustup; Debian 12 ships 1.63)"
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
