/**
 * A small C++ scanner for the function-length check: finds function bodies by matching braces, after
 * blanking comments, string/char literals and preprocessor lines (newlines kept, so line numbers hold).
 *
 * Not a parser. It tracks the scopes a function can be declared in (file, namespace, `extern "C"`,
 * class/struct) and, in such a scope, calls a `{` a function body when the declaration before it ends
 * with a parameter list (`…) const noexcept override {`, `… -> T {`, a constructor's `: a_(x), b_{y} {`).
 * Everything inside a body (lambdas, local classes, nested blocks) counts toward that function.
 * A length is lines from the first line of the declaration (return type, after any `template<…>`
 * line) to the closing brace, inclusive — the same measure as the TypeScript check.
 */

export interface CppFunction {
  /** `name`, `Class::name` or `ns::Class::name` as written (enclosing class prepended to inline members). */
  readonly name: string;
  /** 1-based first line of the declaration. */
  readonly startLine: number;
  /** 1-based line of the closing brace. */
  readonly endLine: number;
  readonly lines: number;
}

/** Replaces comments, string/char literals and preprocessor directives by spaces, keeping newlines. */
export function blankCpp(source: string): string {
  const out = source.split("");
  const n = source.length;
  const blank = (from: number, to: number): void => {
    for (let k = from; k < to && k < n; k++) if (out[k] !== "\n") out[k] = " ";
  };
  let i = 0;
  let lineStart = true;
  while (i < n) {
    const c = source[i]!;
    const next = source[i + 1];
    if (c === "\n") {
      lineStart = true;
      i++;
      continue;
    }
    if (lineStart && c === "#") {
      // a directive, with backslash continuations
      let j = i;
      while (j < n && !(source[j] === "\n" && source[j - 1] !== "\\")) j++;
      blank(i, j);
      i = j;
      continue;
    }
    if (c !== " " && c !== "\t" && c !== "\r") lineStart = false;
    if (c === "/" && next === "/") {
      let j = i;
      while (j < n && source[j] !== "\n") j++;
      blank(i, j);
      i = j;
    } else if (c === "/" && next === "*") {
      const end = source.indexOf("*/", i + 2);
      const j = end < 0 ? n : end + 2;
      blank(i, j);
      i = j;
    } else if (c === "R" && next === '"' && !/[A-Za-z0-9_]/.test(source[i - 1] ?? "")) {
      const open = source.indexOf("(", i + 2);
      const delim = source.slice(i + 2, open);
      const close = source.indexOf(`)${delim}"`, open);
      const j = close < 0 ? n : close + delim.length + 2;
      blank(i, j);
      i = j;
    } else if (c === '"' || (c === "'" && !/[0-9A-Fa-f]/.test(source[i - 1] ?? ""))) {
      // a char literal after a hex digit is a digit separator (1'000'000), not a quote
      let j = i + 1;
      while (j < n && source[j] !== c && source[j] !== "\n") j += source[j] === "\\" ? 2 : 1;
      blank(i, j + 1);
      i = j + 1;
    } else {
      i++;
    }
  }
  return out.join("");
}

type ScopeKind = "file" | "namespace" | "class" | "opaque";

interface Scope {
  readonly kind: ScopeKind;
  /** Class name (for inline members). */
  readonly name?: string;
}

const ACCESS = /^(?:\s*(?:public|private|protected)\s*:(?!:))+/;
const FUNCTION_TAIL = /\)\s*(?:(?:const|volatile|noexcept|override|final|mutable|&&|&|throw\s*\(\s*\)|noexcept\s*\([^()]*\))\s*)*(?:->\s*[\w:<>,\s*&]+)?$/;
const CTOR_INIT = /\)\s*(?:noexcept\s*)?:\s*[^;]*$/;

/** The function bodies of a C++ source, in order of appearance. */
export function scanCppFunctions(source: string): CppFunction[] {
  const text = blankCpp(source);
  const lineOf = lineIndex(text);
  const found: CppFunction[] = [];
  const scopes: Scope[] = [{ kind: "file" }];
  let headStart = 0; // where the current declaration's text begins
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i]!;
    const scope = scopes[scopes.length - 1]!;
    if (c === ";") {
      headStart = i + 1;
    } else if (c === "\n") {
      // An ALL_CAPS macro invocation without a semicolon (NODE_API_MODULE(x, Init)) ends a declaration.
      if (/^\s*[A-Z_][A-Z0-9_]*\s*\([^;{}]*\)\s*$/.test(text.slice(headStart, i))) headStart = i + 1;
    } else if (c === "(") {
      i = matchParen(text, i);
      continue;
    } else if (c === "}") {
      scopes.pop();
      if (scopes.length === 0) scopes.push({ kind: "file" });
      headStart = i + 1;
    } else if (c === "{") {
      const rawHead = text.slice(headStart, i);
      const access = ACCESS.exec(rawHead);
      const head = (access ? rawHead.slice(access[0].length) : rawHead).trim();
      let first = headStart + (access?.[0].length ?? 0);
      while (first < i && /\s/.test(text[first]!)) first++;
      if (/(?:^|\s)namespace(?:\s|$)/.test(head) || /^extern\s*$/.test(head)) {
        scopes.push({ kind: "namespace" });
        headStart = i + 1;
      } else if (/^(?:template\s*<[^{]*>\s*)?(?:typedef\s+)?(?:class|struct|union)\b/.test(head) && !head.includes("(")) {
        const m = /(?:class|struct|union)\s+(?:alignas\s*\([^)]*\)\s*)?([A-Za-z_]\w*)/.exec(head);
        scopes.push({ kind: "class", ...(m?.[1] === undefined ? {} : { name: m[1] }) });
        headStart = i + 1;
      } else if (head.includes("(") && (FUNCTION_TAIL.test(head) || (CTOR_INIT.test(head) && /[)}]\s*$/.test(head)))) {
        const close = matchBrace(text, i);
        const startLine = lineOf(first);
        const endLine = lineOf(close);
        const own = functionName(head);
        const name = scope.kind === "class" && scope.name !== undefined && !own.includes("::") ? `${scope.name}::${own}` : own;
        found.push({ name, startLine, endLine, lines: endLine - startLine + 1 });
        i = close + 1;
        headStart = i;
        continue;
      } else if (CTOR_INIT.test(head) && /[\w>]\s*$/.test(head)) {
        // a member's brace initializer inside a constructor's init list: part of the declaration
        i = matchBrace(text, i) + 1;
        continue;
      } else {
        // enum, array/aggregate initializer, or a body we do not classify: skip it whole
        i = matchBrace(text, i) + 1;
        headStart = i;
        continue;
      }
    }
    i++;
  }
  return found;
}

function functionName(head: string): string {
  const lambda = /([A-Za-z_]\w*)\s*=\s*\[/.exec(head);
  if (lambda) return lambda[1]!;
  const op = /((?:[A-Za-z_]\w*\s*::\s*)*operator\s*(?:\(\s*\)|[^\s(]+))\s*\(/.exec(head);
  if (op) return op[1]!.replace(/\s+/g, "");
  // the identifier (possibly qualified, possibly a destructor) right before the first top-level "("
  let depth = 0;
  for (let k = 0; k < head.length; k++) {
    const ch = head[k];
    if (ch === "<") depth++;
    else if (ch === ">") depth = Math.max(0, depth - 1);
    else if (ch === "(" && depth === 0) {
      const m = /((?:[A-Za-z_]\w*\s*::\s*)*~?[A-Za-z_]\w*)\s*$/.exec(head.slice(0, k));
      if (m) return m[1]!.replace(/\s+/g, "");
      return "<anonymous>";
    }
  }
  return "<anonymous>";
}

function matchParen(text: string, open: number): number {
  let depth = 0;
  for (let k = open; k < text.length; k++) {
    if (text[k] === "(") depth++;
    else if (text[k] === ")" && --depth === 0) return k + 1;
  }
  return text.length;
}

function matchBrace(text: string, open: number): number {
  let depth = 0;
  for (let k = open; k < text.length; k++) {
    if (text[k] === "{") depth++;
    else if (text[k] === "}" && --depth === 0) return k;
  }
  return text.length - 1;
}

function lineIndex(text: string): (offset: number) => number {
  const starts: number[] = [0];
  for (let k = 0; k < text.length; k++) if (text[k] === "\n") starts.push(k + 1);
  return (offset) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
}
