/**
 * Values as the debugger panel shows them: CDP remote objects → DAP variables (a one-line value, a
 * type, and a reference the panel expands through `variables`), and the table of those references.
 */
import type { DapVariable, Inspector, ObjectPreview, RemoteObject } from "./dap.js";

/** Properties one `variables` answer lists at most (a large typed array is cut). */
export const MAX_CHILDREN = 500;

/** What a variables reference stands for. */
export type Ref = { kind: "object"; objectId: string } | { kind: "globals"; callFrameId?: string };

/** Variables references: numbers handed to the front end, each for an object or the globals. */
export class RefTable {
  readonly #refs = new Map<number, Ref>();
  #next: number;

  /** `base` separates tables whose references live side by side (paused frames, the variable explorer). */
  constructor(base: number) {
    this.#next = base;
  }

  add(ref: Ref): number {
    const n = this.#next++;
    this.#refs.set(n, ref);
    return n;
  }

  get(n: number): Ref | undefined {
    return this.#refs.get(n);
  }

  clear(): void {
    this.#refs.clear();
  }
}

function previewText(p: ObjectPreview): string {
  const isArray = p.subtype === "array" || p.subtype === "typedarray";
  const items = p.properties.map((x) => {
    const v = x.type === "string" ? JSON.stringify(x.value ?? "") : (x.value ?? x.type);
    return isArray ? v : `${x.name}: ${v}`;
  });
  if (p.overflow) items.push("…");
  return isArray ? `[${items.join(", ")}]` : `{${items.join(", ")}}`;
}

/** The one-line value of a remote object. */
export function valueText(o: RemoteObject): string {
  switch (o.type) {
    case "string":
      return JSON.stringify(o.value);
    case "undefined":
      return "undefined";
    case "number":
    case "boolean":
    case "bigint":
      return o.unserializableValue ?? String(o.value ?? o.description);
    case "function": {
      const head = (o.description ?? "function").split("\n")[0] ?? "function";
      return head.replace(/\s*(?:=>\s*)?\{\s*$/, "");
    }
    case "object": {
      if (o.subtype === "null") return "null";
      const d = o.description ?? o.className ?? "Object";
      if (!o.preview || o.subtype === "error" || o.subtype === "date" || o.subtype === "regexp") return d;
      const text = previewText(o.preview);
      return d === "Object" ? text : `${d} ${text}`;
    }
    default:
      return o.description ?? String(o.value);
  }
}

/**
 * The type shown beside a value. Numbers, booleans and strings carry the names JupyterLab's variable
 * tree knows (`int`, `float`, `bool`, `str` — it shows the value of those, and only the type of the
 * rest); everything else its JavaScript name (`Array`, `Float64Array`, `Panel`, `function`…).
 */
export function typeText(o: RemoteObject): string {
  switch (o.type) {
    case "object":
      return o.subtype === "null" ? "null" : (o.className ?? o.subtype ?? "object");
    case "number":
      return typeof o.value === "number" && Number.isInteger(o.value) ? "int" : "float";
    case "boolean":
      return "bool";
    case "string":
      return "str";
    default:
      return o.type;
  }
}

/** A DAP variable for `name` = `o`; objects get a reference (in `refs`) the panel can expand. */
export function toVariable(name: string, o: RemoteObject, refs: RefTable, evaluateName = name): DapVariable {
  const expandable = o.objectId !== undefined && (o.type === "object" || o.type === "function") && o.subtype !== "null";
  return {
    name,
    value: valueText(o),
    type: typeText(o),
    ...(o.type === "string" ? { presentationHint: { attributes: ["rawString"] } } : {}),
    evaluateName,
    variablesReference: expandable && o.type === "object" ? refs.add({ kind: "object", objectId: o.objectId as string }) : 0,
  };
}

interface PropertyDescriptor {
  name: string;
  value?: RemoteObject;
  get?: RemoteObject;
  isOwn?: boolean;
  enumerable?: boolean;
}

/** The own properties of an object as DAP variables (`only`: keep just these names, in this order). */
export async function propertiesOf(inspector: Inspector, objectId: string, refs: RefTable, only?: readonly string[]): Promise<DapVariable[]> {
  const r = await inspector.post<{ result: PropertyDescriptor[] }>("Runtime.getProperties", { objectId, ownProperties: true, generatePreview: true });
  let props = r.result.filter((p) => p.name !== "__proto__" && (p.value !== undefined || p.get !== undefined));
  if (only) {
    const byName = new Map(props.map((p) => [p.name, p]));
    props = only.map((n) => byName.get(n)).filter((p): p is PropertyDescriptor => p !== undefined);
  }
  return props.slice(0, MAX_CHILDREN).map((p) => (p.value ? toVariable(p.name, p.value, refs) : { name: p.name, value: "(getter)", type: "accessor", evaluateName: p.name, variablesReference: 0 }));
}
