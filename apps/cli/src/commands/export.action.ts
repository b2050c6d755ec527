import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { DomainError } from '@radledger/platform';
import { RADLEDGER_VERSION } from '@radledger/application';
import {
  RadiomicsInputError,
  ibsiKeyedFeatures,
  maskFromLabels,
  writeDicomSeg,
  writeDicomSr,
  type FeatureValues,
  type SegmentInput,
} from '@radledger/radiomics';
import { CliFailure } from '../cli-failure.js';
import { loadImage, loadSegmentation, readBytes } from '../image-files.js';
import { resolveLocations, type StoreFlags } from './store-cli.options.js';
import { exportInterop, INTEROP_CLI_FORMATS, type InteropExportOptions } from './interop-export.js';
import { exportLedgerSr } from './ledger-sr-export.js';

export interface ExportOptions extends Omit<InteropExportOptions, 'format'>, StoreFlags {
  format: string;
  image?: string;
  mask?: string;
  seg?: string;
  roi: string[];
  out?: string;
  algorithm: string;
  featureSet: string[];
}

const software = { name: 'RadLedger', version: RADLEDGER_VERSION };
const sha256 = (bytes: Uint8Array | string): string => createHash('sha256').update(bytes).digest('hex');

function requireImage(options: ExportOptions): string {
  if (!options.image) throw new CliFailure(`error [USAGE]: --format ${options.format} needs --image <series or volume>`, 2);
  return options.image;
}

/** DICOM-SEG of a label image: one segment per label value, on the image's series. */
async function exportSeg(options: ExportOptions): Promise<Uint8Array> {
  if (!options.mask) throw new CliFailure('error [USAGE]: --format dicom-seg needs --mask <label image>', 2);
  const image = await loadImage(requireImage(options), 'image');
  const maskBytes = readBytes(options.mask, 'mask');
  const labels = await loadImage(options.mask, 'mask');
  const values = [...new Set(labels.volume.data)].filter((v) => v !== 0 && Number.isFinite(v)).sort((a, b) => a - b);
  if (values.length === 0) throw new RadiomicsInputError('MASK_EMPTY', `--mask ${options.mask} has no nonzero voxel`);
  const segments: SegmentInput[] = values.map((v, k) => ({
    number: k + 1,
    label: `label ${v}`,
    mask: maskFromLabels(labels, v).data,
    algorithmType: options.algorithm === 'MANUAL' ? 'MANUAL' : (options.algorithm as 'AUTOMATIC' | 'SEMIAUTOMATIC'),
    ...(options.algorithm === 'MANUAL' ? {} : { algorithmName: 'recorded mask' }),
  }));
  return writeDicomSeg({
    geometry: image.geometry,
    segments,
    ...(image.dicom ? { source: image.dicom } : {}),
    createdAt: new Date(),
    uidSeed: sha256(maskBytes),
    software,
  }).bytes;
}

/** DICOM SR TID 1500: one measurement group per --roi <segment>=<features.json>. */
async function exportSr(options: ExportOptions): Promise<Uint8Array> {
  if (!options.seg) throw new CliFailure('error [USAGE]: --format dicom-sr needs --seg <DICOM-SEG of the image>', 2);
  if (options.roi.length === 0) throw new CliFailure('error [USAGE]: --format dicom-sr needs at least one --roi <segment number>=<features.json>', 2);
  const image = await loadImage(requireImage(options), 'image');
  const seg = loadSegmentation(options.seg, image, 'seg');
  if (!seg) throw new RadiomicsInputError('DICOM_SEG_INVALID', `--seg ${options.seg} is not a DICOM-SEG`);
  const groups = options.roi.map((roi) => {
    const match = /^(\d+)=(.+)$/.exec(roi);
    if (!match) throw new CliFailure(`error [USAGE]: --roi must be <segment number>=<features.json>, got ${roi}`, 2);
    const number = Number(match[1]);
    const segment = seg.segments.find((s) => s.number === number);
    if (!segment) throw new RadiomicsInputError('MASK_EMPTY', `--roi ${roi}: ${options.seg} has no segment ${number}`);
    let parsed: { features?: FeatureValues; ibsiKeys?: Record<string, string> };
    try {
      parsed = JSON.parse(new TextDecoder().decode(readBytes(match[2]!, 'roi'))) as typeof parsed;
    } catch (error) {
      throw new CliFailure(`error [USAGE]: --roi ${roi}: not the JSON of \`radledger features\` (${(error as Error).message})`, 2);
    }
    if (!parsed.features) throw new CliFailure(`error [USAGE]: --roi ${roi}: no "features" object (the output of \`radledger features\`)`, 2);
    return {
      trackingIdentifier: segment.label,
      segment: { sopInstanceUid: seg.sopInstanceUid, segmentNumber: number, seriesInstanceUid: seg.seriesInstanceUid },
      ...(segment.type ? { finding: segment.type } : {}),
      // JSON null is an undefined feature (NaN).
      features: ibsiKeyedFeatures({ features: Object.fromEntries(Object.entries(parsed.features).map(([k, v]) => [k, v ?? NaN])), ...(parsed.ibsiKeys ? { ibsiKeys: parsed.ibsiKeys } : {}) }),
    };
  });
  return writeDicomSr({
    groups,
    ...(image.dicom ? { source: image.dicom } : {}),
    createdAt: new Date(),
    uidSeed: sha256(`${seg.sopInstanceUid}\n${options.roi.join('\n')}\n${groups.map((g) => JSON.stringify(g.features)).join('\n')}`),
    software,
    algorithm: { name: 'RadLedger IBSI feature extractor', version: RADLEDGER_VERSION },
  }).bytes;
}


/** `export`: files in, files out for dicom-seg/dicom-sr; a ledger (and its read models) for --feature-set and the interop formats. */
export async function runExport(options: ExportOptions): Promise<void> {
  try {
    if (options.format in INTEROP_CLI_FORMATS) {
      await exportInterop(options, resolveLocations(options));
      return;
    }
    if (!['MANUAL', 'SEMIAUTOMATIC', 'AUTOMATIC'].includes(options.algorithm)) {
      throw new CliFailure(`error [USAGE]: --algorithm must be MANUAL, SEMIAUTOMATIC or AUTOMATIC, got ${options.algorithm}`, 2);
    }
    if (!options.out) throw new CliFailure(`error [USAGE]: --format ${options.format} needs --out <file>`, 2);
    if (options.format === 'dicom-sr' && options.featureSet.length > 0) {
      process.stdout.write(`${JSON.stringify({ format: options.format, ...(await exportLedgerSr({ featureSet: options.featureSet, out: options.out }, resolveLocations(options))) })}\n`);
      return;
    }
    let bytes: Uint8Array;
    if (options.format === 'dicom-seg') bytes = await exportSeg(options);
    else if (options.format === 'dicom-sr') bytes = await exportSr(options);
    else throw new CliFailure(`error [USAGE]: --format must be dicom-seg, dicom-sr, openlineage, fhir or bids-prov, got ${options.format}`, 2);
    writeFileSync(options.out, bytes);
    process.stdout.write(`${JSON.stringify({ format: options.format, out: options.out, bytes: bytes.length, sha256: sha256(bytes) })}\n`);
  } catch (error) {
    if (error instanceof DomainError) throw new CliFailure(`error [${error.code}]: ${error.message}`, 2);
    throw error;
  }
}
