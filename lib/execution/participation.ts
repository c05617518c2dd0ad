/**
 * Volume participation cap (zipline's `VolumeShareSlippage` habit): in one bar an order may take
 * at most a fraction `maxParticipation` of that bar's traded volume; the rest stays open (a
 * partial fill). Units: shares. Bars without volume data (NaN) are not capped: the cap needs a
 * volume to act on, and inventing one would be a hidden assumption.
 */
import { checkKeys } from "../data/index.js";
import { nonNegative, valueOr } from "./cost-model.js";

/** Options of {@link VolumeParticipationCap}. */
export interface VolumeParticipationCapOptions {
  /** Largest fraction of a bar's volume one order may take (default 0.1 = 10%, zipline's default). */
  maxParticipation?: number;
}

export class VolumeParticipationCap {
  readonly maxParticipation: number;

  constructor(options: VolumeParticipationCapOptions = {}) {
    const o = checkKeys("VolumeParticipationCap", options, ["maxParticipation"]);
    const p = nonNegative("VolumeParticipationCap", "maxParticipation", valueOr(o, "maxParticipation", 0.1));
    if (p > 1) throw new RangeError(`VolumeParticipationCap: option maxParticipation must be in [0, 1], got ${p}`);
    this.maxParticipation = p;
  }

  /**
   * The signed quantity fillable now out of `quantity`, given the bar's `volume` (shares).
   * Whole shares when `lot` is 1 (default); the result has the sign of `quantity`.
   */
  fillable(quantity: number, volume: number, lot = 1): number {
    if (!(volume >= 0)) return quantity;
    const cap = Math.floor((this.maxParticipation * volume) / lot) * lot;
    const q = Math.abs(quantity);
    return q <= cap ? quantity : Math.sign(quantity) * cap;
  }
}

export function volumeParticipationCap(options?: VolumeParticipationCapOptions): VolumeParticipationCap {
  return new VolumeParticipationCap(options);
}
