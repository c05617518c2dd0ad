/** Price panels for the strategy runs, through lib/data's `loadDataset` (materialised by scripts/setup). */
import { loadDataset, type DatasetName } from "../../lib/data/index.js";
import type { Panel } from "../../lib/data/panel.js";

export function loadPrices(name: DatasetName): Promise<Panel> {
  return loadDataset(name);
}
