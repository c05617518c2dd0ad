/**
 * Starts a real single-node Apache Kafka broker in KRaft mode (broker + controller in one JVM) from the
 * jars that scripts/fetch-kafka.mjs caches from Maven Central, with the machine's Java; for the Kafka
 * source's integration test. Loopback only; the process and its folder are removed by `stop()`.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createConnection, createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const KAFKA_VERSION = "4.0.1";
const root = fileURLToPath(new URL("../../", import.meta.url));
const libs = join(process.env.STATARB_DATA_DIR ?? join(root, "datasets", ".cache"), `kafka-${KAFKA_VERSION}`, "libs");

/** Why a broker cannot be started here, or undefined when it can be tried. */
export function brokerUnavailable(): string | undefined {
  if (spawnSync("java", ["-version"], { stdio: "ignore" }).status !== 0) return "no java on PATH (Debian: default-jre-headless)";
  if (!existsSync(join(libs, `kafka_2.13-${KAFKA_VERSION}.jar`))) return `Kafka ${KAFKA_VERSION} jars not cached (run: node scripts/fetch-kafka.mjs)`;
  return undefined;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const a = s.address();
      s.close(() => resolve(typeof a === "object" && a ? a.port : 0));
    });
  });
}

function accepting(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const c: ReturnType<typeof createConnection> = createConnection({ host: "127.0.0.1", port }, () => (c.end(), resolve(true)));
    c.once("error", () => resolve(false));
  });
}

export interface Broker {
  readonly brokers: string[];
  stop(): Promise<void>;
}

/** Formats a fresh log folder and starts the broker; rejects with the broker's last lines when it does not come up within `timeoutMs`. */
export async function startBroker(timeoutMs = 120_000): Promise<Broker> {
  const dir = mkdtempSync(join(tmpdir(), "statarb-kafka-"));
  const [port, cport] = [await freePort(), await freePort()];
  const props = join(dir, "server.properties");
  writeFileSync(props, [
    "process.roles=broker,controller", "node.id=1", `controller.quorum.voters=1@127.0.0.1:${cport}`,
    `listeners=PLAINTEXT://127.0.0.1:${port},CONTROLLER://127.0.0.1:${cport}`, `advertised.listeners=PLAINTEXT://127.0.0.1:${port}`,
    "controller.listener.names=CONTROLLER", "listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT", "inter.broker.listener.name=PLAINTEXT",
    `log.dirs=${join(dir, "data")}`, "num.partitions=1", "offsets.topic.replication.factor=1", "offsets.topic.num.partitions=1",
    "transaction.state.log.replication.factor=1", "transaction.state.log.min.isr=1", "group.initial.rebalance.delay.ms=0",
    "share.coordinator.state.topic.replication.factor=1", "share.coordinator.state.topic.min.isr=1", "",
  ].join("\n"));
  const cp = `${libs}/*`;
  const id = randomBytes(16).toString("base64url");
  const fmt = spawnSync("java", ["-Xmx256m", "-cp", cp, "kafka.tools.StorageTool", "format", "-t", id, "-c", props], { encoding: "utf8" });
  if (fmt.status !== 0) throw new Error(`kafka storage format failed: ${(fmt.stderr || fmt.stdout).trim().split("\n").pop()}`);
  let log = "";
  const proc: ChildProcess = spawn("java", ["-Xmx512m", "-XX:+UseSerialGC", "-cp", cp, "kafka.Kafka", props], { stdio: ["ignore", "pipe", "pipe"] });
  proc.stdout?.on("data", (d: Buffer) => (log = (log + d.toString()).slice(-4000)));
  proc.stderr?.on("data", (d: Buffer) => (log = (log + d.toString()).slice(-4000)));
  const stop = async () => {
    if (proc.exitCode === null) {
      proc.kill("SIGTERM");
      await new Promise((r) => setTimeout(r, 200));
      const gone = new Promise((r) => proc.once("exit", r));
      await Promise.race([gone, new Promise((r) => setTimeout(r, 10_000))]);
      if (proc.exitCode === null) proc.kill("SIGKILL");
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + timeoutMs;
  while (!(await accepting(port))) {
    if (proc.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`the Kafka broker did not start: ${log.trim().split("\n").slice(-2).join(" | ")}`);
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  return { brokers: [`127.0.0.1:${port}`], stop };
}
