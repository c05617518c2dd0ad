#!/usr/bin/env node
// Caches the Apache Kafka broker (KRaft mode) from Maven Central for the Kafka source's integration test
// (test/ticks/kafka.test.ts): org.apache.kafka:kafka_2.13 and its runtime dependencies, resolved by
// Maven (`dependency:copy-dependencies`) into datasets/.cache/kafka-<version>/libs/. Runs with the
// machine's Java (Debian's OpenJDK 17). Idempotent: a complete cache (marker file) is left alone.
// Never fatal to setup: without Maven or the network the test says why it is skipped.
// Usage: node scripts/fetch-kafka.mjs [--force]
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const KAFKA_VERSION = "4.0.1";
const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const dir = join(process.env.STATARB_DATA_DIR ?? join(root, "datasets", ".cache"), `kafka-${KAFKA_VERSION}`);
const marker = join(dir, "complete");

const pom = `<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>statarb.local</groupId>
  <artifactId>kafka-broker-runtime</artifactId>
  <version>1</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency><groupId>org.apache.kafka</groupId><artifactId>kafka_2.13</artifactId><version>${KAFKA_VERSION}</version></dependency>
    <dependency><groupId>org.apache.logging.log4j</groupId><artifactId>log4j-slf4j-impl</artifactId><version>2.24.3</version></dependency>
    <dependency><groupId>org.apache.logging.log4j</groupId><artifactId>log4j-core</artifactId><version>2.24.3</version></dependency>
  </dependencies>
</project>
`;

if (!process.argv.includes("--force") && existsSync(marker)) {
  console.log(`  kafka-${KAFKA_VERSION}: cached`);
  process.exit(0);
}
try {
  execFileSync("mvn", ["-v"], { stdio: "ignore" });
} catch {
  console.log(`  kafka-${KAFKA_VERSION}: skipped (no mvn on PATH; the Kafka integration test will be skipped)`);
  process.exit(0);
}
rmSync(dir, { recursive: true, force: true });
mkdirSync(dir, { recursive: true });
writeFileSync(join(dir, "pom.xml"), pom);
try {
  const t0 = Date.now();
  execFileSync("mvn", ["-q", "-B", "-f", join(dir, "pom.xml"), "dependency:copy-dependencies", `-DoutputDirectory=${join(dir, "libs")}`, "-DincludeScope=runtime"], { stdio: ["ignore", "pipe", "pipe"], maxBuffer: 1 << 26 });
  const jars = readdirSync(join(dir, "libs")).filter((f) => f.endsWith(".jar"));
  if (!jars.some((f) => f.startsWith("kafka_2.13-"))) throw new Error("kafka_2.13 jar missing after resolution");
  writeFileSync(marker, `${jars.length} jars, ${new Date().toISOString()}\n`);
  console.log(`  kafka-${KAFKA_VERSION}: ${jars.length} jars from Maven Central (${Date.now() - t0} ms)`);
} catch (err) {
  const detail = String(err.stdout?.toString() || err.stderr?.toString() || err.message).trim().split("\n").slice(-3).join(" | ");
  console.log(`  kafka-${KAFKA_VERSION}: not cached (${detail}); retry: node scripts/fetch-kafka.mjs --force`);
}
