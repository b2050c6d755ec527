/**
 * Source of the committed JSON Schemas in schemas/events/<Type>.v<N>.json (draft 2020-12).
 * `node --import @swc-node/register/esm-register scripts/generate-event-schemas.ts` writes
 * them; a unit test fails when the committed files differ, so review sees every contract change.
 */
type Schema = Record<string, unknown>;

const DRAFT = 'https://json-schema.org/draft/2020-12/schema';
const id: Schema = { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$' };
const sha256: Schema = { type: 'string', pattern: '^[0-9a-f]{64}$' };
const text = (maxLength = 2000): Schema => ({ type: 'string', minLength: 1, maxLength });
/**
 * Free text that the write path seals (ADR 0007): the plaintext shape, or the sealed envelope
 * `enc:v1:<keyId>:<label>:<nonce>:<ciphertext+tag>` sized for the plaintext's UTF-8 bytes in base64url.
 */
const freeText = (maxLength = 2000): Schema => ({
  anyOf: [
    text(maxLength),
    { type: 'string', pattern: '^enc:v1:[A-Za-z0-9_-]{1,64}:[A-Za-z][A-Za-z0-9.\\[\\]_-]{0,199}:[A-Za-z0-9_-]{16}:[A-Za-z0-9_-]{22,}$', maxLength: Math.ceil((4 * (3 * maxLength + 16)) / 3) + 300 },
  ],
});
const num: Schema = { type: 'number' };
const nullable = (s: Schema): Schema => ({ anyOf: [s, { type: 'null' }] });
/** 64-bit counters travel as decimal strings (JSON numbers lose precision above 2^53). */
const counter: Schema = { type: 'string', pattern: '^(0|[1-9][0-9]{0,19})$' };
const utc: Schema = { type: 'string', format: 'date-time', pattern: 'Z$' };
const enumOf = (...values: string[]): Schema => ({ type: 'string', enum: values });
const obj = (properties: Record<string, Schema>, optional: string[] = []): Schema => ({
  type: 'object',
  additionalProperties: false,
  required: Object.keys(properties).filter((k) => !optional.includes(k)),
  properties,
});
const range = obj({ min: num, max: num });
const numberMap: Schema = { type: 'object', propertyNames: { pattern: '^[A-Za-z0-9][A-Za-z0-9_.:@-]{0,199}$' }, additionalProperties: num };
const vec3 = (items: Schema): Schema => ({ type: 'array', items, minItems: 3, maxItems: 3 });

const modality = enumOf('T1', 'T1c', 'T2', 'FLAIR', 'DWI', 'ADC', 'SWI', 'perfusion-DSC', 'perfusion-DCE', 'FET-PET', 'CT');
const grid = obj({ dims: vec3({ type: 'integer', minimum: 1 }), spacing: vec3({ type: 'number', exclusiveMinimum: 0 }) });
const tensor = obj({ name: text(200), type: text(50), shape: { type: 'array', items: { type: ['number', 'string'] } } });
const partition = enumOf('train', 'tune', 'test');
const role = enumOf('site-operator', 'data-scientist', 'qa', 'regulatory', 'monitor', 'admin');
const loginMethod = enumOf('password', 'api-token', 'oidc');

const imageAcquiredV1Props: Record<string, Schema> = {
  imageId: id,
  trialId: id,
  siteId: id,
  subjectId: id,
  modality,
  scanner: obj({ vendor: text(100), model: text(100) }),
  fieldStrengthT: num,
  trMs: num,
  teMs: num,
  contrast: nullable(obj({ agent: text(100), injectionRateMlPerS: num, delayS: num })),
  artifactSha256: sha256,
  studyUidHash: nullable(sha256),
  seriesUidHash: nullable(sha256),
  protocolId: nullable(id),
};

const ibsiSettings = obj({
  resamplingMm: nullable({ type: 'array', prefixItems: [{ type: 'number', exclusiveMinimum: 0 }, { type: 'number', exclusiveMinimum: 0 }, nullable({ type: 'number', exclusiveMinimum: 0 })], items: false, minItems: 3 }),
  interpolation: obj({ image: enumOf('nearest', 'linear', 'cubic', 'bspline', 'none'), mask: enumOf('nearest', 'linear', 'none'), maskThreshold: nullable(num) }),
  discretisation: obj({ method: enumOf('fixed-bin-size', 'fixed-bin-number', 'none'), binWidth: nullable(num), binCount: nullable({ type: 'integer', minimum: 1 }) }),
  resegmentationRange: nullable(range),
  outlierSigma: nullable(num),
  aggregation: enumOf('2D-averaged', '2D-slice-merged', '2.5D-direction-merged', '2.5D-merged', '3D-averaged', '3D-merged'),
});

const grantData = obj({ userId: id, role, trialId: nullable(id), siteId: nullable(id), reason: freeText() });

/** `Type.vN` → schema of the event's `data`. Old versions stay here forever (stored events use them). */
export const eventDataSchemas: Record<string, Schema> = {
  'TrialRegistered.v1': obj({ trialId: id, title: text(300), sponsor: text(300), phase: nullable({ type: 'string', maxLength: 50 }), blinded: { type: 'boolean' } }),
  'SiteEnrolled.v1': obj({ trialId: id, siteId: id, name: text(300) }),
  'SubjectEnrolled.v1': obj({ trialId: id, siteId: id, subjectId: id }),
  'ImagingProtocolDefined.v1': obj({
    trialId: id,
    protocolId: id,
    modality,
    fieldStrengthT: nullable(num),
    trMs: nullable(range),
    teMs: nullable(range),
    contrast: nullable(obj({ agent: nullable(text(100)), injectionRateMlPerS: range, delayS: range })),
  }),
  'ImageAcquired.v1': obj(imageAcquiredV1Props),
  'ImageAcquired.v2': obj({ ...imageAcquiredV1Props, sliceThicknessMm: nullable({ type: 'number', exclusiveMinimum: 0 }) }),
  'ProtocolDeviationDetected.v1': obj({
    imageId: id,
    trialId: id,
    siteId: id,
    protocolId: id,
    deviations: {
      type: 'array',
      minItems: 1,
      items: obj({ field: enumOf('fieldStrengthT', 'trMs', 'teMs', 'contrast', 'contrast.injectionRateMlPerS', 'contrast.delayS'), expected: text(200), actual: text(200) }),
    },
  }),
  'PreprocessingApplied.v1': obj({ imageId: id, stepId: id, tool: text(100), toolVersion: text(50), parameters: { type: 'object' }, inputSha256: sha256, outputSha256: sha256 }),
  'SegmentationCreated.v1': obj({
    segmentationId: id,
    versionId: id,
    imageId: id,
    imageSha256: sha256,
    trialId: id,
    subjectId: id,
    method: enumOf('manual', 'semi-automatic', 'automatic'),
    tool: text(100),
    toolVersion: text(50),
    region: enumOf('whole-tumour', 'enhancing-tumour', 'tumour-core', 'necrosis', 'oedema'),
    maskSha256: sha256,
    grid,
    voxelCount: counter,
    volumeMm3: { type: 'number', minimum: 0 },
  }),
  'SegmentationEdited.v1': obj({
    segmentationId: id,
    versionId: id,
    parentVersionId: id,
    parentMaskSha256: sha256,
    maskSha256: sha256,
    reason: freeText(),
    tool: nullable(text(100)),
    toolVersion: nullable(text(50)),
    grid,
    voxelCount: counter,
    volumeMm3: { type: 'number', minimum: 0 },
    diceVsParent: { type: 'number', minimum: 0, maximum: 1 },
    volumeChangeMm3: num,
    volumeChangeRelative: nullable(num),
  }),
  'SegmentationReviewed.v1': obj({ segmentationId: id, versionId: id, verdict: enumOf('accepted', 'rejected', 'needs-edit'), comment: nullable(freeText()) }),
  'FeaturesComputed.v1': obj({
    featureSetId: id,
    trialId: id,
    siteId: id,
    subjectId: id,
    modality,
    imageId: id,
    imageSha256: sha256,
    segmentationId: id,
    maskVersionId: id,
    maskSha256: sha256,
    extractor: obj({ name: text(100), version: text(50) }),
    settings: ibsiSettings,
    extractorSettings: nullable({ type: 'object' }),
    maskLabel: nullable({ type: 'integer', minimum: 0 }),
    features: { ...numberMap, minProperties: 1 },
    resultSha256: sha256,
    reproducible: { type: 'boolean' },
    attested: { type: 'boolean' },
  }, ['extractorSettings', 'maskLabel']),
  'FeatureSetPartitionAssigned.v1': obj({ featureSetId: id, partition, previousPartition: nullable(partition), reason: nullable(freeText()) }),
  'ModelRegistered.v1': obj({
    modelId: id,
    version: id,
    artifactSha256: sha256,
    inputs: { type: 'array', minItems: 1, items: tensor },
    outputs: { type: 'array', minItems: 1, items: tensor },
    intendedUse: text(1000),
    featureCodes: { type: 'array', minItems: 1, items: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9_.:@-]{0,63}$' } },
    inputModality: nullable(modality),
    decisionRule: obj(
      {
        threshold: { type: 'number', minimum: 0, maximum: 1 },
        positiveLabel: text(100),
        negativeLabel: text(100),
        probabilityOutput: obj({ name: text(100), column: { type: 'integer', minimum: 0 } }),
      },
      ['probabilityOutput'],
    ),
    trainingLineage: obj({ featureSetIds: { type: 'array', items: id }, trialIds: { type: 'array', items: id }, partitions: { type: 'array', items: partition } }),
    performance: { type: 'array', items: obj({ metric: text(50), value: num, ciLower: nullable(num), ciUpper: nullable(num), dataset: text(200) }) },
  }, ['inputModality']),
  'ChangeControlPlanRecorded.v1': obj({ modelId: id, planId: id, whatMayChange: text(4000), validationProtocol: text(4000), acceptanceCriteria: text(4000) }),
  'ModelValidationRecorded.v1': obj({ modelId: id, version: id, planId: id, validationId: id, validatedSha256: sha256, results: numberMap, passed: { type: 'boolean' }, summary: text(4000) }),
  'ModelLocked.v1': obj({
    modelId: id,
    version: id,
    trialId: id,
    artifactSha256: sha256,
    approvalSignatureIds: { type: 'array', minItems: 1, items: id },
    validationId: nullable(id),
    supersedesVersion: nullable(id),
  }),
  'ModelRetired.v1': obj({ modelId: id, version: id, reason: freeText(), unlockedTrialIds: { type: 'array', items: id } }),
  'ModelDecisionMade.v1': obj({
    decisionId: id,
    trialId: id,
    siteId: id,
    subjectId: id,
    modelId: id,
    modelVersion: id,
    modelSha256: sha256,
    featureSetId: id,
    featureSetResultSha256: sha256,
    outputs: { ...numberMap, minProperties: 1 },
    threshold: num,
    decision: text(200),
  }),
  'DecisionOverridden.v1': obj({ decisionId: id, previousDecision: text(200), decision: text(200), reason: freeText() }),
  'RecordSigned.v1': obj({
    signatureId: id,
    eventId: id,
    streamId: text(300),
    eventType: text(100),
    eventHash: sha256,
    signerId: id,
    printedName: text(200),
    meaning: enumOf('authored', 'reviewed', 'approved', 'responsible'),
    signedAt: utc,
  }),
  'UserRegistered.v1': obj({ userId: id, printedName: text(200) }),
  'RoleGranted.v1': grantData,
  'RoleRevoked.v1': grantData,
  'LoginSucceeded.v1': obj({ userId: id, method: loginMethod }),
  'LoginFailed.v1': obj({ userId: id, method: loginMethod, failureReason: id, consecutiveFailures: { type: 'integer', minimum: 1 } }),
  'AccountLocked.v1': obj({ userId: id, consecutiveFailures: { type: 'integer', minimum: 1 } }),
  'AccessDenied.v1': obj({ userId: id, operation: text(200), reasonCode: id }),
  'ApiTokenIssued.v1': obj({ userId: id, tokenId: id, tokenSha256: sha256, scopes: { type: 'array', minItems: 1, items: text(100) }, expiresAt: utc }),
  'ApiTokenRevoked.v1': obj({ userId: id, tokenId: id, reason: freeText() }),
  'RedactionRequested.v1': obj({ eventId: id, streamId: text(300), eventType: text(100), eventHash: sha256, justification: text(), requestedBy: id, requestedRole: enumOf('regulatory', 'admin') }),
  'PayloadRedacted.v1': obj({
    eventId: id,
    streamId: text(300),
    eventType: text(100),
    eventHash: sha256,
    justification: text(),
    requestedBy: id,
    requestedRole: enumOf('regulatory', 'admin'),
    approvedBy: id,
    approvedRole: enumOf('regulatory', 'admin'),
  }),
  'AuditReviewCompleted.v1': obj({
    reviewId: id,
    trialId: id,
    queryName: enumOf('editsAfterLock', 'actionsOutsideSiteHours', 'unusualVolumePerUser'),
    parameters: { type: 'object' },
    resultSha256: sha256,
    conclusion: text(),
  }),
};

/** The envelope as stored (revision and position are 64-bit counters as decimal strings). */
export const envelopeSchema: Schema = {
  $schema: DRAFT,
  $id: 'https://radledger.dev/schemas/events/envelope.v1.json',
  title: 'RadLedger event envelope',
  ...obj({
    eventId: text(128),
    streamId: text(300),
    streamRevision: counter,
    globalPosition: counter,
    type: { type: 'string', pattern: '^[A-Z][A-Za-z0-9]{1,99}$' },
    schemaVersion: { type: 'integer', minimum: 1 },
    data: { type: 'object' },
    meta: obj(
      {
        actor: text(200),
        role: text(100),
        onBehalfOf: text(200),
        reason: freeText(),
        correlationId: text(200),
        causationId: text(200),
        recordedAt: utc,
        client: text(200),
      },
      ['onBehalfOf', 'reason'],
    ),
    prevHash: sha256,
    hash: sha256,
    canonical: { type: 'string' },
  }, ['hash', 'canonical']),
};

/** The file content for `Type.vN`: the data schema wrapped with $schema, $id and title. */
export function eventSchemaDocument(key: string): Schema {
  return { $schema: DRAFT, $id: `https://radledger.dev/schemas/events/${key}.json`, title: `${key.replace('.v', ' data, version ')}`, ...eventDataSchemas[key] };
}
