/**
 * Jupyter (protocol ≥ 5.2) counts cursor positions in Unicode code points; TypeScript counts UTF-16
 * code units. These convert between the two for one cell's text.
 */

/** UTF-16 offset of code point `cursorPos` in `text` (clamped to the text). */
export function codePointToUtf16(text: string, cursorPos: number): number {
  let units = 0;
  let points = 0;
  while (points < cursorPos && units < text.length) {
    const c = text.charCodeAt(units);
    units += c >= 0xd800 && c <= 0xdbff && units + 1 < text.length ? 2 : 1;
    points++;
  }
  return units;
}

/** Code point count of the first `offset` UTF-16 units of `text`. */
export function utf16ToCodePoint(text: string, offset: number): number {
  let points = 0;
  const end = Math.min(offset, text.length);
  for (let units = 0; units < end; points++) {
    const c = text.charCodeAt(units);
    units += c >= 0xd800 && c <= 0xdbff && units + 1 < text.length ? 2 : 1;
  }
  return points;
}
