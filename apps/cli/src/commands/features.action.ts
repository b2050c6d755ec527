import { DomainError } from '@radledger/platform';
import {
  defaultRadiomicsSettings,
  extractFeatures,
  parseRadiomicsSettings,
  pyradiomicsNameOf,
  pyradiomicsSettings,
  RadiomicsInputError,
  type FeatureExtraction,
  type RadiomicsSettings,
} from '@radledger/radiomics';
import cliProgress from 'cli-progress';
import { CliFailure } from '../cli-failure.js';
import { loadImage, loadMask, readBytes } from '../image-files.js';

export interface FeaturesOptions {
  image: string;
  mask: string;
  settings?: string;
  label?: string;
  format: string;
  compat: string;
}

function loadSettings(path: string | undefined, compat: 'ibsi' | 'pyradiomics'): RadiomicsSettings {
  if (!path) return compat === 'pyradiomics' ? pyradiomicsSettings() : defaultRadiomicsSettings();
  const text = new TextDecoder().decode(readBytes(path, 'settings'));
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new RadiomicsInputError('SETTINGS_INVALID', `--settings ${path} is not JSON: ${(error as Error).message}`);
  }
  const settings = parseRadiomicsSettings(parsed);
  if (compat === 'ibsi') return settings;
  if (settings.compatibility?.mode === 'ibsi') {
    throw new CliFailure(`error [USAGE]: --compat pyradiomics contradicts --settings ${path}, which sets compatibility ibsi`, 2);
  }
  // PyRadiomics' own default voxelArrayShift is 0 (its firstorder.py).
  return parseRadiomicsSettings({ ...settings, compatibility: settings.compatibility ?? { mode: 'pyradiomics', voxelArrayShift: 0 } });
}

const jsonNumber = (_key: string, value: unknown): unknown =>
  typeof value === 'number' && !Number.isFinite(value) ? null : value;

const csvField = (s: string): string => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

/**
 * One row per feature. IBSI keys: the PyRadiomics name only on the row PyRadiomics computes
 * (its aggregation: 3D-averaged GLCM/GLRLM, 3D zone families), so no two rows share one.
 * PyRadiomics keys (--compat pyradiomics): the IBSI key of the same quantity, if any.
 */
export function toCsv(result: FeatureExtraction): string {
  const pyradiomicsKeys = result.ibsiKeys !== undefined;
  const lines = [pyradiomicsKeys ? 'key,value,name,ibsi_key' : 'key,value,name,pyradiomics_name'];
  for (const [key, value] of Object.entries(result.features)) {
    const other = pyradiomicsKeys ? (result.ibsiKeys![key] ?? '') : (pyradiomicsNameOf(key) ?? '');
    lines.push([key, Number.isFinite(value) ? String(value) : '', result.names[key] ?? '', other].map(csvField).join(','));
  }
  return `${lines.join('\n')}\n`;
}

async function run(options: FeaturesOptions): Promise<void> {
  if (options.format !== 'json' && options.format !== 'csv') {
    throw new CliFailure(`error [USAGE]: --format must be json or csv, got ${options.format}`, 2);
  }
  let label: number | undefined;
  if (options.label !== undefined) {
    label = Number(options.label);
    if (!Number.isInteger(label)) throw new CliFailure(`error [USAGE]: --label must be an integer, got ${options.label}`, 2);
  }
  if (options.compat !== 'ibsi' && options.compat !== 'pyradiomics') {
    throw new CliFailure(`error [USAGE]: --compat must be ibsi or pyradiomics, got ${options.compat}`, 2);
  }
  const settings = loadSettings(options.settings, options.compat);
  const image = await loadImage(options.image, 'image');
  const mask = await loadMask(options.mask, image, label);

  const bar = process.stderr.isTTY
    ? new cliProgress.SingleBar(
        { stream: process.stderr, format: 'features [{bar}] {value}/{total} {step}', hideCursor: true },
        cliProgress.Presets.shades_classic,
      )
    : undefined;
  let result: FeatureExtraction;
  try {
    result = extractFeatures(image.volume, mask, settings, ({ step, done, total }) => {
      if (!bar) return;
      if (done === 0) bar.start(total, 0, { step });
      else bar.update(done, { step });
    });
    bar?.update(settings.families.length + 1, { step: 'done' });
  } finally {
    bar?.stop();
  }
  process.stdout.write(options.format === 'csv' ? toCsv(result) : `${JSON.stringify(result, jsonNumber, 2)}\n`);
}

export async function features(options: FeaturesOptions): Promise<void> {
  try {
    await run(options);
  } catch (error) {
    if (error instanceof DomainError) throw new CliFailure(`error [${error.code}]: ${error.message}`, 2);
    throw error;
  }
}
