import { NotFoundError, ValidationError } from '@radledger/platform';
import type { ArtifactStore } from '@radledger/artifacts';
import type { EventStore, RecordedEvent } from '@radledger/ledger';
import {
  deriveResponse,
  fold,
  responseAssessmentDecider,
  streamIds,
  type AssessImageQualityRequest,
  type CommandMetadata,
  type CommandResult,
  type CommandService,
  type ComputeFeatureReliabilityRequest,
  type ResponseAssessmentEvent,
  type TimepointDerivation,
} from '@radledger/domain';
import {
  assessImageQuality,
  CONTRAST_FIELDS,
  DEFAULT_REQUIRED_FIELDS,
  featureReliability,
  readStoredImage,
  type AcquisitionField,
  type SubjectSegmentations,
} from '@radledger/radiomics';
import { RADLEDGER_VERSION } from './software-version.js';

type Data = Record<string, unknown>;
const finiteOrNull = (v: number | undefined | null): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

export interface ResponseAssessmentView {
  trialId: string;
  subjectId: string;
  baseline: { timepointId: string; kind: string; radiotherapyEndStudyDay: number | null; component: string; method: string; criteria: Data } | null;
  timepoints: Array<{ timepointId: string; studyDay: number; imageIds: string[] }>;
  readers: Array<{ readerId: string; bestOverallResponse: string; progressionStudyDay: number | null; timepoints: TimepointDerivation[] }>;
  /** Each timepoint's inputs: the images read and the mask versions measured on (lineage of the assessment). */
  lineage: Array<{ timepointId: string; imageIds: string[]; masks: Array<{ segmentationId: string; maskVersionId: string; readerId: string; lesionId: string }> }>;
}

/**
 * Trial science behind the action mutations and the response query (issue 15): image QC from the
 * stored bytes, reliability from recorded feature sets, RANO 2.0 re-derived from a subject's
 * recorded response record. Pure computations live in libs/radiomics and libs/domain.
 */
export class ScienceService {
  constructor(private readonly deps: { store: Pick<EventStore, 'readStream'>; artifacts: Pick<ArtifactStore, 'get'>; commands: CommandService }) {}

  async assessImageQuality(input: AssessImageQualityRequest, metadata: CommandMetadata): Promise<CommandResult> {
    const events = await this.deps.store.readStream(streamIds.image(input.imageId));
    const acquired = events.find((e) => e.type === 'ImageAcquired');
    if (!acquired) throw new NotFoundError(`imageId: image ${input.imageId} does not exist`, { field: 'imageId' });
    const acq = acquired.data as Data;
    const imageSha256 = input.imageSha256 ?? String(acq['artifactSha256']);
    const bytes = await this.deps.artifacts.get(imageSha256);
    // NIfTI, NRRD or DICOM: whatever the image was acquired as (as feature computation reads it).
    const { volume } = await readStoredImage(bytes, `image ${imageSha256.slice(0, 12)}`);
    // The protocol's metadata: what every radiomics acquisition needs, plus contrast timing for contrast-enhanced series.
    const contrastRequired = acq['contrast'] !== null || acq['modality'] === 'T1c';
    const requiredFields: AcquisitionField[] = [...DEFAULT_REQUIRED_FIELDS, ...(contrastRequired ? CONTRAST_FIELDS : [])];
    const report = assessImageQuality(volume, {
      metadata: acq as never,
      requiredFields,
      ...(input.thresholds ? { thresholds: Object.fromEntries(Object.entries(input.thresholds).filter(([, v]) => v !== undefined && v !== null)) } : {}),
    });
    return this.deps.commands.execute(
      {
        type: 'RecordImageQuality',
        data: {
          imageId: input.imageId,
          imageSha256,
          snr: finiteOrNull(report.metrics.snr),
          cnr: finiteOrNull(report.metrics.cnr),
          ghostToSignalRatio: finiteOrNull(report.metrics.worstGhost?.ratio),
          ghostAxis: report.metrics.worstGhost?.axis ?? null,
          metadataCompleteness: report.metadata.completeness,
          missingMetadata: report.metadata.missing,
          thresholds: report.thresholds,
          failures: report.failures.map((f) => ({ check: f.check, detail: f.detail.slice(0, 500) })),
          software: { name: 'radledger-image-qc', version: RADLEDGER_VERSION },
        },
      },
      metadata,
    );
  }

  async computeFeatureReliability(input: ComputeFeatureReliabilityRequest, metadata: CommandMetadata): Promise<CommandResult> {
    const byImage = new Map<string, SubjectSegmentations & { featureSets: Array<{ raterId: string; values: Record<string, number>; featureSetId: string }> }>();
    const modalities = new Set<string>();
    for (const [i, featureSetId] of [...new Set(input.featureSetIds)].entries()) {
      const [computed] = await this.deps.store.readStream(streamIds.featureSet(featureSetId));
      const d = computed?.data as Data | undefined;
      if (!computed || !d) throw new NotFoundError(`featureSetIds[${i}]: feature set ${featureSetId} does not exist`, { field: `featureSetIds[${i}]` });
      if (d['trialId'] !== input.trialId) throw new ValidationError('FEATURE_SET_OF_OTHER_TRIAL', `featureSetIds[${i}]: feature set ${featureSetId} belongs to another trial`, { field: `featureSetIds[${i}]` });
      modalities.add(String(d['modality']));
      const raterId = await this.raterOf(String(d['segmentationId']), String(d['maskVersionId']));
      const imageId = String(d['imageId']);
      const entry = byImage.get(imageId) ?? { subjectId: String(d['subjectId']), imageId, featureSets: [] };
      if (!entry.featureSets.some((f) => f.raterId === raterId)) entry.featureSets.push({ raterId, values: d['features'] as Record<string, number>, featureSetId });
      byImage.set(imageId, entry);
    }
    // Reliability compares segmentations of the same image: images segmented once are not part of the study.
    const compared = [...byImage.values()].filter((s) => s.featureSets.length >= 2);
    if (compared.length === 0) throw new ValidationError('RELIABILITY_TOO_FEW', 'featureSetIds: no image has feature sets from two or more segmentations', { field: 'featureSetIds' });
    const report = featureReliability(compared, { threshold: input.threshold ?? 0.75, model: input.model ?? 'ICC(2,1)', basis: input.basis ?? 'estimate' });
    const icc = (e: { value: number; lower: number; upper: number } | null) => (e && Number.isFinite(e.value) ? { value: e.value, ciLower: finiteOrNull(e.lower), ciUpper: finiteOrNull(e.upper) } : null);
    return this.deps.commands.execute(
      {
        type: 'RecordFeatureReliability',
        data: {
          trialId: input.trialId,
          ...(input.studyId ? { studyId: input.studyId } : {}),
          modality: modalities.size === 1 ? ([...modalities][0] as never) : null,
          raters: report.raters,
          subjects: report.subjects,
          excludedSubjects: report.excludedSubjects.map((x) => ({ ...x, reason: x.reason.slice(0, 500) })),
          threshold: report.threshold,
          model: report.model,
          basis: report.basis,
          features: report.features.map((f) => ({ featureCode: f.featureCode, subjects: f.subjects, icc21: icc(f.icc21), icc31: icc(f.icc31), meetsThreshold: f.meetsThreshold })),
          featureSetIds: compared.flatMap((s) => s.featureSets.map((f) => f.featureSetId as string)),
        },
      },
      metadata,
    );
  }

  /** Who made a mask version: the reader who drew or edited it, or the tool for an automatic segmentation. */
  private async raterOf(segmentationId: string, maskVersionId: string): Promise<string> {
    const events = await this.deps.store.readStream(streamIds.segmentation(segmentationId));
    const made = events.find((e) => (e.data as Data)['versionId'] === maskVersionId);
    if (!made) return `segmentation ${segmentationId}`;
    const d = made.data as Data;
    if (made.type === 'SegmentationCreated' && d['method'] === 'automatic') return `${String(d['tool'])} ${String(d['toolVersion'])}`;
    return made.meta.actor;
  }

  /** A subject's response record re-derived per reader (ADR 0010), with the inputs each timepoint rests on. */
  async responseAssessment(trialId: string, subjectId: string): Promise<ResponseAssessmentView | null> {
    const events: RecordedEvent[] = await this.deps.store.readStream(streamIds.responseAssessment(trialId, subjectId));
    if (events.length === 0) return null;
    const state = fold(responseAssessmentDecider, events.map((e) => ({ type: e.type, data: e.data }) as ResponseAssessmentEvent));
    const readers = [...new Set([...Object.values(state.measurements).map((m) => m.readerId), ...Object.keys(state.assessed).map((k) => k.slice(k.indexOf('|') + 1))])].sort();
    const timepoints = Object.values(state.timepoints)
      .sort((a, b) => a.studyDay - b.studyDay)
      .map((t) => ({ timepointId: t.timepointId, studyDay: t.studyDay, imageIds: [...t.imageIds] }));
    return {
      trialId,
      subjectId,
      baseline: state.baseline ? { ...state.baseline, criteria: { ...state.baseline.criteria } } : null,
      timepoints,
      readers: readers.map((readerId) => {
        const derivation = deriveResponse(state, readerId);
        return { readerId, bestOverallResponse: derivation.bestOverallResponse, progressionStudyDay: derivation.progressionStudyDay, timepoints: derivation.timepoints };
      }),
      lineage: timepoints.map((t) => ({
        timepointId: t.timepointId,
        imageIds: t.imageIds,
        masks: Object.values(state.measurements)
          .filter((m) => m.timepointId === t.timepointId && m.segmentationId !== null && m.maskVersionId !== null)
          .map((m) => ({ segmentationId: m.segmentationId!, maskVersionId: m.maskVersionId!, readerId: m.readerId, lesionId: m.lesionId })),
      })),
    };
  }
}
