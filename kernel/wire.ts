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

/** Why an incoming message was refused (no reply: it may not come from the client at all). */
export class WireError extends Error {
  override name = "WireError";
}

/**
 * A correctly signed message whose frames are not a valid message (a header without a msg_type,
 * frames that are not JSON objects…): it comes from the client, so it gets an error reply when it
 * can be addressed. `header` is what could be read of it (a string `msg_type` when it names one).
 */
export class MalformedMessage extends Error {
  override name = "MalformedMessage";
  constructor(
    message: string,
    readonly identities: Buffer[],
    readonly header: Partial<MessageHeader>,
  ) {
    super(message);
  }
}

/**
 * The signatures of the messages already accepted, so a replayed message (the same signed frames
 * sent again) is refused, as jupyter_client's Session does with its `digest_history`: at most
 * `capacity` signatures are kept; when full, the oldest tenth is forgotten.
 */
export class SignatureHistory {
  readonly #seen = new Set<string>();
  readonly #capacity: number;

  constructor(capacity = 1 << 16) {
    this.#capacity = capacity;
  }

  /** Records `signature`; false when it was seen before (a replay). Empty signatures (no key) are not tracked. */
  record(signature: string): boolean {
    if (signature === "") return true;
    if (this.#seen.has(signature)) return false;
    if (this.#seen.size >= this.#capacity) {
      let drop = Math.max(1, Math.floor(this.#capacity / 10));
      for (const old of this.#seen) {
        this.#seen.delete(old);
        if (--drop === 0) break;
      }
    }
    this.#seen.add(signature);
    return true;
  }
}

/**
 * Decodes frames into a message, checking the signature (and, with `history`, that it is not a
 * replay); throws `WireError` when refused and `MalformedMessage` when signed but not a valid message.
 */
export function decode(frames: readonly Buffer[], signer: Signer, history?: SignatureHistory): Message {
  const d = frames.findIndex((f) => f.length === DELIMITER.length && f.toString("utf8") === DELIMITER);
  if (d < 0) throw new WireError("no <IDS|MSG> delimiter");
  if (frames.length < d + 6) throw new WireError(`expected 5 frames after the delimiter, got ${frames.length - d - 1}`);
  const signature = (frames[d + 1] as Buffer).toString("utf8");
  const parts = frames.slice(d + 2, d + 6) as Buffer[];
  if (!signer.verify(signature, parts)) throw new WireError(signature ? "bad HMAC signature" : "unsigned message");
  if (history && !history.record(signature)) throw new WireError("duplicate signature (a replayed message)");
  const identities = frames.slice(0, d) as Buffer[];
  const header = parseFrame(parts[0] as Buffer, "header", identities, {});
  if (typeof header?.msg_type !== "string" || header.msg_type === "" || typeof header.msg_id !== "string") {
    throw new MalformedMessage("the header is not an object with msg_type and msg_id strings", identities, (header ?? {}) as Partial<MessageHeader>);
  }
  const known = header as unknown as MessageHeader;
  const [parent, metadata, content] = (["parent_header", "metadata", "content"] as const).map((name, i) => {
    const v = parseFrame(parts[i + 1] as Buffer, name, identities, known);
    if (v === undefined) throw new MalformedMessage(`${name} is not a JSON object`, identities, known);
    return v;
  });
  return {
    identities,
    header: known,
    parent_header: parent as Partial<MessageHeader>,
    metadata: metadata as Record<string, unknown>,
    content: content as Record<string, unknown>,
    buffers: frames.slice(d + 6) as Buffer[],
  };
}

/** A frame as a JSON object (empty frame = {}); undefined when it is JSON but not an object; throws MalformedMessage when it is not JSON. */
function parseFrame(p: Buffer, name: string, identities: Buffer[], header: Partial<MessageHeader>): Record<string, unknown> | undefined {
  let v: unknown;
  try {
    v = JSON.parse(p.toString("utf8") || "{}");
  } catch (err) {
    throw new MalformedMessage(`${name} is not JSON (${(err as Error).message})`, identities, header);
  }
  return typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
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
