import type { RecordedEvent } from '@radledger/ledger';
import type { Projection, RowOperation, TableSchema } from '../projection.js';
import { bool, dataOf, eventColumns, EVENT_COLUMNS, json, num, strings, text } from './event-fields.js';

/**
 * Trial science read models (issue 15): subjects (trial and site of a pseudonym), RANO 2.0
 * assessments per reader and timepoint, the latest image QC per image, and the latest feature
 * reliability study per trial. The derivation trail itself is re-derived from the subject's
 * response record on the ledger (pure, ADR 0010), never stored twice.
 */
export const SCIENCE_TABLES = {
  subject: 'rm_subject',
  responseTimepoint: 'rm_response_timepoint',
  responseAssessment: 'rm_response_assessment',
  imageQc: 'rm_image_qc',
  reliabilityStudy: 'rm_reliability_study',
  featureReliability: 'rm_feature_reliability',
} as const;
const T = SCIENCE_TABLES;

const tables: TableSchema[] = [
  { name: T.subject, columns: { trial_id: 'text', subject_id: 'text', site_id: 'text', global_position: 'integer' }, primaryKey: ['trial_id', 'subject_id'], indexes: [['subject_id']] },
  {
    name: T.responseTimepoint,
    columns: { trial_id: 'text', subject_id: 'text', timepoint_id: 'text', study_day: 'integer', image_ids: 'text', ...EVENT_COLUMNS },
    primaryKey: ['trial_id', 'subject_id', 'timepoint_id'],
  },
  {
    name: T.responseAssessment,
    columns: {
      trial_id: 'text',
      subject_id: 'text',
      timepoint_id: 'text',
      reader_id: 'text',
      category: 'text',
      confirmation: 'text',
      target_sum: 'real',
      baseline_sum: 'real',
      nadir_sum: 'real',
      rules: 'text',
      resolves: 'text',
      progression_study_day: 'integer',
      assessed_by: 'text',
      ...EVENT_COLUMNS,
    },
    primaryKey: ['event_id'],
    indexes: [['trial_id', 'subject_id']],
  },
  {
    name: T.imageQc,
    columns: {
      image_id: 'text',
      trial_id: 'text',
      site_id: 'text',
      image_sha256: 'text',
      snr: 'real',
      cnr: 'real',
      ghost_to_signal_ratio: 'real',
      ghost_axis: 'text',
      metadata_completeness: 'real',
      missing_metadata: 'text',
      failures: 'text',
      passed: 'integer',
      excluded_from_features: 'integer',
      assessed_by: 'text',
      ...EVENT_COLUMNS,
    },
    primaryKey: ['image_id'],
    indexes: [['trial_id']],
  },
  {
    name: T.reliabilityStudy,
    columns: { trial_id: 'text', study_id: 'text', modality: 'text', raters: 'text', subjects: 'integer', excluded_subjects: 'text', threshold: 'real', model: 'text', basis: 'text', feature_set_ids: 'text', recorded_by: 'text', ...EVENT_COLUMNS },
    primaryKey: ['trial_id'],
  },
  {
    name: T.featureReliability,
    columns: {
      trial_id: 'text',
      study_id: 'text',
      feature_code: 'text',
      subjects: 'integer',
      icc21: 'real',
      icc21_lower: 'real',
      icc21_upper: 'real',
      icc31: 'real',
      icc31_lower: 'real',
      icc31_upper: 'real',
    },
    primaryKey: ['trial_id', 'feature_code'],
  },
];

const HANDLED = new Set(['SubjectEnrolled', 'ResponseTimepointRecorded', 'TimepointResponseAssessed', 'ImageQualityAssessed', 'FeatureReliabilityRecorded']);

function evolve(event: RecordedEvent): RowOperation[] {
  const d = dataOf(event);
  const e = eventColumns(event);
  const actor = event.meta?.actor ?? null;
  switch (event.type) {
    case 'SubjectEnrolled':
      return [{ op: 'upsert', table: T.subject, row: { trial_id: text(d, 'trialId'), subject_id: text(d, 'subjectId'), site_id: text(d, 'siteId'), global_position: e.global_position } }];
    case 'ResponseTimepointRecorded':
      return [
        {
          op: 'upsert',
          table: T.responseTimepoint,
          row: { trial_id: text(d, 'trialId'), subject_id: text(d, 'subjectId'), timepoint_id: text(d, 'timepointId'), study_day: num(d, 'studyDay'), image_ids: json(strings(d, 'imageIds')), ...e },
        },
      ];
    case 'TimepointResponseAssessed':
      return [
        {
          op: 'upsert',
          table: T.responseAssessment,
          row: {
            trial_id: text(d, 'trialId'),
            subject_id: text(d, 'subjectId'),
            timepoint_id: text(d, 'timepointId'),
            reader_id: text(d, 'readerId'),
            category: text(d, 'category'),
            confirmation: text(d, 'confirmation'),
            target_sum: num(d, 'targetSum'),
            baseline_sum: num(d, 'baselineSum'),
            nadir_sum: num(d, 'nadirSum'),
            rules: json(strings(d, 'rules')),
            resolves: json(Array.isArray(d['resolves']) ? d['resolves'] : []),
            progression_study_day: num(d, 'progressionStudyDay'),
            assessed_by: actor,
            ...e,
          },
        },
      ];
    case 'ImageQualityAssessed':
      return [
        {
          op: 'upsert',
          table: T.imageQc,
          row: {
            image_id: text(d, 'imageId'),
            trial_id: text(d, 'trialId'),
            site_id: text(d, 'siteId'),
            image_sha256: text(d, 'imageSha256'),
            snr: num(d, 'snr'),
            cnr: num(d, 'cnr'),
            ghost_to_signal_ratio: num(d, 'ghostToSignalRatio'),
            ghost_axis: text(d, 'ghostAxis'),
            metadata_completeness: num(d, 'metadataCompleteness'),
            missing_metadata: json(strings(d, 'missingMetadata')),
            failures: json(Array.isArray(d['failures']) ? d['failures'] : []),
            passed: bool(d, 'passed'),
            excluded_from_features: bool(d, 'excludedFromFeatures'),
            assessed_by: actor,
            ...e,
          },
        },
      ];
    case 'FeatureReliabilityRecorded': {
      const trialId = text(d, 'trialId');
      const studyId = text(d, 'studyId');
      if (!trialId || !studyId) return [];
      const features = Array.isArray(d['features']) ? (d['features'] as Array<Record<string, unknown>>) : [];
      const icc = (f: Record<string, unknown>, key: string) => (f[key] && typeof f[key] === 'object' ? (f[key] as Record<string, unknown>) : {});
      return [
        {
          op: 'upsert',
          table: T.reliabilityStudy,
          row: {
            trial_id: trialId,
            study_id: studyId,
            modality: text(d, 'modality'),
            raters: json(strings(d, 'raters')),
            subjects: num(d, 'subjects'),
            excluded_subjects: json(Array.isArray(d['excludedSubjects']) ? d['excludedSubjects'] : []),
            threshold: num(d, 'threshold'),
            model: text(d, 'model'),
            basis: text(d, 'basis'),
            feature_set_ids: json(strings(d, 'featureSetIds')),
            recorded_by: actor,
            ...e,
          },
        },
        // The latest study replaces the trial's earlier one.
        { op: 'delete', table: T.featureReliability, where: { trial_id: trialId } },
        ...features.map(
          (f): RowOperation => ({
            op: 'upsert',
            table: T.featureReliability,
            row: {
              trial_id: trialId,
              study_id: studyId,
              feature_code: typeof f['featureCode'] === 'string' ? f['featureCode'] : null,
              subjects: num(f, 'subjects'),
              icc21: num(icc(f, 'icc21'), 'value'),
              icc21_lower: num(icc(f, 'icc21'), 'ciLower'),
              icc21_upper: num(icc(f, 'icc21'), 'ciUpper'),
              icc31: num(icc(f, 'icc31'), 'value'),
              icc31_lower: num(icc(f, 'icc31'), 'ciLower'),
              icc31_upper: num(icc(f, 'icc31'), 'ciUpper'),
            },
          }),
        ),
      ];
    }
    default:
      return [];
  }
}

export const scienceProjection: Projection = { name: 'science', version: 1, tables, canHandle: (type) => HANDLED.has(type), evolve };
