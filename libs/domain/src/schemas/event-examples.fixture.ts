/** One valid `data` per current event type (test data for the schema contract tests). */
const h = (c: string) => c.repeat(64);
const utc = '2026-03-01T10:00:00.000Z';
const settings = { resamplingMm: [1, 1, 1], interpolation: { image: 'linear', mask: 'linear', maskThreshold: 0.5 }, discretisation: { method: 'fixed-bin-number', binWidth: null, binCount: 32 }, resegmentationRange: { min: -100, max: 400 }, outlierSigma: 3, aggregation: '3D-averaged' };
const tensor = { name: 'x', type: 'float32', shape: ['batch', 2] };
const grant = { userId: 'u1', role: 'qa', trialId: 'T1', siteId: null, reason: 'QA lead' };
const redaction = { eventId: 'E1', streamId: 'segmentation-S', eventType: 'SegmentationEdited', eventHash: h('e'), justification: 'name in reason', requestedBy: 'reg-1', requestedRole: 'regulatory' };

export const eventExamples: Record<string, Record<string, unknown>> = {
  TrialRegistered: { trialId: 'T1', title: 'Glioma radiomics', sponsor: 'Consortium', phase: 'II', blinded: true },
  SiteEnrolled: { trialId: 'T1', siteId: 'A', name: 'Site A' },
  SubjectEnrolled: { trialId: 'T1', siteId: 'A', subjectId: 'T1-A-001' },
  SiteEnrolmentClosed: { trialId: 'T1', siteId: 'A', reason: 'Recruitment target reached at this site' },
  ImagingProtocolDefined: { trialId: 'T1', protocolId: 'P', modality: 'T1c', fieldStrengthT: 3, trMs: { min: 400, max: 800 }, teMs: null, contrast: { agent: null, injectionRateMlPerS: { min: 2, max: 5 }, delayS: { min: 60, max: 120 } } },
  ImageAcquired: {
    imageId: 'I', trialId: 'T1', siteId: 'A', subjectId: 'T1-A-001', modality: 'FLAIR', scanner: { vendor: 'Philips', model: 'Ingenia' }, fieldStrengthT: 1.5, trMs: 9000, teMs: 120,
    sliceThicknessMm: 3, contrast: null, artifactSha256: h('a'), studyUidHash: h('b'), seriesUidHash: null, protocolId: null,
  },
  ProtocolDeviationDetected: { imageId: 'I', trialId: 'T1', siteId: 'A', protocolId: 'P', deviations: [{ field: 'contrast.delayS', expected: '60–120 s', actual: '45 s' }] },
  PreprocessingApplied: { imageId: 'I', stepId: 's1', tool: 'N4', toolVersion: '2.5', parameters: { shrink: 4 }, inputSha256: h('a'), outputSha256: h('c') },
  SegmentationCreated: { segmentationId: 'S', versionId: 'v1', imageId: 'I', imageSha256: h('a'), trialId: 'T1', subjectId: 'T1-A-001', method: 'automatic', tool: 'nnU-Net', toolVersion: '2', region: 'oedema', maskSha256: h('1'), grid: { dims: [4, 4, 4], spacing: [1, 1, 1] }, voxelCount: '12', volumeMm3: 12 },
  SegmentationEdited: {
    segmentationId: 'S', versionId: 'v2', parentVersionId: 'v1', parentMaskSha256: h('1'), maskSha256: h('2'), reason: 'vessel', tool: null, toolVersion: null,
    grid: { dims: [4, 4, 4], spacing: [1, 1, 1] }, voxelCount: '10', volumeMm3: 10, diceVsParent: 0.9, volumeChangeMm3: -2, volumeChangeRelative: -0.1667,
  },
  SegmentationReviewed: { segmentationId: 'S', versionId: 'v2', verdict: 'needs-edit', comment: 'margin' },
  FeaturesComputed: {
    featureSetId: 'F', trialId: 'T1', siteId: 'A', subjectId: 'T1-A-001', modality: 'T1c', imageId: 'I', imageSha256: h('a'), segmentationId: 'S', maskVersionId: 'v2', maskSha256: h('2'),
    extractor: { name: 'radledger', version: '0.1' }, settings, features: { Q4LE: 1, 'firstorder.mean': 2.5 }, resultSha256: h('f'), reproducible: false, attested: true,
  },
  FeatureSetPartitionAssigned: { featureSetId: 'F', partition: 'tune', previousPartition: 'train', reason: 'rebalance' },
  ModelRegistered: {
    modelId: 'M', version: '1.0.0', artifactSha256: h('9'), inputs: [tensor], outputs: [tensor], intendedUse: 'IDH status', featureCodes: ['Q4LE'],
    decisionRule: { threshold: 0.5, positiveLabel: 'IDH-mutant', negativeLabel: 'IDH-wildtype', probabilityOutput: { name: 'probability', column: 0 } },
    trainingLineage: { featureSetIds: ['F'], trialIds: ['T0'], partitions: ['train'] }, performance: [{ metric: 'AUC', value: 0.8, ciLower: 0.7, ciUpper: 0.9, dataset: 'tune' }],
    explanationReference: { artifactSha256: h('7'), rows: 600 },
  },
  ChangeControlPlanRecorded: { modelId: 'M', planId: 'P1', whatMayChange: 'weights', validationProtocol: 'hold-out', acceptanceCriteria: 'AUC >= 0.75', lockGates: { allowedIntendedUses: ['IDH status'], minIndependentSites: 3, requiredMetric: 'AUC', minFeatureIcc: 0.75 } },
  ModelValidationRecorded: { modelId: 'M', version: '1.1.0', planId: 'P1', validationId: 'V', validatedSha256: h('8'), results: { AUC: 0.81 }, passed: true, summary: 'met', siteIds: ['C', 'D', 'E'], metrics: [{ metric: 'AUC', value: 0.81, ciLower: 0.74, ciUpper: 0.88 }] },
  ModelLocked: { modelId: 'M', version: '1.0.0', trialId: 'T1', artifactSha256: h('9'), approvalSignatureIds: ['sig'], validationId: null, supersedesVersion: null, planId: 'P1', gates: [{ gate: 'intended-use', code: 'LOCK_GATE_INTENDED_USE_NOT_IN_PLAN', passed: true, detail: 'allowed' }] },
  ModelRetired: { modelId: 'M', version: '1.0.0', reason: 'superseded', unlockedTrialIds: ['T1'] },
  ModelDecisionMade: { decisionId: 'D', trialId: 'T1', siteId: 'A', subjectId: 'T1-A-001', modelId: 'M', modelVersion: '1.0.0', modelSha256: h('9'), featureSetId: 'F', featureSetResultSha256: h('f'), outputs: { p: 0.7 }, threshold: 0.5, decision: 'IDH-mutant',
    explanation: { method: 'linear-exact', outputSpace: 'log-odds', expectedValue: -0.25, modelOutput: 0.85, contributions: [{ featureCode: 'Q4LE', value: 1.5, contribution: 1.1 }], reference: { sha256: h('7'), rows: 600 }, additivityError: 0 },
  },
  DecisionOverridden: { decisionId: 'D', previousDecision: 'IDH-mutant', decision: 'IDH-wildtype', reason: 'pathology' },
  RecordSigned: { signatureId: 'sig', eventId: 'E', streamId: 'decision-D', eventType: 'ModelDecisionMade', eventHash: h('e'), signerId: 'u1', printedName: 'Dr A', meaning: 'responsible', signedAt: utc },
  UserRegistered: { userId: 'u1', printedName: 'Ann Operator', kind: 'person', trialId: 'T1' },
  PasswordSet: { userId: 'u1', temporary: true },
  AccountUnlocked: { userId: 'u1', reason: 'Identity verified by phone' },
  UnknownUserLoginsFailed: { windowStart: '2026-01-05T06:00:00.000Z', windowEnd: '2026-01-05T06:01:00.000Z', attempts: 12, distinctIds: 3 },
  RoleGranted: grant,
  RoleRevoked: grant,
  LoginSucceeded: { userId: 'u1', method: 'oidc' },
  LoginFailed: { userId: 'u1', method: 'password', failureReason: 'bad-password', consecutiveFailures: 2 },
  AccountLocked: { userId: 'u1', consecutiveFailures: 5 },
  AccessDenied: { userId: 'u1', operation: 'LockModel', reasonCode: 'ROLE_MISSING' },
  ApiTokenIssued: { userId: 'u1', tokenId: 't', tokenSha256: h('d'), scopes: ['write'], expiresAt: utc },
  ApiTokenRevoked: { userId: 'u1', tokenId: 't', reason: 'rotated' },
  RedactionRequested: redaction,
  PayloadRedacted: { ...redaction, approvedBy: 'adm-1', approvedRole: 'admin' },
  AuditReviewCompleted: { reviewId: 'R1', trialId: 'T1', queryName: 'actionsOutsideSiteHours', parameters: { startHourUtc: 7, endHourUtc: 19, includeWeekends: true }, resultSha256: h('5'), conclusion: 'Night-time acquisitions match the on-call rota.' },
  MaskBytesClaimed: { maskSha256: h('1'), segmentationId: 'S', imageId: 'I', subjectId: 'T1-A-001' },
  ImageBytesClaimed: { artifactSha256: h('a'), imageId: 'I', trialId: 'T1', subjectId: 'T1-A-001', modality: 'FLAIR' },
  ImageQualityAssessed: {
    imageId: 'I', trialId: 'T1', siteId: 'A', imageSha256: h('a'), snr: 25.1, cnr: 8.2, ghostToSignalRatio: 0.004, ghostAxis: 'y', metadataCompleteness: 1, missingMetadata: [],
    thresholds: { minSnr: 10, minCnr: 3, maxGhostToSignalRatio: 0.025, minMetadataCompleteness: 1 }, failures: [], passed: true, excludedFromFeatures: false, software: { name: 'radledger-image-qc', version: '0.1.0' },
  },
  FeatureReliabilityRecorded: {
    trialId: 'T1', studyId: 'R1', modality: 'T1c', raters: ['reader-a', 'reader-b'], subjects: 12, excludedSubjects: [], threshold: 0.75, model: 'ICC(2,1)', basis: 'estimate',
    features: [{ featureCode: 'Q4LE', subjects: 12, icc21: { value: 0.91, ciLower: 0.72, ciUpper: 0.97 }, icc31: { value: 0.92, ciLower: 0.75, ciUpper: 0.98 }, meetsThreshold: true }], featureSetIds: ['F1', 'F2'],
  },
  ResponseTimepointRecorded: { trialId: 'T1', subjectId: 'T1-A-001', timepointId: 'BL', studyDay: 70, imageIds: ['I'] },
  ResponseBaselineDesignated: {
    trialId: 'T1', subjectId: 'T1-A-001', timepointId: 'BL', kind: 'post-radiotherapy', radiotherapyEndStudyDay: 42, component: 'enhancing', method: 'bidimensional',
    criteria: { version: 'RANO 2.0', maxTargetLesions: 3, confirmationMinDays: 28, progressionConfirmation: 'within-12-weeks-after-radiotherapy' },
  },
  LesionIdentified: { trialId: 'T1', subjectId: 'T1-A-001', lesionId: 'L1', timepointId: 'BL', role: 'target', component: 'enhancing', outsideRadiationField: null },
  LesionMeasured: {
    trialId: 'T1', subjectId: 'T1-A-001', timepointId: 'BL', lesionId: 'L1', readerId: 'reader-a', longestDiameterMm: 30, perpendicularDiameterMm: 20, volumeMm3: null, sliceThicknessMm: 1,
    imageId: 'I', segmentationId: 'S', maskVersionId: 'v1', reason: null,
  },
  NonTargetLesionAssessed: { trialId: 'T1', subjectId: 'T1-A-001', timepointId: 'F1', lesionId: 'N1', readerId: 'reader-a', status: 'present', reason: null },
  ClinicalStatusRecorded: { trialId: 'T1', subjectId: 'T1-A-001', timepointId: 'F1', dexamethasoneMgPerDay: 2, physiologicReplacementOnly: false, status: 'stable', deteriorationCause: null, reason: null },
  TimepointResponseAssessed: {
    trialId: 'T1', subjectId: 'T1-A-001', timepointId: 'F1', readerId: 'reader-a', category: 'PD', confirmation: 'pending', targetSum: 900, baselineSum: 600, nadirSum: 600,
    rules: ['PD_TARGET_INCREASE'], resolves: [], progressionStudyDay: null, reason: null,
  },
};
