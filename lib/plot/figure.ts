/**
 * A rendered chart: its markup and the Jupyter display bundle (`image/svg+xml` for a bare SVG,
 * `text/html` for a figure that carries legends, a title or a caption).
 */
export type PlotFigureKind = "svg" | "html";

export class PlotFigure {
  /** `<svg …>` or `<figure …>` markup, self-contained (inline styles). */
  readonly markup: string;
  readonly kind: PlotFigureKind;

  constructor(markup: string, kind: PlotFigureKind) {
    if (typeof markup !== "string" || markup.length === 0) throw new TypeError("PlotFigure: markup must be a non-empty string");
    if (kind !== "svg" && kind !== "html") throw new RangeError(`PlotFigure: kind must be "svg" or "html", got ${JSON.stringify(kind)}`);
    this.markup = markup;
    this.kind = kind;
    Object.freeze(this);
  }

  /** Markup with the SVG namespace, so the string is a valid standalone SVG document. */
  get svg(): string {
    if (this.kind !== "svg") throw new TypeError("PlotFigure.svg: this figure has legends (HTML); use .markup or .html");
    return this.markup.includes("xmlns=") ? this.markup : this.markup.replace(/^<svg/, '<svg xmlns="http://www.w3.org/2000/svg"');
  }

  /** Markup for embedding in an HTML page. */
  get html(): string {
    return this.markup;
  }

  toString(): string {
    return this.markup;
  }

  [Symbol.for("Jupyter.display")](): Record<string, string> {
    return this.kind === "svg" ? { "image/svg+xml": this.svg, "text/plain": "<PlotFigure svg>" } : { "text/html": this.markup, "text/plain": "<PlotFigure html>" };
  }
}
