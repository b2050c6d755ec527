import { createHash } from 'node:crypto';
import { NotFoundError } from '@radledger/platform';
import type { SqlScalar } from '../projection.js';
import type { ReadModelStore } from '../read-model-store.port.js';
import { AUDIT_ENTRY_TABLE } from '../projections/audit-trail.projection.js';
import { MONITORING_TABLES as T } from '../projections/monitoring.projection.js';
import { AUDIT_SELECT, auditEntryOf, type AuditEntry } from './audit-trail.query.js';
import { invalidArgument, parseJson } from './query-errors.js';
import type { LedgerEventRef } from './lineage.query.js';

export interface SignatureView {
  signatureId: string;
  signerId: string | null;
  printedName: string | null;
  /** 21 CFR 11.50(a)(3). */
  meaning: string | null;
  signedAt: string | null;
  signedEventId: string | null;
  signedEventType: string | null;
  signedEventHash: string | null;
  recordedBy: LedgerEventRef;
}

export type DeviationReason = 'NO_LOCKED_VERSION' | 'NOT_LOCKED_VERSION' | 'HASH_MISMATCH';

export interface DecisionComplianceRow {
  decisionId: string;
  siteId: string | null;
  subjectId: string | null;
  modelId: string | null;
  modelVersion: string | null;
  modelSha256: string | null;
  /** The version locked for (trial, model) when the decision was recorded. */
  lockedVersion: string | null;
  lockedSha256: string | null;
  reasons: DeviationReason[];
  recordedAt: string | null;
  event: LedgerEventRef;
}

export interface ComplianceCount {
  modelId: string | null;
  modelVersion: string | null;
  siteId: string | null;
  decisions: number;
  compliant: number;
  deviations: number;
}

export interface LockedAlgorithmCompliance {
  trialId: string;
  siteId: string | null;
  currentLocks: Array<{ modelId: string; version: string; artifactSha256: string | null; lockedAtPosition: number }>;
  totalDecisions: number;
  compliantDecisions: number;
  counts: ComplianceCount[];
  deviations: DecisionComplianceRow[];
  /** True when more deviations exist than were listed (the list is capped). */
  deviationsTruncated: boolean;
}

export const DEVIATION_LIST_MAX = 1000;

/** A decision deviates when no version was locked, another version was used, or the recorded hash is not the locked hash. */
const DEVIATES = `(d.locked_version IS NULL OR d.model_version IS NULL OR d.model_version <> d.locked_version
  OR d.model_sha256 IS NULL OR d.locked_sha256 IS NULL OR d.model_sha256 <> d.locked_sha256)`;

function ref(row: Record<string, unknown>): LedgerEventRef {
  return {
    eventId: String(row['event_id']),
    type: String(row['event_type']),
    hash: String(row['event_hash']),
    globalPosition: Number(row['global_position']),
    recordedAt: (row['recorded_at'] as string | null) ?? null,
  };
}

export function deviationReasons(row: { model_version: string | null; locked_version: string | null; model_sha256: string | null; locked_sha256: string | null }): DeviationReason[] {
  const reasons: DeviationReason[] = [];
  if (row.locked_version === null) reasons.push('NO_LOCKED_VERSION');
  else if (row.model_version !== row.locked_version) reasons.push('NOT_LOCKED_VERSION');
  if (row.locked_sha256 !== null && row.model_sha256 !== row.locked_sha256) reasons.push('HASH_MISMATCH');
  return reasons;
}

export function signatureOf(row: Record<string, unknown>): SignatureView {
  return {
    signatureId: String(row['signature_id']),
    signerId: (row['signer_id'] as string | null) ?? null,
    printedName: (row['printed_name'] as string | null) ?? null,
    meaning: (row['meaning'] as string | null) ?? null,
    signedAt: (row['signed_at'] as string | null) ?? null,
    signedEventId: (row['signed_event_id'] as string | null) ?? null,
    signedEventType: (row['signed_event_type'] as string | null) ?? null,
    signedEventHash: (row['signed_event_hash'] as string | null) ?? null,
    recordedBy: ref(row),
  };
}

export interface ModelVersionView {
  id: string;
  modelId: string;
  version: string;
  artifactSha256: string | null;
  intendedUse: string | null;
  featureCodes: string[];
  trainingLineage: unknown;
  performance: unknown;
  registeredBy: string | null;
  retiredAt: string | null;
  retiredReason: string | null;
  registered: LedgerEventRef;
  locks: Array<{
    trialId: string;
    version: string | null;
    artifactSha256: string | null;
    validationId: string | null;
    supersedesVersion: string | null;
    approvalSignatureIds: string[];
    lockedBy: string | null;
    lockedAt: string | null;
    event: LedgerEventRef;
    /** Still the trial's locked version of this model. */
    current: boolean;
  }>;
  validations: Array<{ validationId: string; planId: string | null; validatedSha256: string | null; passed: boolean | null; summary: string | null; results: unknown; event: LedgerEventRef }>;
  changeControlPlans: Array<{ planId: string; whatMayChange: string | null; validationProtocol: string | null; acceptanceCriteria: string | null; recordedBy: string | null; event: LedgerEventRef }>;
  signatures: SignatureView[];
}

export interface TrialSiteView {
  trialId: string;
  siteId: string;
  name: string | null;
  /** Closed sites enrol no more subjects (event SiteEnrolmentClosed). */
  enrolmentClosed: boolean;
  closedReason: string | null;
  closedAt: string | null;
  closedEventId: string | null;
}

export interface ProtocolDeviationView {
  /** The trial: the read policy decides by trial and site which rows a caller sees (a row with a site but no trial is hidden). */
  trialId: string;
  imageId: string | null;
  siteId: string | null;
  subjectId: string | null;
  protocolId: string | null;
  deviations: Array<{ field: string; expected: string; actual: string }>;
  detectedBy: string | null;
  event: LedgerEventRef;
}

export interface SegmentationEditView {
  segmentationId: string | null;
  versionId: string;
  parentVersionId: string | null;
  trialId: string | null;
  siteId: string | null;
  subjectId: string | null;
  imageId: string | null;
  region: string | null;
  maskSha256: string | null;
  parentMaskSha256: string | null;
  diceVsParent: number | null;
  volumeMm3: number | null;
  volumeChangeMm3: number | null;
  reason: string | null;
  editedBy: string | null;
  editedByName: string | null;
  /** The QC acceptance this edit came after, if any. */
  acceptedReview: { reviewer: string | null; versionId: string | null; event: LedgerEventRef } | null;
  event: LedgerEventRef;
}

export interface AuditReviewResult<T> {
  query: string;
  trialId: string;
  parameters: Record<string, unknown>;
  /** SHA-256 of the JSON result: a completed review can be bound to exactly what was reviewed. */
  resultSha256: string;
  /** More rows matched than the AUDIT_REVIEW_ROWS_MAX listed (never silently partial). */
  truncated: boolean;
  rows: T[];
}

export const AUDIT_REVIEW_ROWS_MAX = 5000;

export interface UserVolumeRow {
  actor: string;
  actorName: string | null;
  day: string;
  events: number;
  /** Median events per user-day in the trial. */
  medianPerUserDay: number;
}

export interface CompletedAuditReview {
  reviewId: string;
  queryName: string | null;
  parameters: unknown;
  resultSha256: string | null;
  conclusion: string | null;
  reviewer: string | null;
  event: LedgerEventRef;
  signatures: SignatureView[];
}

const EDIT_TYPES = ['SegmentationEdited', 'DecisionOverridden', 'FeatureSetPartitionAssigned', 'ImagingProtocolDefined', 'ModelRetired'];

function sha256Json(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex');
}

/** Monitor and QA views over the monitoring and audit read models. */
export class MonitoringQuery {
  constructor(private readonly store: ReadModelStore) {}

  async requireTrial(trialId: string): Promise<void> {
    const row = await this.store.get(
      `SELECT 1 AS found FROM ${AUDIT_ENTRY_TABLE} WHERE trial_id = ? AND event_type = ? LIMIT 1`,
      [trialId, 'TrialRegistered'],
    );
    if (!row) throw new NotFoundError(`trialId: no registered trial ${JSON.stringify(trialId)}`, { trialId });
  }

  async lockedAlgorithmCompliance(trialId: string, siteId?: string | null): Promise<LockedAlgorithmCompliance> {
    await this.requireTrial(trialId);
    const where = ['d.trial_id = ?'];
    const params: SqlScalar[] = [trialId];
    if (siteId) {
      where.push('d.site_id = ?');
      params.push(siteId);
    }
    const locks = await this.store.all<{ model_id: string; version: string; artifact_sha256: string | null; global_position: number }>(
      `SELECT model_id, version, artifact_sha256, global_position FROM ${T.trialLock} WHERE trial_id = ? ORDER BY model_id`,
      [trialId],
    );
    const counts = await this.store.all<{ model_id: string | null; model_version: string | null; site_id: string | null; decisions: number; deviations: number }>(
      `SELECT d.model_id, d.model_version, d.site_id, COUNT(*) AS decisions, SUM(CASE WHEN ${DEVIATES} THEN 1 ELSE 0 END) AS deviations
       FROM ${T.decision} d WHERE ${where.join(' AND ')} GROUP BY d.model_id, d.model_version, d.site_id ORDER BY d.model_id, d.model_version, d.site_id`,
      params,
    );
    const deviationRows = await this.store.all<Record<string, unknown> & { decision_id: string; model_version: string | null; locked_version: string | null; model_sha256: string | null; locked_sha256: string | null }>(
      `SELECT d.* FROM ${T.decision} d WHERE ${where.join(' AND ')} AND ${DEVIATES} ORDER BY d.global_position LIMIT ?`,
      [...params, DEVIATION_LIST_MAX + 1],
    );
    const countRows = counts.map((c) => ({
      modelId: c.model_id,
      modelVersion: c.model_version,
      siteId: c.site_id,
      decisions: Number(c.decisions),
      deviations: Number(c.deviations),
      compliant: Number(c.decisions) - Number(c.deviations),
    }));
    const total = countRows.reduce((sum, c) => sum + c.decisions, 0);
    const compliant = countRows.reduce((sum, c) => sum + c.compliant, 0);
    return {
      trialId,
      siteId: siteId ?? null,
      currentLocks: locks.map((l) => ({ modelId: l.model_id, version: l.version, artifactSha256: l.artifact_sha256, lockedAtPosition: Number(l.global_position) })),
      totalDecisions: total,
      compliantDecisions: compliant,
      counts: countRows,
      deviations: deviationRows.slice(0, DEVIATION_LIST_MAX).map((row) => ({
        decisionId: row.decision_id,
        siteId: (row['site_id'] as string | null) ?? null,
        subjectId: (row['subject_id'] as string | null) ?? null,
        modelId: (row['model_id'] as string | null) ?? null,
        modelVersion: row.model_version,
        modelSha256: row.model_sha256,
        lockedVersion: row.locked_version,
        lockedSha256: row.locked_sha256,
        reasons: deviationReasons(row),
        recordedAt: (row['recorded_at'] as string | null) ?? null,
        event: ref(row),
      })),
      deviationsTruncated: deviationRows.length > DEVIATION_LIST_MAX,
    };
  }

  /** `id` is `<modelId>@<version>`. */
  async modelVersion(id: string): Promise<ModelVersionView> {
    const at = id.lastIndexOf('@');
    if (at <= 0 || at === id.length - 1) throw invalidArgument('MODEL_VERSION_ID_INVALID', 'id', '<modelId>@<version>', id);
    const modelId = id.slice(0, at);
    const version = id.slice(at + 1);
    const row = await this.store.get<Record<string, unknown>>(`SELECT * FROM ${T.modelVersion} WHERE model_id = ? AND version = ?`, [modelId, version]);
    if (!row) throw new NotFoundError(`id: no registered model version ${JSON.stringify(id)}`, { id });
    const locks = await this.store.all<Record<string, unknown>>(`SELECT * FROM ${T.modelLock} WHERE model_id = ? AND version = ? ORDER BY global_position`, [modelId, version]);
    const current = await this.store.all<{ trial_id: string }>(`SELECT trial_id FROM ${T.trialLock} WHERE model_id = ? AND version = ?`, [modelId, version]);
    const currentTrials = new Set(current.map((c) => c.trial_id));
    const validations = await this.store.all<Record<string, unknown>>(`SELECT * FROM ${T.modelValidation} WHERE model_id = ? AND version = ? ORDER BY global_position`, [modelId, version]);
    const plans = await this.store.all<Record<string, unknown>>(`SELECT * FROM ${T.changeControlPlan} WHERE model_id = ? ORDER BY global_position`, [modelId]);
    const signedEvents = [String(row['event_id']), ...locks.map((l) => String(l['event_id'])), ...validations.map((v) => String(v['event_id']))];
    const signatures = await this.signaturesOn(signedEvents);
    return {
      id,
      modelId,
      version,
      artifactSha256: (row['artifact_sha256'] as string | null) ?? null,
      intendedUse: (row['intended_use'] as string | null) ?? null,
      featureCodes: (parseJson(row['feature_codes']) as string[] | null) ?? [],
      trainingLineage: parseJson(row['training_lineage']),
      performance: parseJson(row['performance']),
      registeredBy: (row['registered_by'] as string | null) ?? null,
      retiredAt: (row['retired_at'] as string | null) ?? null,
      retiredReason: (row['retired_reason'] as string | null) ?? null,
      registered: ref(row),
      locks: locks.map((l) => ({
        trialId: String(l['trial_id']),
        version: (l['version'] as string | null) ?? null,
        artifactSha256: (l['artifact_sha256'] as string | null) ?? null,
        validationId: (l['validation_id'] as string | null) ?? null,
        supersedesVersion: (l['supersedes_version'] as string | null) ?? null,
        approvalSignatureIds: (parseJson(l['approval_signature_ids']) as string[] | null) ?? [],
        lockedBy: (l['locked_by'] as string | null) ?? null,
        lockedAt: (l['recorded_at'] as string | null) ?? null,
        event: ref(l),
        current: currentTrials.has(String(l['trial_id'])),
      })),
      validations: validations.map((v) => ({
        validationId: String(v['validation_id']),
        planId: (v['plan_id'] as string | null) ?? null,
        validatedSha256: (v['validated_sha256'] as string | null) ?? null,
        passed: v['passed'] === null || v['passed'] === undefined ? null : Number(v['passed']) === 1,
        summary: (v['summary'] as string | null) ?? null,
        results: parseJson(v['results']),
        event: ref(v),
      })),
      changeControlPlans: plans.map((p) => ({
        planId: String(p['plan_id']),
        whatMayChange: (p['what_may_change'] as string | null) ?? null,
        validationProtocol: (p['validation_protocol'] as string | null) ?? null,
        acceptanceCriteria: (p['acceptance_criteria'] as string | null) ?? null,
        recordedBy: (p['recorded_by'] as string | null) ?? null,
        event: ref(p),
      })),
      signatures,
    };
  }

  async signaturesOn(eventIds: readonly string[]): Promise<SignatureView[]> {
    if (eventIds.length === 0) return [];
    const rows = await this.store.all<Record<string, unknown>>(
      `SELECT * FROM ${T.signature} WHERE signed_event_id IN (${eventIds.map(() => '?').join(', ')}) ORDER BY global_position`,
      [...eventIds],
    );
    return rows.map(signatureOf);
  }

  /** The trial's sites (one site with `siteId`), in id order, with whether each still enrols. */
  async trialSites(trialId: string, siteId: string | null): Promise<TrialSiteView[]> {
    await this.requireTrial(trialId);
    const rows = await this.store.all<Record<string, unknown>>(
      `SELECT * FROM ${T.site} WHERE trial_id = ?${siteId === null ? '' : ' AND site_id = ?'} ORDER BY site_id`,
      siteId === null ? [trialId] : [trialId, siteId],
    );
    return rows.map((row) => ({
      trialId,
      siteId: String(row['site_id']),
      name: (row['name'] as string | null) ?? null,
      enrolmentClosed: Number(row['enrolment_closed'] ?? 0) === 1,
      closedReason: (row['closed_reason'] as string | null) ?? null,
      closedAt: (row['closed_at'] as string | null) ?? null,
      closedEventId: (row['closed_event_id'] as string | null) ?? null,
    }));
  }

  async protocolDeviations(trialId: string): Promise<ProtocolDeviationView[]> {
    await this.requireTrial(trialId);
    const rows = await this.store.all<Record<string, unknown>>(`SELECT * FROM ${T.protocolDeviation} WHERE trial_id = ? ORDER BY global_position`, [trialId]);
    return rows.map((row) => ({
      trialId,
      imageId: (row['image_id'] as string | null) ?? null,
      siteId: (row['site_id'] as string | null) ?? null,
      subjectId: (row['subject_id'] as string | null) ?? null,
      protocolId: (row['protocol_id'] as string | null) ?? null,
      deviations: (parseJson(row['deviations']) as ProtocolDeviationView['deviations'] | null) ?? [],
      detectedBy: (row['detected_by'] as string | null) ?? null,
      event: ref(row),
    }));
  }

  /** Mask edits of a trial; with `afterReview`, only edits made after the segmentation had been accepted at QC. */
  async segmentationEdits(trialId: string, afterReview = false): Promise<SegmentationEditView[]> {
    await this.requireTrial(trialId);
    const accepted = `SELECT r.event_id, r.event_type, r.event_hash, r.global_position, r.recorded_at, r.reviewer, r.version_id FROM ${T.segmentationReview} r
      WHERE r.segmentation_id = v.segmentation_id AND r.verdict = 'accepted' AND r.global_position < v.global_position`;
    const rows = await this.store.all<Record<string, unknown>>(
      `SELECT v.*, p.printed_name AS edited_by_name FROM ${T.segmentationVersion} v LEFT JOIN ${T.person} p ON p.user_id = v.actor
       WHERE v.trial_id = ? AND v.parent_version_id IS NOT NULL${afterReview ? ` AND EXISTS (${accepted})` : ''} ORDER BY v.global_position`,
      [trialId],
    );
    const out: SegmentationEditView[] = [];
    for (const row of rows) {
      const review = await this.store.get<Record<string, unknown>>(
        `SELECT r.event_id, r.event_type, r.event_hash, r.global_position, r.recorded_at, r.reviewer, r.version_id FROM ${T.segmentationReview} r
         WHERE r.segmentation_id = ? AND r.verdict = 'accepted' AND r.global_position < ? ORDER BY r.global_position LIMIT 1`,
        [row['segmentation_id'] as string, Number(row['global_position'])],
      );
      out.push({
        segmentationId: (row['segmentation_id'] as string | null) ?? null,
        versionId: String(row['version_id']),
        parentVersionId: (row['parent_version_id'] as string | null) ?? null,
        trialId: (row['trial_id'] as string | null) ?? null,
        siteId: (row['site_id'] as string | null) ?? null,
        subjectId: (row['subject_id'] as string | null) ?? null,
        imageId: (row['image_id'] as string | null) ?? null,
        region: (row['region'] as string | null) ?? null,
        maskSha256: (row['mask_sha256'] as string | null) ?? null,
        parentMaskSha256: (row['parent_mask_sha256'] as string | null) ?? null,
        diceVsParent: row['dice_vs_parent'] === null ? null : Number(row['dice_vs_parent']),
        volumeMm3: row['volume_mm3'] === null ? null : Number(row['volume_mm3']),
        volumeChangeMm3: row['volume_change_mm3'] === null ? null : Number(row['volume_change_mm3']),
        reason: (row['reason'] as string | null) ?? null,
        editedBy: (row['actor'] as string | null) ?? null,
        editedByName: (row['edited_by_name'] as string | null) ?? null,
        acceptedReview: review ? { reviewer: (review['reviewer'] as string | null) ?? null, versionId: (review['version_id'] as string | null) ?? null, event: ref(review) } : null,
        event: ref(row),
      });
    }
    return out;
  }

  /** Saved QA query: edits and corrections recorded after the trial's first model lock. */
  async editsAfterLock(trialId: string): Promise<AuditReviewResult<AuditEntry>> {
    await this.requireTrial(trialId);
    const lock = await this.store.get<{ global_position: number }>(`SELECT MIN(global_position) AS global_position FROM ${T.modelLock} WHERE trial_id = ?`, [trialId]);
    const lockedAt = lock?.global_position === null || lock?.global_position === undefined ? null : Number(lock.global_position);
    const rows =
      lockedAt === null
        ? []
        : await this.store.all<Parameters<typeof auditEntryOf>[0]>(
            `${AUDIT_SELECT} WHERE a.trial_id = ? AND a.global_position > ? AND a.event_type IN (${EDIT_TYPES.map(() => '?').join(', ')}) ORDER BY a.global_position LIMIT ?`,
            [trialId, lockedAt, ...EDIT_TYPES, AUDIT_REVIEW_ROWS_MAX + 1],
          );
    const entries = rows.map(auditEntryOf);
    return this.result('editsAfterLock', trialId, { lockedAtPosition: lockedAt, types: EDIT_TYPES }, entries);
  }

  /** Saved QA query: events recorded outside site hours (UTC hours [startHour, endHour)), and at weekends if asked. */
  async actionsOutsideSiteHours(trialId: string, startHour = 7, endHour = 19, includeWeekends = true): Promise<AuditReviewResult<AuditEntry>> {
    await this.requireTrial(trialId);
    for (const [field, value] of [['startHour', startHour], ['endHour', endHour]] as const) {
      if (!Number.isInteger(value) || value < 0 || value > 24) throw invalidArgument('HOURS_INVALID', field, 'an integer hour from 0 to 24', value);
    }
    if (startHour >= endHour) throw invalidArgument('HOURS_INVALID', 'startHour', `an hour before endHour (${endHour})`, startHour);
    const start = `${String(startHour).padStart(2, '0')}:00`;
    const end = `${String(endHour).padStart(2, '0')}:00`;
    // recordedAt is UTC ISO 8601: characters 12-16 are HH:MM, so the hour check is portable SQL; the weekday is not.
    const weekend =
      this.store.dialect === 'sqlite'
        ? `strftime('%w', a.recorded_at) IN ('0', '6')`
        : `EXTRACT(DOW FROM CAST(a.recorded_at AS TIMESTAMPTZ)) IN (0, 6)`;
    const outside = `(substr(a.recorded_at, 12, 5) < ? OR substr(a.recorded_at, 12, 5) >= ?${includeWeekends ? ` OR ${weekend}` : ''})`;
    const rows = await this.store.all<Parameters<typeof auditEntryOf>[0]>(
      `${AUDIT_SELECT} WHERE a.trial_id = ? AND ${outside} ORDER BY a.global_position LIMIT ?`,
      [trialId, start, end, AUDIT_REVIEW_ROWS_MAX + 1],
    );
    return this.result('actionsOutsideSiteHours', trialId, { startHourUtc: startHour, endHourUtc: endHour, includeWeekends }, rows.map(auditEntryOf));
  }

  /** Saved QA query: user-days with more than `factor` × the trial's median events per user-day (and at least `minEvents`). */
  async unusualVolumePerUser(trialId: string, factor = 3, minEvents = 20): Promise<AuditReviewResult<UserVolumeRow>> {
    await this.requireTrial(trialId);
    if (!(factor > 0)) throw invalidArgument('FACTOR_INVALID', 'factor', 'a number > 0', factor);
    const rows = await this.store.all<{ actor: string; actor_name: string | null; day: string; events: number }>(
      `SELECT a.actor, p.printed_name AS actor_name, substr(a.recorded_at, 1, 10) AS day, COUNT(*) AS events
       FROM ${AUDIT_ENTRY_TABLE} a LEFT JOIN ${T.person} p ON p.user_id = a.actor
       WHERE a.trial_id = ? AND a.actor IS NOT NULL GROUP BY a.actor, p.printed_name, substr(a.recorded_at, 1, 10)`,
      [trialId],
    );
    const counts = rows.map((r) => Number(r.events)).sort((a, b) => a - b);
    const median = counts.length === 0 ? 0 : counts.length % 2 ? counts[(counts.length - 1) / 2]! : (counts[counts.length / 2 - 1]! + counts[counts.length / 2]!) / 2;
    const flagged = rows
      .filter((r) => Number(r.events) >= minEvents && Number(r.events) > factor * median)
      .map((r) => ({ actor: r.actor, actorName: r.actor_name, day: r.day, events: Number(r.events), medianPerUserDay: median }))
      .sort((a, b) => b.events - a.events || (a.day < b.day ? -1 : 1));
    return this.result('unusualVolumePerUser', trialId, { factor, minEvents }, flagged);
  }

  async completedAuditReviews(trialId: string): Promise<CompletedAuditReview[]> {
    await this.requireTrial(trialId);
    const rows = await this.store.all<Record<string, unknown>>(`SELECT * FROM ${T.auditReview} WHERE trial_id = ? ORDER BY global_position`, [trialId]);
    const signatures = await this.signaturesOn(rows.map((r) => String(r['event_id'])));
    return rows.map((row) => ({
      reviewId: String(row['review_id']),
      queryName: (row['query_name'] as string | null) ?? null,
      parameters: parseJson(row['parameters']),
      resultSha256: (row['result_sha256'] as string | null) ?? null,
      conclusion: (row['conclusion'] as string | null) ?? null,
      reviewer: (row['reviewer'] as string | null) ?? null,
      event: ref(row),
      signatures: signatures.filter((s) => s.signedEventId === row['event_id']),
    }));
  }

  private result<T>(query: string, trialId: string, parameters: Record<string, unknown>, all: T[]): AuditReviewResult<T> {
    const truncated = all.length > AUDIT_REVIEW_ROWS_MAX;
    const rows = all.slice(0, AUDIT_REVIEW_ROWS_MAX);
    return { query, trialId, parameters, truncated, resultSha256: sha256Json({ query, trialId, parameters, truncated, rows }), rows };
  }
}
