import { createHash } from 'node:crypto';
import { streamIds } from '@radledger/domain';
import type { LedgerStore, RecordedEvent } from '@radledger/ledger';
import { IllegalStateError, NotFoundError, ValidationError } from '@radledger/platform';
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
import { RADLEDGER_VERSION } from '../software-version.js';

interface RecordedFeatureSet {
  featureSetId: string;
  trialId: string;
  siteId?: string;
  subjectId: string;
  imageSha256: string;
  maskSha256: string;
  maskLabel?: number | null;
  extractor: { name: string; version: string };
  features: FeatureValues;
  ibsiKeys?: Record<string, string>;
  resultSha256: string;
}

/** The ledger and the stored bytes a report is made from. */
export interface LedgerSrSources {
  store: Pick<LedgerStore, 'readStream' | 'readAll' | 'findEvent'>;
  artifacts: { get(sha256: string): Promise<Uint8Array> };
}

export interface LedgerSrReport {
  /** The SR TID 1500 file. */
  sr: Uint8Array;
  /** SEGs written for label-image masks (the SR references them), by feature set. */
  segs: Array<{ featureSetId: string; bytes: Uint8Array }>;
  /** Trial, site and subject of the reported image (every set shares them). */
  trialId: string;
  siteId: string | null;
  subjectId: string;
  imageId: string | null;
}

const software = { name: 'RadLedger', version: RADLEDGER_VERSION };
const sha256 = (bytes: Uint8Array | string): string => createHash('sha256').update(bytes).digest('hex');

/**
 * The subject's records were crypto-shredded (ADR 0007): a PayloadRedacted event targets one of
 * its events. An SR would carry the subject's results on after the erasure was approved, so the
 * export refuses it (SUBJECT_REDACTED) rather than re-publishing part of the subject's record.
 */
export async function assertSubjectNotRedacted(store: LedgerSrSources['store'], trialId: string, subjectId: string, what: string, field: string): Promise<void> {
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
          { field, subjectId, position: event.globalPosition },
        );
      }
    }
    if (page.length < 1000) return;
  }
}

/**
 * A DICOM SR TID 1500 of recorded feature sets of one image, from the ledger and the artifact
 * store (the CLI `export --format dicom-sr --feature-set …` and the API's exportDicomSr). Each
 * set's mask is referenced as a DICOM-SEG segment: the stored SEG itself, or (for a label-image
 * mask) a SEG written from it, answered beside the SR. The report is dated by the last
 * computation it reports, so the same sets give the same bytes. Reads only.
 *
 * `name(i)` says how the caller names the i-th feature set in messages (`--feature-set X`,
 * `featureSetIds[0]`); `field` is the error's field.
 */
export async function renderLedgerSr(sources: LedgerSrSources, featureSetIds: readonly string[], naming: { name: (index: number) => string; field: string }): Promise<LedgerSrReport> {
  const { store } = sources;
  const sets: RecordedFeatureSet[] = [];
  let recordedAt = 0;
  let siteId: string | null = null;
  let imageId: string | null = null;
  for (const [i, id] of featureSetIds.entries()) {
    const computed = (await store.readStream(streamIds.featureSet(id))).find((e) => e.type === 'FeaturesComputed');
    if (!computed) throw new NotFoundError(`${naming.name(i)}: no recorded feature set`, { field: naming.field });
    sets.push(computed.data as unknown as RecordedFeatureSet);
    const data = computed.data as { imageId?: unknown };
    if (i === 0) {
      siteId = (computed.data as { siteId?: unknown }).siteId === undefined ? null : String((computed.data as { siteId?: unknown }).siteId);
      imageId = typeof data.imageId === 'string' ? data.imageId : null;
    }
    recordedAt = Math.max(recordedAt, Date.parse(computed.meta.recordedAt));
  }
  const createdAt = new Date(recordedAt);
  const first = sets[0]!;
  for (const [i, s] of sets.entries()) {
    // The caller was authorised on the first set's trial and site: every other set must be of the same image there.
    if (s.imageSha256 !== first.imageSha256 || s.trialId !== first.trialId || (s.siteId ?? null) !== (first.siteId ?? null)) {
      throw new ValidationError('FEATURE_SETS_OF_SEVERAL_IMAGES', `${naming.name(i)}: feature set ${s.featureSetId} was computed on another image than ${first.featureSetId}; one SR reports one image`, { field: naming.field });
    }
    await assertSubjectNotRedacted(store, s.trialId, s.subjectId, naming.name(i), naming.field);
  }
  const image = await readStoredImage(await sources.artifacts.get(first.imageSha256), `image ${first.imageSha256.slice(0, 12)}`);
  const segs: LedgerSrReport['segs'] = [];
  const groups: SrMeasurementGroup[] = [];
  for (const [i, s] of sets.entries()) {
    const maskBytes = await sources.artifacts.get(s.maskSha256);
    let segment: NonNullable<SrMeasurementGroup['segment']>;
    let label: string;
    if (sniffFormat(maskBytes) === 'dicom' && isDicomSeg(maskBytes)) {
      await loadDicomDecoders();
      const seg = readDicomSeg(maskBytes, { name: `mask ${s.maskSha256.slice(0, 12)}`, image });
      const number = s.maskLabel ?? (seg.segments.length === 1 ? seg.segments[0]!.number : undefined);
      const found = seg.segments.find((x) => x.number === number);
      if (!found) {
        throw new ValidationError('SEG_SEGMENT_UNNAMED', `${naming.name(i)}: its SEG has segments ${seg.segments.map((x) => x.number).join(', ')} and the set names none`, { field: naming.field });
      }
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
      segs.push({ featureSetId: s.featureSetId, bytes: written.bytes });
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
  return { sr: sr.bytes, segs, trialId: first.trialId, siteId, subjectId: first.subjectId, imageId };
}
