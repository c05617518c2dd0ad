/**
 * Renders TypeScript quick info (or, inside a call's arguments, the callee's signature help) as an
 * inspect_reply mime bundle: the signature and its TSDoc as text/plain and text/markdown.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import type * as TS from "typescript";
import { ts } from "./typescript.js";

export interface Hover {
  /** `function sharpeRatio(returns: Series, options?: SharpeOptions): number` */
  signature: string;
  /** The TSDoc summary. */
  documentation: string;
  /** `@param`, `@returns`, … as `[name, text]`. */
  tags: Array<[string, string]>;
}

/** Quick info at the cursor, on the identifier just before it, or of the call the cursor is in. */
export function hoverAt(service: TS.LanguageService, fileName: string, position: number): Hover | undefined {
  const info = service.getQuickInfoAtPosition(fileName, position) ?? (position > 0 ? service.getQuickInfoAtPosition(fileName, position - 1) : undefined);
  if (info && info.kind !== ts.ScriptElementKind.unknown) {
    return {
      signature: withoutAliasDecoration(ts.displayPartsToString(info.displayParts)),
      documentation: ts.displayPartsToString(info.documentation),
      tags: (info.tags ?? []).map((t) => [t.name, ts.displayPartsToString(t.text)]),
    };
  }
  const help = service.getSignatureHelpItems(fileName, position, undefined);
  const item = help?.items[help.selectedItemIndex] ?? help?.items[0];
  if (!item) return undefined;
  const parameters = item.parameters.map((p) => ts.displayPartsToString(p.displayParts)).join(ts.displayPartsToString(item.separatorDisplayParts));
  return {
    signature: ts.displayPartsToString(item.prefixDisplayParts) + parameters + ts.displayPartsToString(item.suffixDisplayParts),
    documentation: ts.displayPartsToString(item.documentation),
    tags: item.tags.map((t) => [t.name, ts.displayPartsToString(t.text)]),
  };
}

/**
 * Names from earlier cells reach the edited cell as imports; show them as what they are
 * (`const p: Panel`), not as `(alias) const p: Panel\nimport p`.
 */
function withoutAliasDecoration(signature: string): string {
  if (!signature.startsWith("(alias) ")) return signature;
  const body = signature.slice("(alias) ".length);
  const importLine = body.lastIndexOf("\nimport ");
  return importLine >= 0 ? body.slice(0, importLine) : body;
}

/** Where the thing under the cursor is declared, with its declaration's text (detail level 1). */
export function definitionAt(service: TS.LanguageService, fileName: string, position: number, root: string): { location: string; code: string } | undefined {
  const defs = service.getDefinitionAtPosition(fileName, position) ?? (position > 0 ? service.getDefinitionAtPosition(fileName, position - 1) : undefined);
  const def = defs?.find((d) => !d.fileName.includes("__statarb_cell_")) ?? defs?.[0];
  if (!def) return undefined;
  const program = service.getProgram();
  const file = program?.getSourceFile(def.fileName);
  if (!file) return undefined;
  const span = def.contextSpan ?? def.textSpan;
  const { line } = file.getLineAndCharacterOfPosition(def.textSpan.start);
  const lines = file.text.slice(span.start, span.start + span.length).split("\n");
  const code = lines.length > 40 ? [...lines.slice(0, 40), "…"].join("\n") : lines.join("\n");
  const name = file.text.slice(def.textSpan.start, def.textSpan.start + def.textSpan.length);
  return { location: sourceLocation(def.fileName, name, root) ?? `${path.relative(root, def.fileName).startsWith("..") ? def.fileName : path.relative(root, def.fileName)}:${line + 1}`, code };
}

/**
 * A declaration of the built package (`dist/lib/x.d.ts`) shown where it is written (`lib/x.ts:line`),
 * when that source is present and declares the name at its top level.
 */
function sourceLocation(fileName: string, name: string, root: string): string | undefined {
  const m = /^dist[\\/](.*)\.d\.ts$/.exec(path.relative(root, fileName));
  if (!m || !/^[\w$]+$/.test(name)) return undefined;
  const source = path.join(root, `${m[1]}.ts`);
  let text: string;
  try {
    text = readFileSync(source, "utf8");
  } catch {
    return undefined;
  }
  const declaration = new RegExp(String.raw`^export\s+(?:declare\s+)?(?:default\s+)?(?:abstract\s+)?(?:async\s+)?(?:function\*?|class|const|let|var|interface|type|enum|namespace)\s+${name.replace(/\$/g, "\\$")}\b`, "m");
  const at = declaration.exec(text);
  if (!at) return undefined;
  const lineNumber = text.slice(0, at.index).split("\n").length;
  return `${m[1]}.ts:${lineNumber}`;
}

export function hoverBundle(hover: Hover, definition: { location: string; code: string } | undefined): Record<string, string> {
  const tagText = (name: string, text: string): string => (name === "param" ? text.replace(/^(\S+)\s*/, "$1 — ") : text);
  const plain = [hover.signature];
  const markdown = ["```typescript", hover.signature, "```"];
  if (hover.documentation) {
    plain.push("", hover.documentation);
    markdown.push("", hover.documentation);
  }
  if (hover.tags.length > 0) {
    plain.push("");
    markdown.push("");
    for (const [name, text] of hover.tags) {
      plain.push(`@${name} ${tagText(name, text)}`.trimEnd());
      markdown.push(`*@${name}* ${tagText(name, text)}`.trimEnd() + "  ");
    }
  }
  if (definition) {
    plain.push("", `Defined in ${definition.location}`, definition.code);
    markdown.push("", `Defined in \`${definition.location}\``, "", "```typescript", definition.code, "```");
  }
  return { "text/plain": plain.join("\n"), "text/markdown": markdown.join("\n") };
}
