import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FileSystemArtifactStore } from '@radledger/artifacts';
import { RADLEDGER_VERSION } from '@radledger/application';
import { streamIds } from '@radledger/domain';
import type { LedgerStore, RecordedEvent } from '@radledger/ledger';
import { IllegalStateError, NotFoundError } from '@radledger/platform';
import {
  ibsiKeyedFeatures,
  isDicomSeg,
  loadDicomDecoders,
  maskFromLabels,
  readDicomSeg,
  readStoredImage,
  sniffFormat,
  writeDicomSeg,
  writeDicomSr,
  type FeatureValues,
  type SrMeasurementGroup,
} from '@radledger/radiomics';
import { CliFailure } from '../cli-failure.js';
import { openExistingStore } from '../cli-runtime.js';
import type { CliLocations } from './store-cli.options.js';

interface RecordedFeatureSet {
  featureSetId: string;
  trialId: string;
  subjectId: string;
  imageSha256: string;
  maskSha256: string;
  maskLabel?: number | null;
  extractor: { name: string; version: string };
  features: FeatureValues;
  ibsiKeys?: Record<string, string>;
  resultSha256: string;
}

const software = { name: 'RadLedger', version: RADLEDGER_VERSION };
const sha256 = (bytes: Uint8Array | string): string => createHash('sha256').update(bytes).digest('hex');

/**
 * The subject's records were crypto-shredded (ADR 0007): a PayloadRedacted event targets one of
 * its events. An SR would carry the subject's results on after the erasure was approved, so the
 * export refuses it (SUBJECT_REDACTED) rather than re-publishing part of the subject's record.
 */
async function assertNotRedacted(store: LedgerStore, trialId: string, subjectId: string, what: string): Promise<void> {
  const subjectOf = async (event: RecordedEvent): Promise<{ trialId?: unknown; subjectId?: unknown }> => {
    const own = event.data as { trialId?: unknown; subjectId?: unknown };
    if (typeof own.subjectId === 'string') return own;
    const [first] = await store.readStream(event.streamId);
    return (first?.data as { trialId?: unknown; subjectId?: unknown } | undefined) ?? {};
  };
  for (let from = 0; ; from += 1000) {
    const page = await store.readAll(from, 1000);
    for (const event of page) {
      if (event.type !== 'PayloadRedacted') continue;
      const target = await store.findEvent(String((event.data as { eventId: unknown }).eventId));
      if (!target) continue;
      const owner = await subjectOf(target);
      if (owner.subjectId === subjectId && (owner.trialId === undefined || owner.trialId === trialId)) {
        throw new IllegalStateError(
          'SUBJECT_REDACTED',
          `${what}: subject ${subjectId} of trial ${trialId} was redacted (PayloadRedacted at ledger position ${event.globalPosition}); its results are not exported`,
          { field: 'feature-set', subjectId, position: event.globalPosition },
        );
      }
    }
    if (page.length < 1000) return;
  }
}

/**
 * `export --format dicom-sr --feature-set <id>… --store … --data-dir …`: a DICOM SR TID 1500 of
 * recorded feature sets of one image, from the ledger and the artifact store. Each set's mask is
 * referenced as a DICOM-SEG segment: the stored SEG itself, or (for a label-image mask) a SEG
 * written from it beside the SR (`<out>.seg.dcm`). Appends nothing.
 */
export async function exportLedgerSr(options: { featureSet: string[]; out: string }, at: CliLocations): Promise<{ out: string; bytes: number; sha256: string; seg?: string }> {
  const store = await openExistingStore(at.store);
  try {
    const sets: RecordedFeatureSet[] = [];
    let recordedAt = 0;
    for (const id of options.featureSet) {
      const computed = (await store.readStream(streamIds.featureSet(id))).find((e) => e.type === 'FeaturesComputed');
      if (!computed) throw new NotFoundError(`--feature-set ${id}: no recorded feature set`, { field: 'feature-set' });
      sets.push(computed.data as unknown as RecordedFeatureSet);
      recordedAt = Math.max(recordedAt, Date.parse(computed.meta.recordedAt));
    }
    // The report is dated by the last computation it reports: the same sets give the same SR.
    const createdAt = new Date(recordedAt);
    const first = sets[0]!;
    for (const s of sets) {
      if (s.imageSha256 !== first.imageSha256) throw new CliFailure(`error [USAGE]: --feature-set ${s.featureSetId} was computed on another image than ${first.featureSetId}; one SR reports one image`, 2);
      await assertNotRedacted(store, s.trialId, s.subjectId, `--feature-set ${s.featureSetId}`);
    }
    const artifacts = new FileSystemArtifactStore(join(at.dataDir, 'artifacts'));
    const image = await readStoredImage(await artifacts.get(first.imageSha256), `image ${first.imageSha256.slice(0, 12)}`);
    let segOut: string | undefined;
    const groups: SrMeasurementGroup[] = [];
    for (const s of sets) {
      const maskBytes = await artifacts.get(s.maskSha256);
      let segment: NonNullable<SrMeasurementGroup['segment']>;
      let label: string;
      if (sniffFormat(maskBytes) === 'dicom' && isDicomSeg(maskBytes)) {
        await loadDicomDecoders();
        const seg = readDicomSeg(maskBytes, { name: `mask ${s.maskSha256.slice(0, 12)}`, image });
        const number = s.maskLabel ?? (seg.segments.length === 1 ? seg.segments[0]!.number : undefined);
        const found = seg.segments.find((x) => x.number === number);
        if (!found) throw new CliFailure(`error [USAGE]: --feature-set ${s.featureSetId}: its SEG has segments ${seg.segments.map((x) => x.number).join(', ')} and the set names none`, 2);
        segment = { sopInstanceUid: seg.sopInstanceUid, segmentNumber: found.number, seriesInstanceUid: seg.seriesInstanceUid };
        label = found.label;
      } else {
        const labels = await readStoredImage(maskBytes, `mask ${s.maskSha256.slice(0, 12)}`);
        const written = writeDicomSeg({
          geometry: image.geometry,
          segments: [{ number: 1, label: `feature set ${s.featureSetId}`, mask: maskFromLabels(labels, s.maskLabel ?? undefined).data, algorithmType: 'MANUAL' }],
          ...(image.dicom ? { source: image.dicom } : {}),
          createdAt,
          uidSeed: s.maskSha256,
          software,
        });
        segOut = `${options.out}.seg${sets.length > 1 ? `-${s.featureSetId}` : ''}.dcm`;
        writeFileSync(segOut, written.bytes);
        segment = { sopInstanceUid: written.sopInstanceUid, segmentNumber: 1, seriesInstanceUid: written.seriesInstanceUid };
        label = `feature set ${s.featureSetId}`;
      }
      groups.push({ trackingIdentifier: label, segment, features: ibsiKeyedFeatures({ features: s.features, ...(s.ibsiKeys ? { ibsiKeys: s.ibsiKeys } : {}) }) });
    }
    const sr = writeDicomSr({
      groups,
      ...(image.dicom ? { source: image.dicom } : {}),
      createdAt,
      uidSeed: sha256(sets.map((s) => s.resultSha256).join('\n')),
      software,
      algorithm: { name: first.extractor.name, version: first.extractor.version },
    });
    writeFileSync(options.out, sr.bytes);
    return { out: options.out, bytes: sr.bytes.length, sha256: sha256(sr.bytes), ...(segOut ? { seg: segOut } : {}) };
  } finally {
    await store.close();
  }
}
