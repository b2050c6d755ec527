import type { RecordedEvent } from '@radledger/ledger';
import { signatureSummary, type SignatureSummary } from '../model-lock.collector.js';

type Data = Record<string, unknown>;
type Cell = string | number | boolean | null;

/** At most this many rows per table are kept for the report; the full set is in events.ndjson. */
export const MAX_REPORT_ROWS = 500;

export class CappedTable {
  readonly rows: Cell[][] = [];
  total = 0;
  constructor(readonly columns: string[]) {}
  push(row: Cell[]): void {
    this.total++;
    if (this.rows.length < MAX_REPORT_ROWS) this.rows.push(row);
  }
}

/** The report's tables, filled in ledger order from the bundle's events. */
export class ReportCollector {
  readonly acquisitions = new CappedTable(['image', 'subject', 'site', 'modality', 'scanner', 'field (T)', 'TR/TE (ms)', 'contrast', 'recorded', 'event']);
  readonly deviations = new CappedTable(['image', 'site', 'protocol', 'field', 'expected', 'actual', 'event']);
  readonly preprocessing = new CappedTable(['image', 'step', 'tool', 'parameters', 'input sha256', 'output sha256', 'event']);
  readonly segmentationEdits = new CappedTable(['mask version', 'parent', 'kind', 'by', 'reason / verdict', 'Dice vs parent', 'volume change (mm³)', 'recorded', 'event']);
  readonly featureSettings = new CappedTable(['extractor', 'IBSI settings', 'feature sets', 'reproducible', 'attested', 'first event']);
  readonly modelVersions = new CappedTable(['model', 'version', 'sha256', 'locked for', 'validated sha256', 'tested = released', 'decisions', 'deviations', 'test set sequestered', 'PCCPs']);
  /** One row per gate of each lock (issue 15): what the change-control plan required and what the lock found. */
  readonly lockGates = new CappedTable(['model', 'version', 'locked for', 'plan', 'gate', 'code if refused', 'met', 'what it found', 'lock event']);
  readonly decisions = new CappedTable(['decision', 'subject', 'site', 'model', 'model sha256', 'outputs', 'threshold', 'decision', 'overridden to', 'event']);
  readonly signatures = new CappedTable(['printed name', 'signed at', 'meaning', 'signed record', 'signer id', 'bound hash', 'event']);
  readonly signatureList: SignatureSummary[] = [];
  readonly counts = new Map<string, number>();
  readonly trials = new Map<string, string>();
  readonly sites = new Set<string>();
  readonly subjects = new Set<string>();
  private readonly settings = new Map<string, { extractor: string; count: number; reproducible: number; attested: number; firstEvent: string }>();
  private readonly overrides = new Map<string, string>();
  firstRecordedAt: string | undefined;
  lastRecordedAt: string | undefined;

  add(event: RecordedEvent): void {
    const d = event.data as Data;
    const s = (k: string) => (d[k] === undefined || d[k] === null ? null : String(d[k]));
    this.counts.set(event.type, (this.counts.get(event.type) ?? 0) + 1);
    this.firstRecordedAt ??= event.meta.recordedAt;
    this.lastRecordedAt = event.meta.recordedAt;
    switch (event.type) {
      case 'TrialRegistered':
        this.trials.set(String(d['trialId']), String(d['title']));
        break;
      case 'SiteEnrolled':
        this.sites.add(String(d['siteId']));
        break;
      case 'SubjectEnrolled':
        this.subjects.add(String(d['subjectId']));
        break;
      case 'ImageAcquired': {
        const scanner = (d['scanner'] ?? {}) as Data;
        const contrast = d['contrast'] as Data | null;
        this.acquisitions.push([
          s('imageId'),
          s('subjectId'),
          s('siteId'),
          s('modality'),
          `${String(scanner['vendor'] ?? '')} ${String(scanner['model'] ?? '')}`.trim(),
          d['fieldStrengthT'] as number,
          `${String(d['trMs'])} / ${String(d['teMs'])}`,
          contrast ? `${String(contrast['agent'])} ${String(contrast['injectionRateMlPerS'])} ml/s, ${String(contrast['delayS'])} s` : 'none',
          event.meta.recordedAt,
          event.eventId,
        ]);
        break;
      }
      case 'ProtocolDeviationDetected':
        for (const dev of (d['deviations'] as Data[] | undefined) ?? []) {
          this.deviations.push([s('imageId'), s('siteId'), s('protocolId'), String(dev['field']), String(dev['expected']), String(dev['actual']), event.eventId]);
        }
        break;
      case 'PreprocessingApplied':
        this.preprocessing.push([s('imageId'), s('stepId'), `${s('tool')} ${s('toolVersion')}`, JSON.stringify(d['parameters'] ?? {}), s('inputSha256'), s('outputSha256'), event.eventId]);
        break;
      case 'SegmentationCreated':
        this.segmentationEdits.push([s('versionId'), null, `created (${s('method')}, ${s('tool')} ${s('toolVersion')})`, event.meta.actor, s('region'), null, null, event.meta.recordedAt, event.eventId]);
        break;
      case 'SegmentationEdited':
        this.segmentationEdits.push([s('versionId'), s('parentVersionId'), 'edited', event.meta.actor, s('reason'), d['diceVsParent'] as number, d['volumeChangeMm3'] as number, event.meta.recordedAt, event.eventId]);
        break;
      case 'SegmentationReviewed':
        this.segmentationEdits.push([s('versionId'), null, 'reviewed', event.meta.actor, `${s('verdict')}${d['comment'] ? `: ${s('comment')}` : ''}`, null, null, event.meta.recordedAt, event.eventId]);
        break;
      case 'FeaturesComputed': {
        const extractor = (d['extractor'] ?? {}) as Data;
        const key = JSON.stringify([extractor['name'], extractor['version'], d['settings']]);
        const entry = this.settings.get(key) ?? { extractor: `${String(extractor['name'])} ${String(extractor['version'])}`, count: 0, reproducible: 0, attested: 0, firstEvent: event.eventId };
        entry.count++;
        if (d['reproducible'] === true) entry.reproducible++;
        if (d['attested'] === true) entry.attested++;
        this.settings.set(key, entry);
        break;
      }
      case 'ModelDecisionMade':
        this.decisions.push([
          s('decisionId'),
          s('subjectId'),
          s('siteId'),
          `${s('modelId')} ${s('modelVersion')}`,
          s('modelSha256'),
          JSON.stringify(d['outputs'] ?? {}),
          d['threshold'] as number,
          s('decision'),
          null,
          event.eventId,
        ]);
        break;
      case 'DecisionOverridden':
        this.overrides.set(String(d['decisionId']), `${String(d['decision'])} (${String(d['reason'])})`);
        break;
      case 'RecordSigned': {
        const sig = signatureSummary(event);
        if (this.signatureList.length < MAX_REPORT_ROWS) this.signatureList.push(sig);
        this.signatures.push([sig.printedName, sig.signedAt, sig.meaning, `${sig.eventType} ${sig.eventId}`, sig.signerId, sig.eventHash, event.eventId]);
        break;
      }
    }
  }

  /** Settles what is only known at the end (overrides, distinct feature settings). */
  finish(): void {
    for (const row of this.decisions.rows) row[8] = this.overrides.get(String(row[0])) ?? null;
    for (const [key, e] of this.settings) {
      const settings = (JSON.parse(key) as unknown[])[2];
      this.featureSettings.push([e.extractor, JSON.stringify(settings), e.count, e.reproducible, e.attested, e.firstEvent]);
    }
  }
}
