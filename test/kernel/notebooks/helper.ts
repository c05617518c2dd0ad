// A TypeScript module next to the notebooks: relative imports from a cell resolve from the notebook's folder.
export function triple(x: number): number {
  return 3 * x;
}
