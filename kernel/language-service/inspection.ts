/**
 * Renders TypeScript quick info (or, inside a call's arguments, the callee's signature help) as an
 * inspect_reply mime bundle: the signature and its TSDoc as text/plain and text/markdown.
 */
import path from "node:path";
import ts from "typescript";

export interface Hover {
  /** `function sharpeRatio(returns: Series, options?: SharpeOptions): number` */
  signature: string;
  /** The TSDoc summary. */
  documentation: string;
  /** `@param`, `@returns`, … as `[name, text]`. */
  tags: Array<[string, string]>;
}

/** Quick info at the cursor, on the identifier just before it, or of the call the cursor is in. */
export function hoverAt(service: ts.LanguageService, fileName: string, position: number): Hover | undefined {
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
export function definitionAt(service: ts.LanguageService, fileName: string, position: number, root: string): { location: string; code: string } | undefined {
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
  return { location: `${displayPath(def.fileName, root)}:${line + 1}`, code };
}

/** A declaration file of the built package shown as its source (`dist/lib/x.d.ts` → `lib/x.ts`). */
function displayPath(fileName: string, root: string): string {
  const relative = path.relative(root, fileName);
  if (relative.startsWith("..")) return fileName;
  const m = /^dist[\\/](.*)\.d\.ts$/.exec(relative);
  return m ? `${m[1]}.ts` : relative;
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
