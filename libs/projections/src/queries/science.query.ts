import type { ReadModelStore } from '../read-model-store.port.js';
import { SCIENCE_TABLES as T } from '../projections/science.projection.js';

const parse = <V>(text: unknown, fallback: V): V => {
  if (typeof text !== 'string') return fallback;
  try {
    return JSON.parse(text) as V;
  } catch {
    return fallback;
  }
};

export interface ImageQcView {
  imageId: string;
  trialId: string;
  siteId: string | null;
  imageSha256: string;
  snr: number | null;
  cnr: number | null;
  ghostToSignalRatio: number | null;
  ghostAxis: string | null;
  metadataCompleteness: number | null;
  missingMetadata: string[];
  failures: Array<{ check: string; detail: string }>;
  passed: boolean;
  excludedFromFeatures: boolean;
  assessedBy: string | null;
  recordedAt: string | null;
  eventId: string;
}

export interface FeatureReliabilityView {
  trialId: string;
  studyId: string | null;
  model: string | null;
  raters: string[];
  subjects: number;
  excludedSubjects: Array<{ subjectId: string; imageId: string; reason: string }>;
  threshold: number;
  featureSetIds: string[];
  recordedBy: string | null;
  recordedAt: string | null;
  features: Array<{
    featureCode: string;
    subjects: number;
    icc21: number | null;
    icc21Lower: number | null;
    icc21Upper: number | null;
    icc31: number | null;
    icc31Lower: number | null;
    icc31Upper: number | null;
    meetsThreshold: boolean;
  }>;
  reliable: string[];
  unreliable: string[];
}

export interface RecordedResponseAssessment {
  trialId: string;
  subjectId: string;
  timepointId: string;
  readerId: string;
  category: string;
  confirmation: string;
  targetSum: number | null;
  baselineSum: number | null;
  nadirSum: number | null;
  rules: string[];
  resolves: Array<{ timepointId: string; category: string; outcome: string }>;
  progressionStudyDay: number | null;
  assessedBy: string | null;
  recordedAt: string | null;
  eventId: string;
}

/** Reads of the trial-science read models (science.projection.ts). */
export class ScienceQuery {
  constructor(private readonly store: Pick<ReadModelStore, 'all' | 'get'>) {}

  /** The trials (and sites) a subject pseudonym is enrolled in. */
  async subjectEnrolments(subjectId: string): Promise<Array<{ trialId: string; siteId: string | null }>> {
    const rows = await this.store.all<{ trial_id: string; site_id: string | null }>(`SELECT trial_id, site_id FROM ${T.subject} WHERE subject_id = ? ORDER BY trial_id`, [subjectId]);
    return rows.map((r) => ({ trialId: r.trial_id, siteId: r.site_id }));
  }

  async imageQuality(trialId: string, failedOnly: boolean): Promise<ImageQcView[]> {
    const rows = await this.store.all<Record<string, unknown>>(
      `SELECT * FROM ${T.imageQc} WHERE trial_id = ?${failedOnly ? ' AND passed = 0' : ''} ORDER BY global_position`,
      [trialId],
    );
    return rows.map((r) => ({
      imageId: String(r['image_id']),
      trialId: String(r['trial_id']),
      siteId: (r['site_id'] as string | null) ?? null,
      imageSha256: String(r['image_sha256']),
      snr: (r['snr'] as number | null) ?? null,
      cnr: (r['cnr'] as number | null) ?? null,
      ghostToSignalRatio: (r['ghost_to_signal_ratio'] as number | null) ?? null,
      ghostAxis: (r['ghost_axis'] as string | null) ?? null,
      metadataCompleteness: (r['metadata_completeness'] as number | null) ?? null,
      missingMetadata: parse(r['missing_metadata'], []),
      failures: parse(r['failures'], []),
      passed: Number(r['passed']) === 1,
      excludedFromFeatures: Number(r['excluded_from_features']) === 1,
      assessedBy: (r['assessed_by'] as string | null) ?? null,
      recordedAt: (r['recorded_at'] as string | null) ?? null,
      eventId: String(r['event_id']),
    }));
  }

  /** The trial's latest study, judged against `threshold` with the ICC the study chose; null when none is recorded. */
  async featureReliability(trialId: string, threshold: number): Promise<FeatureReliabilityView | null> {
    const study = await this.store.get<Record<string, unknown>>(`SELECT * FROM ${T.reliabilityStudy} WHERE trial_id = ?`, [trialId]);
    if (!study) return null;
    const rows = await this.store.all<Record<string, number | string | null>>(`SELECT * FROM ${T.featureReliability} WHERE trial_id = ? ORDER BY feature_code`, [trialId]);
    const model = (study['model'] as string | null) ?? 'ICC(2,1)';
    const lowerBound = study['basis'] === 'lower-bound';
    const features = rows.map((r) => {
      const value = (model === 'ICC(3,1)' ? (lowerBound ? r['icc31_lower'] : r['icc31']) : lowerBound ? r['icc21_lower'] : r['icc21']) as number | null;
      return {
        featureCode: String(r['feature_code']),
        subjects: Number(r['subjects'] ?? 0),
        icc21: (r['icc21'] as number | null) ?? null,
        icc21Lower: (r['icc21_lower'] as number | null) ?? null,
        icc21Upper: (r['icc21_upper'] as number | null) ?? null,
        icc31: (r['icc31'] as number | null) ?? null,
        icc31Lower: (r['icc31_lower'] as number | null) ?? null,
        icc31Upper: (r['icc31_upper'] as number | null) ?? null,
        meetsThreshold: value !== null && value >= threshold,
      };
    });
    return {
      trialId,
      studyId: (study['study_id'] as string | null) ?? null,
      model,
      raters: parse(study['raters'], []),
      subjects: Number(study['subjects'] ?? 0),
      excludedSubjects: parse(study['excluded_subjects'], []),
      threshold,
      featureSetIds: parse(study['feature_set_ids'], []),
      recordedBy: (study['recorded_by'] as string | null) ?? null,
      recordedAt: (study['recorded_at'] as string | null) ?? null,
      features,
      reliable: features.filter((f) => f.meetsThreshold).map((f) => f.featureCode),
      unreliable: features.filter((f) => !f.meetsThreshold).map((f) => f.featureCode),
    };
  }

  async recordedAssessments(trialId: string, subjectId: string): Promise<RecordedResponseAssessment[]> {
    const rows = await this.store.all<Record<string, unknown>>(`SELECT * FROM ${T.responseAssessment} WHERE trial_id = ? AND subject_id = ? ORDER BY global_position`, [trialId, subjectId]);
    return rows.map((r) => ({
      trialId: String(r['trial_id']),
      subjectId: String(r['subject_id']),
      timepointId: String(r['timepoint_id']),
      readerId: String(r['reader_id']),
      category: String(r['category']),
      confirmation: String(r['confirmation']),
      targetSum: (r['target_sum'] as number | null) ?? null,
      baselineSum: (r['baseline_sum'] as number | null) ?? null,
      nadirSum: (r['nadir_sum'] as number | null) ?? null,
      rules: parse(r['rules'], []),
      resolves: parse(r['resolves'], []),
      progressionStudyDay: (r['progression_study_day'] as number | null) ?? null,
      assessedBy: (r['assessed_by'] as string | null) ?? null,
      recordedAt: (r['recorded_at'] as string | null) ?? null,
      eventId: String(r['event_id']),
    }));
  }
}
