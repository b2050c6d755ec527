import { ValidationError } from '@radledger/platform';
import { IMAGING_MODALITIES } from '../imaging/imaging-modality.js';
import { REVIEW_VERDICTS, SEGMENTATION_METHODS, TUMOUR_REGIONS } from '../segmentation/segmentation.commands.js';
import { PARTITIONS } from '../features/features.commands.js';
import { SIGNATURE_MEANINGS } from '../signatures/signatures.commands.js';
import { LOGIN_METHODS, ROLES } from '../access/access.commands.js';
import { SAVED_AUDIT_QUERIES } from '../audit-review/audit-review.commands.js';
import type { WorkflowCommandType } from './workflow-command.js';

/**
 * Plain description of each command's input, for building GraphQL input types and for a
 * structural check at the boundary (the deciders do the semantic checks).
 * `json`: free-form object (GraphQL JSON scalar); `numberMap`: { [name]: number }.
 */
export type FieldType = 'id' | 'string' | 'sha256' | 'number' | 'integer' | 'boolean' | 'enum' | 'object' | 'json' | 'numberMap' | 'id[]' | 'string[]' | 'enum[]' | 'object[]' | 'number|string[]' | 'number[3]';

export interface FieldSpec {
  name: string;
  type: FieldType;
  required: boolean;
  /** Nullable fields accept null as "not applied". */
  nullable?: boolean;
  enum?: readonly string[];
  /** For `object` and `object[]`. */
  fields?: FieldSpec[];
  /** When the CommandService fills it if absent. */
  generated?: boolean;
}

const f = (name: string, type: FieldType, required = true, extra: Partial<FieldSpec> = {}): FieldSpec => ({ name, type, required, ...extra });
const gen = (name: string): FieldSpec => ({ name, type: 'id', required: false, generated: true });
const en = (name: string, values: readonly string[], required = true): FieldSpec => ({ name, type: 'enum', required, enum: values });
const range = (name: string, required: boolean): FieldSpec => f(name, 'object', required, { fields: [f('min', 'number'), f('max', 'number')] });
const tensor: FieldSpec[] = [f('name', 'string'), f('type', 'string'), f('shape', 'number|string[]')];

export const commandInputs: Record<WorkflowCommandType, FieldSpec[]> = {
  RegisterTrial: [f('trialId', 'id'), f('title', 'string'), f('sponsor', 'string'), f('phase', 'string', false), f('blinded', 'boolean', false)],
  EnrollSite: [f('trialId', 'id'), f('siteId', 'id'), f('name', 'string')],
  EnrollSubject: [f('trialId', 'id'), f('siteId', 'id'), f('subjectId', 'id')],
  DefineImagingProtocol: [
    f('trialId', 'id'),
    f('protocolId', 'id'),
    en('modality', IMAGING_MODALITIES),
    f('fieldStrengthT', 'number', false),
    range('trMs', false),
    range('teMs', false),
    f('contrast', 'object', false, { fields: [f('agent', 'string', false), range('injectionRateMlPerS', true), range('delayS', true)] }),
  ],
  AcquireImage: [
    gen('imageId'),
    f('trialId', 'id'),
    f('siteId', 'id'),
    f('subjectId', 'id'),
    en('modality', IMAGING_MODALITIES),
    f('scanner', 'object', true, { fields: [f('vendor', 'string'), f('model', 'string')] }),
    f('fieldStrengthT', 'number'),
    f('trMs', 'number'),
    f('teMs', 'number'),
    f('sliceThicknessMm', 'number'),
    f('contrast', 'object', false, { fields: [f('agent', 'string'), f('injectionRateMlPerS', 'number'), f('delayS', 'number')] }),
    f('artifactSha256', 'sha256'),
    f('studyUidHash', 'sha256', false),
    f('seriesUidHash', 'sha256', false),
  ],
  ApplyPreprocessing: [f('imageId', 'id'), gen('stepId'), f('tool', 'string'), f('toolVersion', 'string'), f('parameters', 'json'), f('inputSha256', 'sha256'), f('outputSha256', 'sha256')],
  CreateSegmentation: [
    gen('segmentationId'),
    gen('versionId'),
    f('imageId', 'id'),
    f('imageSha256', 'sha256'),
    en('method', SEGMENTATION_METHODS),
    f('tool', 'string'),
    f('toolVersion', 'string'),
    en('region', TUMOUR_REGIONS),
    f('maskSha256', 'sha256'),
  ],
  EditSegmentation: [f('segmentationId', 'id'), f('parentVersionId', 'id'), gen('versionId'), f('maskSha256', 'sha256'), f('reason', 'string', false), f('tool', 'string', false), f('toolVersion', 'string', false)],
  ReviewSegmentation: [f('segmentationId', 'id'), f('versionId', 'id'), en('verdict', REVIEW_VERDICTS), f('comment', 'string', false)],
  ComputeFeatures: [
    gen('featureSetId'),
    f('imageId', 'id'),
    f('imageSha256', 'sha256'),
    f('segmentationId', 'id'),
    f('maskVersionId', 'id'),
    f('extractor', 'object', true, { fields: [f('name', 'string'), f('version', 'string')] }),
    f('settings', 'object', true, {
      fields: [
        f('resamplingMm', 'number[3]', true, { nullable: true }),
        f('interpolation', 'object', true, { fields: [en('image', ['nearest', 'linear', 'cubic', 'bspline', 'none']), en('mask', ['nearest', 'linear', 'none']), f('maskThreshold', 'number', true, { nullable: true })] }),
        f('discretisation', 'object', true, { fields: [en('method', ['fixed-bin-size', 'fixed-bin-number', 'none']), f('binWidth', 'number', true, { nullable: true }), f('binCount', 'integer', true, { nullable: true })] }),
        f('resegmentationRange', 'object', true, { nullable: true, fields: [f('min', 'number'), f('max', 'number')] }),
        f('outlierSigma', 'number', true, { nullable: true }),
        en('aggregation', ['2D-averaged', '2D-slice-merged', '2.5D-direction-merged', '2.5D-merged', '3D-averaged', '3D-merged']),
      ],
    }),
    f('extractorSettings', 'json', false),
    f('maskLabel', 'integer', false),
    f('features', 'numberMap'),
    en('provenance', ['computed', 'imported']),
  ],
  AssignFeatureSetPartition: [f('featureSetId', 'id'), en('partition', PARTITIONS), f('reason', 'string', false)],
  RegisterModel: [
    f('modelId', 'id'),
    f('version', 'id'),
    f('artifactSha256', 'sha256'),
    f('inputs', 'object[]', true, { fields: tensor }),
    f('outputs', 'object[]', true, { fields: tensor }),
    f('intendedUse', 'string'),
    f('featureCodes', 'id[]'),
    en('inputModality', IMAGING_MODALITIES, false),
    f('decisionRule', 'object', true, {
      fields: [f('threshold', 'number'), f('positiveLabel', 'string'), f('negativeLabel', 'string'), f('probabilityOutput', 'object', false, { fields: [f('name', 'string'), f('column', 'integer')] })],
    }),
    f('trainingLineage', 'object', true, { fields: [f('featureSetIds', 'id[]'), f('trialIds', 'id[]'), { name: 'partitions', type: 'enum[]', required: true, enum: PARTITIONS }] }),
    f('performance', 'object[]', true, { fields: [f('metric', 'string'), f('value', 'number'), f('ciLower', 'number', false), f('ciUpper', 'number', false), f('dataset', 'string')] }),
  ],
  RecordChangeControlPlan: [f('modelId', 'id'), gen('planId'), f('whatMayChange', 'string'), f('validationProtocol', 'string'), f('acceptanceCriteria', 'string')],
  RecordModelValidation: [f('modelId', 'id'), f('version', 'id'), f('planId', 'id'), gen('validationId'), f('results', 'numberMap'), f('passed', 'boolean'), f('summary', 'string')],
  LockModel: [f('modelId', 'id'), f('version', 'id'), f('trialId', 'id')],
  RetireModel: [f('modelId', 'id'), f('version', 'id'), f('reason', 'string', false)],
  MakeDecision: [gen('decisionId'), f('modelId', 'id'), f('modelVersion', 'id'), f('modelSha256', 'sha256'), f('featureSetId', 'id'), f('subjectId', 'id', false), f('outputs', 'numberMap'), f('threshold', 'number'), f('decision', 'string')],
  OverrideDecision: [f('decisionId', 'id'), f('decision', 'string'), f('reason', 'string', false)],
  SignRecord: [f('eventId', 'id'), f('streamId', 'string', false), en('meaning', SIGNATURE_MEANINGS), f('printedName', 'string'), gen('signatureId')],
  RegisterUser: [f('userId', 'id'), f('printedName', 'string')],
  GrantRole: [f('userId', 'id'), en('role', ROLES), f('trialId', 'id', false), f('siteId', 'id', false), f('reason', 'string')],
  RevokeRole: [f('userId', 'id'), en('role', ROLES), f('trialId', 'id', false), f('siteId', 'id', false), f('reason', 'string')],
  RecordLoginSucceeded: [f('userId', 'id'), en('method', LOGIN_METHODS)],
  RecordLoginFailed: [f('userId', 'id'), en('method', LOGIN_METHODS), f('failureReason', 'id')],
  RecordAccessDenied: [f('userId', 'id'), f('operation', 'string'), f('reasonCode', 'id')],
  IssueApiToken: [f('userId', 'id'), gen('tokenId'), f('tokenSha256', 'sha256'), f('scopes', 'string[]'), f('expiresAt', 'string')],
  RedactPayload: [f('eventId', 'id'), f('streamId', 'string', false), f('justification', 'string')],
  RevokeApiToken: [f('userId', 'id'), f('tokenId', 'id'), f('reason', 'string')],
  CompleteAuditReview: [gen('reviewId'), f('trialId', 'id'), en('queryName', SAVED_AUDIT_QUERIES), f('parameters', 'json'), f('resultSha256', 'sha256'), f('conclusion', 'string')],
};

/** The single list the GraphQL layer builds one mutation per entry from. */
export const commandTypes = Object.keys(commandInputs) as WorkflowCommandType[];

export function isCommandType(type: unknown): type is WorkflowCommandType {
  return typeof type === 'string' && Object.prototype.hasOwnProperty.call(commandInputs, type);
}

const SHA256_RE = /^[0-9a-f]{64}$/;

function fail(path: string, expected: string, value: unknown): never {
  const got = value === undefined ? 'nothing' : Array.isArray(value) ? 'an array' : value === null ? 'null' : typeof value;
  throw new ValidationError('INPUT_INVALID', `${path}: expected ${expected}, got ${got}`, { field: path });
}

function checkValue(spec: FieldSpec, value: unknown, path: string): void {
  if (value === null) {
    if (spec.nullable) return;
    fail(path, spec.type, value);
  }
  switch (spec.type) {
    case 'id':
    case 'string':
      if (typeof value !== 'string') fail(path, 'a string', value);
      return;
    case 'sha256':
      if (typeof value !== 'string' || !SHA256_RE.test(value)) fail(path, '64 lowercase hex characters', value);
      return;
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value)) fail(path, 'a finite number', value);
      return;
    case 'integer':
      if (typeof value !== 'number' || !Number.isInteger(value)) fail(path, 'an integer', value);
      return;
    case 'boolean':
      if (typeof value !== 'boolean') fail(path, 'true or false', value);
      return;
    case 'enum':
      if (typeof value !== 'string' || !spec.enum!.includes(value)) fail(path, `one of ${spec.enum!.join(', ')}`, value);
      return;
    case 'object':
      if (typeof value !== 'object' || Array.isArray(value)) fail(path, 'an object', value);
      checkFields(spec.fields ?? [], value as Record<string, unknown>, path);
      return;
    case 'json':
      if (typeof value !== 'object' || Array.isArray(value)) fail(path, 'an object', value);
      return;
    case 'numberMap':
      if (typeof value !== 'object' || Array.isArray(value)) fail(path, 'an object of numbers', value);
      for (const [k, v] of Object.entries(value as object)) if (typeof v !== 'number' || !Number.isFinite(v)) fail(`${path}.${k}`, 'a finite number', v);
      return;
    case 'id[]':
    case 'string[]':
      if (!Array.isArray(value)) fail(path, 'a list of strings', value);
      (value as unknown[]).forEach((v, i) => typeof v !== 'string' && fail(`${path}[${i}]`, 'a string', v));
      return;
    case 'enum[]':
      if (!Array.isArray(value)) fail(path, 'a list', value);
      (value as unknown[]).forEach((v, i) => (typeof v !== 'string' || !spec.enum!.includes(v)) && fail(`${path}[${i}]`, `one of ${spec.enum!.join(', ')}`, v));
      return;
    case 'object[]':
      if (!Array.isArray(value)) fail(path, 'a list of objects', value);
      (value as unknown[]).forEach((v, i) => checkValue({ ...spec, type: 'object' }, v, `${path}[${i}]`));
      return;
    case 'number|string[]':
      if (!Array.isArray(value)) fail(path, 'a list', value);
      (value as unknown[]).forEach((v, i) => typeof v !== 'string' && typeof v !== 'number' && fail(`${path}[${i}]`, 'a number or string', v));
      return;
    case 'number[3]':
      // [x, y, z]; z may be null (resampling that keeps the slices).
      if (!Array.isArray(value) || value.length !== 3) fail(path, 'a list of 3 numbers', value);
      (value as unknown[]).forEach((v, i) => !(i === 2 && v === null) && (typeof v !== 'number' || !Number.isFinite(v)) && fail(`${path}[${i}]`, 'a finite number', v));
      return;
  }
}

function checkFields(specs: FieldSpec[], obj: Record<string, unknown>, path: string): void {
  const known = new Set(specs.map((s) => s.name));
  for (const key of Object.keys(obj)) {
    if (!known.has(key)) throw new ValidationError('INPUT_INVALID', `${path}.${key}: unknown field`, { field: `${path}.${key}` });
  }
  for (const spec of specs) {
    const v = obj[spec.name];
    if (v === undefined) {
      if (spec.required && !spec.generated) fail(`${path}.${spec.name}`, spec.type, v);
      continue;
    }
    checkValue(spec, v, `${path}.${spec.name}`);
  }
}

/** Structural check of a command at the boundary: unknown type, unknown fields, missing or mistyped fields. */
export function validateCommandInput(command: { type: unknown; data: unknown }): void {
  if (!isCommandType(command.type)) throw new ValidationError('UNKNOWN_COMMAND', `type: expected one of ${commandTypes.join(', ')}, got ${JSON.stringify(command.type)}`, { field: 'type' });
  if (!command.data || typeof command.data !== 'object' || Array.isArray(command.data)) fail('data', 'an object', command.data);
  checkFields(commandInputs[command.type], command.data as Record<string, unknown>, 'data');
}
