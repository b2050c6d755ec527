import { ValidationError } from '@radledger/platform';
import type { Mask, Volume } from '../volume.js';
import { DEFAULT_REQUIRED_FIELDS, metadataCompleteness, type AcquisitionField, type AcquisitionMetadata, type MetadataCompleteness } from './acquisition-metadata.js';
import { dilate, halfFovShift, headMask, otsuThreshold } from './head-mask.js';

/**
 * Image quality from the image itself, per acquisition: noise, signal- and contrast-to-noise,
 * an N/2 ghosting indicator, and whether the acquisition metadata the protocol needs is there.
 * About 30% of clinical images have motion artefacts or too little contrast (Lohmann et al.,
 * Lancet Digit Health 2022), which is why a trial records this per image before extraction.
 */

export interface ImageQcThresholds {
  minSnr: number;
  minCnr: number;
  /** Ghost-to-signal ratio along any checked axis. Default 0.025: the ACR MRI accreditation limit for percent-signal ghosting (2.5%). */
  maxGhostToSignalRatio: number;
  /** Fraction of the required acquisition fields present (default 1: all). */
  minMetadataCompleteness: number;
}

/** Defaults are floors, not a protocol: SNR 10, CNR 3 (Rose criterion for a detectable difference, Rose 1948), ghosting 2.5%, all metadata. */
export const DEFAULT_IMAGE_QC_THRESHOLDS: ImageQcThresholds = { minSnr: 10, minCnr: 3, maxGhostToSignalRatio: 0.025, minMetadataCompleteness: 1 };

export type GhostAxis = 'x' | 'y' | 'z';
const AXES: readonly GhostAxis[] = ['x', 'y', 'z'];

export interface ImageQcOptions {
  /** Where the signal is measured (e.g. the tumour or a tissue ROI); default the whole head. */
  roi?: Mask;
  /** CNR is ROI vs this region (e.g. normal-appearing white matter); default ROI vs background. */
  reference?: Mask;
  /** Voxels between the head and the background regions (blur, partial volume); default 2. */
  marginVoxels?: number;
  /** Axes a phase-encoding ghost may lie along; default the in-plane axes x and y. */
  ghostAxes?: readonly GhostAxis[];
  /**
   * Magnitude images have Rayleigh-distributed background (default): σ = SD_background / sqrt(2 − π/2)
   * (Henkelman, Med Phys 1985; NEMA MS 1-2008). `gaussian` for images whose background is not magnitude noise.
   */
  noise?: 'rayleigh' | 'gaussian';
  metadata?: AcquisitionMetadata;
  requiredFields?: readonly AcquisitionField[];
  thresholds?: Partial<ImageQcThresholds>;
}

export interface ImageQcMetrics {
  otsuThreshold: number;
  voxels: { head: number; background: number; noiseRegion: number; roi: number };
  noiseSigma: number;
  signalMean: number;
  snr: number;
  cnr: number;
  contrastReference: 'background' | 'reference-roi';
  /**
   * Ghost-to-signal ratio per axis (Giannelli et al., J Appl Clin Med Phys 2010; MRIQC gsr_x/gsr_y): the ghost's
   * amplitude in the background where the head's N/2 ghost lands, over the mean head signal; the amplitude is
   * the mean difference to the other background, or for magnitude (Rician) data the root of the power difference.
   */
  ghostToSignalRatio: Partial<Record<GhostAxis, number>>;
  worstGhost: { axis: GhostAxis; ratio: number } | null;
}

export interface ImageQcFailure {
  check: 'SNR' | 'CNR' | 'GHOSTING' | 'METADATA' | 'BACKGROUND';
  code: 'QC_SNR_LOW' | 'QC_CNR_LOW' | 'QC_GHOSTING' | 'QC_METADATA_INCOMPLETE' | 'QC_NO_BACKGROUND';
  measured: number | null;
  threshold: number | null;
  detail: string;
}

export interface ImageQcReport {
  metrics: ImageQcMetrics;
  metadata: MetadataCompleteness;
  thresholds: ImageQcThresholds;
  verdict: 'pass' | 'fail';
  failures: ImageQcFailure[];
}

/** Fewest background voxels for a noise estimate worth reporting. */
const MIN_BACKGROUND_VOXELS = 200;
const RAYLEIGH_SD_FACTOR = Math.sqrt(2 - Math.PI / 2);

function requireSameGrid(field: string, volume: Volume, mask: Mask | undefined): void {
  if (mask && (mask.dims[0] !== volume.dims[0] || mask.dims[1] !== volume.dims[1] || mask.dims[2] !== volume.dims[2])) {
    throw new ValidationError('MASK_GRID_MISMATCH', `${field}: mask grid ${mask.dims.join('×')} differs from the image grid ${volume.dims.join('×')}`, { field });
  }
}

/** Running count, sum and sum of squares of one region's intensities. */
class RegionStats {
  count = 0;
  private sum = 0;
  private sum2 = 0;
  add(v: number): void {
    this.count++;
    this.sum += v;
    this.sum2 += v * v;
  }
  result(): { mean: number; sd: number; meanSquare: number; count: number } {
    const { count, sum, sum2 } = this;
    const mean = count > 0 ? sum / count : Number.NaN;
    const variance = count > 1 ? (sum2 - count * mean * mean) / (count - 1) : Number.NaN;
    return { mean, sd: Math.sqrt(Math.max(0, variance)), meanSquare: count > 0 ? sum2 / count : Number.NaN, count };
  }
}

export function assessImageQuality(volume: Volume, options: ImageQcOptions = {}): ImageQcReport {
  requireSameGrid('roi', volume, options.roi);
  requireSameGrid('reference', volume, options.reference);
  const thresholds: ImageQcThresholds = { ...DEFAULT_IMAGE_QC_THRESHOLDS, ...options.thresholds };
  const margin = options.marginVoxels ?? 2;
  if (!Number.isInteger(margin) || margin < 0 || margin > 20) throw new ValidationError('OUT_OF_RANGE', `marginVoxels: expected a whole number 0–20, got ${margin}`, { field: 'marginVoxels' });
  const data = volume.data;
  const threshold = otsuThreshold(data);
  const head = headMask(volume, threshold);
  const excluded = dilate(head, volume.dims, margin);
  const ghostAxes = options.ghostAxes ?? ['x', 'y'];
  const ghosts = ghostAxes.map((axis) => ({ axis, mask: halfFovShift(head, volume.dims, AXES.indexOf(axis) as 0 | 1 | 2) }));
  // Every region's statistics in one pass over the voxels (each accumulator adds in voxel order, as
  // a pass per region would): the demo assesses every acquisition, so this runs on every image.
  const n = data.length;
  const anyGhost = new Uint8Array(n);
  for (const g of ghosts) for (let i = 0; i < n; i++) anyGhost[i]! |= g.mask[i]!;
  const roi = options.roi;
  const reference = options.reference;
  const noiseOutsideGhosts = new RegionStats();
  const background = new RegionStats();
  const signal = new RegionStats();
  const headSignal = new RegionStats();
  const referenceRoi = new RegionStats();
  const perGhost = ghosts.map(() => ({ inGhost: new RegionStats(), outside: new RegionStats(), outsideThis: new RegionStats() }));
  for (let i = 0; i < n; i++) {
    const v = data[i]!;
    const inHead = head[i] === 1;
    if (inHead) headSignal.add(v);
    if (roi ? roi.data[i] === 1 : inHead) signal.add(v);
    if (reference && reference.data[i] === 1) referenceRoi.add(v);
    if (excluded[i] !== 0) continue;
    background.add(v);
    const ghosted = anyGhost[i] === 1;
    if (!ghosted) noiseOutsideGhosts.add(v);
    for (let k = 0; k < ghosts.length; k++) {
      const stats = perGhost[k]!;
      if (ghosts[k]!.mask[i] === 1) stats.inGhost.add(v);
      else {
        stats.outsideThis.add(v);
        if (!ghosted) stats.outside.add(v);
      }
    }
  }
  // A head that fills the field of view leaves little background outside every ghost region: use all of it.
  const noiseRegion = noiseOutsideGhosts.count < MIN_BACKGROUND_VOXELS ? background.result() : noiseOutsideGhosts.result();
  const backgroundStats = background.result();
  const signalStats = signal.result();
  const headStats = headSignal.result();
  const referenceStats = reference ? referenceRoi.result() : noiseRegion;
  const rayleigh = (options.noise ?? 'rayleigh') === 'rayleigh';
  const noiseSigma = rayleigh ? noiseRegion.sd / RAYLEIGH_SD_FACTOR : noiseRegion.sd;
  const ghostToSignalRatio: Partial<Record<GhostAxis, number>> = {};
  let worstGhost: ImageQcMetrics['worstGhost'] = null;
  for (const [k, g] of ghosts.entries()) {
    const inGhost = perGhost[k]!.inGhost.result();
    const outside = perGhost[k]!.outside.result();
    const clean = outside.count >= MIN_BACKGROUND_VOXELS ? outside : perGhost[k]!.outsideThis.result();
    if (inGhost.count === 0 || clean.count === 0) continue;
    // Magnitude noise biases a faint ghost's mean upwards less than its amplitude (Rician); its power does
    // not: E[M²] = A² + 2σ² (Gudbjartsson & Patz, Magn Reson Med 1995), so A = sqrt(E[M²]ghost − E[M²]clean).
    const ratio = rayleigh ? Math.sqrt(Math.max(0, inGhost.meanSquare - clean.meanSquare)) / headStats.mean : (inGhost.mean - clean.mean) / headStats.mean;
    ghostToSignalRatio[g.axis] = ratio;
    if (worstGhost === null || Math.abs(ratio) > Math.abs(worstGhost.ratio)) worstGhost = { axis: g.axis, ratio };
  }
  const metrics: ImageQcMetrics = {
    otsuThreshold: threshold,
    voxels: { head: headStats.count, background: backgroundStats.count, noiseRegion: noiseRegion.count, roi: signalStats.count },
    noiseSigma,
    signalMean: signalStats.mean,
    snr: signalStats.mean / noiseSigma,
    cnr: Math.abs(signalStats.mean - referenceStats.mean) / noiseSigma,
    contrastReference: reference ? 'reference-roi' : 'background',
    ghostToSignalRatio,
    worstGhost,
  };
  const metadata = metadataCompleteness(options.metadata ?? {}, options.requiredFields ?? DEFAULT_REQUIRED_FIELDS);
  const failures: ImageQcFailure[] = [];
  if (noiseRegion.count < MIN_BACKGROUND_VOXELS || !(noiseSigma > 0)) {
    failures.push({ check: 'BACKGROUND', code: 'QC_NO_BACKGROUND', measured: noiseRegion.count, threshold: MIN_BACKGROUND_VOXELS, detail: `${noiseRegion.count} background voxels outside the head: noise cannot be estimated` });
  } else {
    if (!(metrics.snr >= thresholds.minSnr)) failures.push({ check: 'SNR', code: 'QC_SNR_LOW', measured: metrics.snr, threshold: thresholds.minSnr, detail: `SNR ${metrics.snr.toFixed(1)} < ${thresholds.minSnr}` });
    if (!(metrics.cnr >= thresholds.minCnr)) failures.push({ check: 'CNR', code: 'QC_CNR_LOW', measured: metrics.cnr, threshold: thresholds.minCnr, detail: `CNR ${metrics.cnr.toFixed(1)} < ${thresholds.minCnr} (ROI vs ${metrics.contrastReference})` });
  }
  if (worstGhost && Math.abs(worstGhost.ratio) > thresholds.maxGhostToSignalRatio) {
    failures.push({ check: 'GHOSTING', code: 'QC_GHOSTING', measured: worstGhost.ratio, threshold: thresholds.maxGhostToSignalRatio, detail: `ghost-to-signal ratio ${(worstGhost.ratio * 100).toFixed(1)}% along ${worstGhost.axis} > ${(thresholds.maxGhostToSignalRatio * 100).toFixed(1)}%` });
  }
  if (metadata.completeness < thresholds.minMetadataCompleteness) {
    failures.push({ check: 'METADATA', code: 'QC_METADATA_INCOMPLETE', measured: metadata.completeness, threshold: thresholds.minMetadataCompleteness, detail: `missing ${metadata.missing.join(', ')}` });
  }
  return { metrics, metadata, thresholds, verdict: failures.length === 0 ? 'pass' : 'fail', failures };
}
