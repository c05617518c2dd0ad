/**
 * The content of each request the kernel answers, checked before it is used: a message that is
 * correctly signed but carries content of the wrong shape (`code` that is not a string, content that
 * is not an object…) gets an error reply naming the field, never a crash or a kernel left busy.
 * Unknown fields are allowed (newer protocol versions add some); `null` counts as absent.
 */

/** A request whose content does not have the shape its type requires. */
export class BadRequestError extends Error {
  override name = "BadRequest";
}

type Kind = "string" | "boolean" | "integer" | "object" | "stringRecord";
type Field = readonly [kind: Kind, required: boolean];

const SCHEMAS: Readonly<Record<string, Readonly<Record<string, Field>>>> = {
  execute_request: {
    code: ["string", true],
    silent: ["boolean", false],
    store_history: ["boolean", false],
    user_expressions: ["stringRecord", false],
    allow_stdin: ["boolean", false],
    stop_on_error: ["boolean", false],
  },
  complete_request: { code: ["string", true], cursor_pos: ["integer", false] },
  inspect_request: { code: ["string", true], cursor_pos: ["integer", false], detail_level: ["integer", false] },
  is_complete_request: { code: ["string", true] },
  history_request: {
    output: ["boolean", false],
    raw: ["boolean", false],
    hist_access_type: ["string", false],
    session: ["integer", false],
    start: ["integer", false],
    stop: ["integer", false],
    n: ["integer", false],
    pattern: ["string", false],
    unique: ["boolean", false],
  },
  comm_info_request: { target_name: ["string", false] },
  comm_open: { comm_id: ["string", true], target_name: ["string", true], data: ["object", false] },
  comm_msg: { comm_id: ["string", true], data: ["object", false] },
  comm_close: { comm_id: ["string", true], data: ["object", false] },
  shutdown_request: { restart: ["boolean", false] },
  statarb_reset_request: {},
  input_reply: { value: ["string", true] },
  debug_request: { command: ["string", true], seq: ["integer", false], type: ["string", false], arguments: ["object", false] },
};

function hasKind(v: unknown, kind: Kind): boolean {
  switch (kind) {
    case "string":
      return typeof v === "string";
    case "boolean":
      return typeof v === "boolean";
    case "integer":
      return Number.isSafeInteger(v);
    case "object":
      return typeof v === "object" && v !== null && !Array.isArray(v);
    case "stringRecord":
      return typeof v === "object" && v !== null && !Array.isArray(v) && Object.values(v).every((x) => typeof x === "string");
  }
}

const KIND_TEXT: Record<Kind, string> = { string: "a string", boolean: "true or false", integer: "an integer", object: "an object", stringRecord: "an object of strings" };

/** Checks the content of a message of `msgType` (types without a schema pass); throws BadRequestError naming the field. */
export function checkContent(msgType: string, content: Record<string, unknown>): void {
  const schema = SCHEMAS[msgType];
  if (schema === undefined) return;
  for (const [name, [kind, required]] of Object.entries(schema)) {
    const v = content[name];
    if (v === undefined || v === null) {
      if (required) throw new BadRequestError(`${msgType}: content.${name} is required (${KIND_TEXT[kind]})`);
      continue;
    }
    if (!hasKind(v, kind)) throw new BadRequestError(`${msgType}: content.${name} must be ${KIND_TEXT[kind]}, got ${typeof v === "object" ? (Array.isArray(v) ? "an array" : "an object") : JSON.stringify(v)}`);
  }
}
