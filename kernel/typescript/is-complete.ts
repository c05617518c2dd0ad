/**
 * is_complete for TypeScript cells (the console's "press Enter to run or continue?"): a cell is
 * incomplete while a bracket, string or template is open or it ends on an operator; a closing
 * bracket without its opener makes it invalid.
 */
import type * as TS from "typescript";
import type { IsCompleteReply } from "../impl.js";
import { splitCell, typescriptOf } from "../magics/parse.js";
import { typescript } from "./load-typescript.js";

const OPENERS: Record<number, number> = {};

export function isComplete(code: string): IsCompleteReply {
  if (code.trim() === "") return { status: "complete" };
  const segs = splitCell(code);
  if (segs[0]?.kind === "cell") return { status: "complete" };
  const ts = typescript();
  const K = ts.SyntaxKind;
  if (!OPENERS[K.CloseBraceToken]) {
    OPENERS[K.CloseBraceToken] = K.OpenBraceToken;
    OPENERS[K.CloseBracketToken] = K.OpenBracketToken;
    OPENERS[K.CloseParenToken] = K.OpenParenToken;
  }
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, false, ts.LanguageVariant.Standard, typescriptOf(code));
  const stack: number[] = [];
  const TEMPLATE = -1;
  let last: TS.SyntaxKind = K.Unknown;
  for (let tok = scanner.scan(); tok !== K.EndOfFileToken; tok = scanner.scan()) {
    if (tok === K.SlashToken || tok === K.SlashEqualsToken) {
      if (!endsExpression(ts, last)) tok = scanner.reScanSlashToken();
    }
    if (tok === K.CloseBraceToken && stack.at(-1) === TEMPLATE) {
      tok = scanner.reScanTemplateToken(false);
      if (tok === K.TemplateTail) stack.pop();
    } else if (tok === K.TemplateHead) {
      stack.push(TEMPLATE);
    } else if (tok === K.OpenBraceToken || tok === K.OpenBracketToken || tok === K.OpenParenToken) {
      stack.push(tok);
    } else if (tok === K.CloseBraceToken || tok === K.CloseBracketToken || tok === K.CloseParenToken) {
      if (stack.pop() !== OPENERS[tok]) return { status: "invalid" };
    }
    if (scanner.isUnterminated()) return { status: "incomplete", indent: "" };
    last = tok;
  }
  if (stack.length > 0) return { status: "incomplete", indent: "  ".repeat(stack.filter((t) => t !== TEMPLATE).length) };
  if (continues(ts, last)) return { status: "incomplete", indent: "  " };
  return { status: "complete" };
}

function endsExpression(ts: typeof TS, k: TS.SyntaxKind): boolean {
  const K = ts.SyntaxKind;
  return (
    k === K.Identifier || k === K.CloseParenToken || k === K.CloseBracketToken || k === K.CloseBraceToken ||
    k === K.NumericLiteral || k === K.StringLiteral || k === K.BigIntLiteral || k === K.TemplateTail ||
    k === K.NoSubstitutionTemplateLiteral || k === K.ThisKeyword || k === K.TrueKeyword || k === K.FalseKeyword || k === K.NullKeyword
  );
}

/** A cell ending on a binary operator, `=>`, `,` or `.` goes on. */
function continues(ts: typeof TS, k: TS.SyntaxKind): boolean {
  const K = ts.SyntaxKind;
  if (k === K.CloseBraceToken || k === K.CloseParenToken || k === K.CloseBracketToken || k === K.SemicolonToken) return false;
  if (k === K.PlusPlusToken || k === K.MinusMinusToken || k === K.ExclamationToken) return false;
  return (k >= K.FirstBinaryOperator && k <= K.LastBinaryOperator) || k === K.EqualsGreaterThanToken || k === K.CommaToken || k === K.DotToken || k === K.QuestionToken || k === K.ColonToken;
}
