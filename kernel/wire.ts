/**
 * Jupyter messaging protocol 5.3 wire format: frames ⇄ messages, HMAC signing and checking.
 * `[identities…, "<IDS|MSG>", hmac, header, parent_header, metadata, content, buffers…]`.
 */
import { createHmac, randomUUID, timingSafeEqual } from "node:crypto";

export const PROTOCOL_VERSION = "5.3";
const DELIMITER = "<IDS|MSG>";

export interface MessageHeader {
  msg_id: string;
  session: string;
  username: string;
  date: string;
  msg_type: string;
  version: string;
  subshell_id?: string | null;
}

/** One decoded message; `identities` are the ROUTER routing frames to reply to. */
export interface Message<C = Record<string, unknown>> {
  identities: Buffer[];
  header: MessageHeader;
  parent_header: Partial<MessageHeader>;
  metadata: Record<string, unknown>;
  content: C;
  buffers: Buffer[];
}

/** Signs and checks messages with the connection file's key and scheme (empty key = unsigned). */
export class Signer {
  readonly #key: string;
  readonly #algorithm: string;

  constructor(key: string, scheme: string) {
    const m = /^hmac-(sha\d+)$/.exec(scheme);
    if (key && !m) throw new Error(`unsupported signature_scheme ${JSON.stringify(scheme)} (expected hmac-sha256)`);
    this.#key = key;
    this.#algorithm = m?.[1] ?? "sha256";
  }

  sign(parts: readonly (Buffer | string)[]): string {
    if (!this.#key) return "";
    const h = createHmac(this.#algorithm, this.#key);
    for (const p of parts) h.update(p);
    return h.digest("hex");
  }

  verify(signature: string, parts: readonly Buffer[]): boolean {
    if (!this.#key) return true;
    const expected = Buffer.from(this.sign(parts), "utf8");
    const got = Buffer.from(signature, "utf8");
    return expected.length === got.length && timingSafeEqual(expected, got);
  }
}

/** Why an incoming message was refused. */
export class WireError extends Error {
  override name = "WireError";
}

/** Decodes frames into a message, checking the signature; throws `WireError` when refused. */
export function decode(frames: readonly Buffer[], signer: Signer): Message {
  const d = frames.findIndex((f) => f.length === DELIMITER.length && f.toString("utf8") === DELIMITER);
  if (d < 0) throw new WireError("no <IDS|MSG> delimiter");
  if (frames.length < d + 6) throw new WireError(`expected 5 frames after the delimiter, got ${frames.length - d - 1}`);
  const signature = (frames[d + 1] as Buffer).toString("utf8");
  const parts = frames.slice(d + 2, d + 6) as Buffer[];
  if (!signer.verify(signature, parts)) throw new WireError(signature ? "bad HMAC signature" : "unsigned message");
  const [header, parent, metadata, content] = parts.map((p) => JSON.parse(p.toString("utf8") || "{}") as Record<string, unknown>);
  return {
    identities: frames.slice(0, d) as Buffer[],
    header: header as unknown as MessageHeader,
    parent_header: (parent ?? {}) as Partial<MessageHeader>,
    metadata: metadata ?? {},
    content: content ?? {},
    buffers: frames.slice(d + 6) as Buffer[],
  };
}

/** Builds a new header for a message of `msgType` in `session`. */
export function newHeader(msgType: string, session: string): MessageHeader {
  return { msg_id: randomUUID(), session, username: "statarb", date: new Date().toISOString(), msg_type: msgType, version: PROTOCOL_VERSION };
}

/** Encodes a message into signed frames. */
export function encode(
  signer: Signer,
  identities: readonly Buffer[],
  header: MessageHeader,
  parent: Partial<MessageHeader>,
  content: unknown,
  metadata: Record<string, unknown> = {},
  buffers: readonly Buffer[] = [],
): (Buffer | string)[] {
  const parts = [JSON.stringify(header), JSON.stringify(parent), JSON.stringify(metadata), JSON.stringify(content, jsonSafe)];
  return [...identities, DELIMITER, signer.sign(parts), ...parts, ...buffers];
}

// JSON has no NaN/Infinity/bigint; keep messages valid instead of throwing mid-reply.
function jsonSafe(_key: string, value: unknown): unknown {
  if (typeof value === "bigint") return value.toString();
  if (typeof value === "number" && !Number.isFinite(value)) return null;
  return value;
}
