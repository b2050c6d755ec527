import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DomainError, type ValidationError } from '@radledger/platform';
import type { NewEvent, RecordedEvent } from '@radledger/ledger';
import { loadEventSchemas, createEventValidator } from './schema-registry.adapter.js';
import { eventDataSchemas, eventSchemaDocument } from './event-schema-definitions.js';
import { CURRENT_EVENT_VERSIONS, eventTypes } from './event-versions.js';
import { upcast } from './upcasters.js';
import { eventExamples } from './event-examples.fixture.js';

const meta = { actor: 'u1', role: 'qa', correlationId: 'c', causationId: 'c', recordedAt: '2026-03-01T10:00:00.000Z', client: 'test' };
const ev = (type: string, data: Record<string, unknown>, schemaVersion = 1): NewEvent => ({ eventId: 'e1', type, schemaVersion, data, meta });
const validate = createEventValidator();
function refuses(e: NewEvent, code: string, pathPart: string): void {
  assert.throws(() => validate(e), (err: unknown) => err instanceof DomainError && err.code === code && (err as ValidationError).message.includes(pathPart));
}
const h = 'ab'.repeat(32);

test('committed schemas equal the generated ones, every current event type has one, all compile', () => {
  const onDisk = loadEventSchemas();
  for (const key of Object.keys(eventDataSchemas)) assert.deepEqual(onDisk[key], eventSchemaDocument(key), `schemas/events/${key}.json is stale: regenerate`);
  for (const type of eventTypes) assert.ok(onDisk[`${type}.v${CURRENT_EVENT_VERSIONS[type]}`], `missing schema for ${type}`);
  assert.ok(onDisk['envelope.v1']);
});

test('every current event type has a valid example that passes, and each example has a type (both ways)', () => {
  assert.deepEqual(Object.keys(eventExamples).sort(), [...eventTypes].sort());
  for (const type of eventTypes) validate(ev(type, eventExamples[type]!, CURRENT_EVENT_VERSIONS[type]));
});

test('dropping any required field of any example is SCHEMA_INVALID naming that field', () => {
  for (const type of eventTypes) {
    const key = `${type}.v${CURRENT_EVENT_VERSIONS[type]}`;
    for (const field of (eventDataSchemas[key] as { required: string[] }).required) {
      const { [field]: _dropped, ...rest } = eventExamples[type]!;
      refuses(ev(type, rest, CURRENT_EVENT_VERSIONS[type]), 'SCHEMA_INVALID', field);
    }
  }
});

test('a valid event passes; a bad one is SCHEMA_INVALID naming the JSON path', () => {
  validate(ev('SiteEnrolled', { trialId: 'T1', siteId: 'A', name: 'Site A' }));
  refuses(ev('SiteEnrolled', { trialId: 'T1', siteId: 'A' }), 'SCHEMA_INVALID', '/data');
  refuses(ev('SiteEnrolled', { trialId: 'T1', siteId: 'A', name: 'x', extra: 1 }), 'SCHEMA_INVALID', 'extra');
  refuses(ev('RecordSigned', { signatureId: 's', eventId: 'e', streamId: 's', eventType: 't', eventHash: 'nothex', signerId: 'u', printedName: 'n', meaning: 'approved', signedAt: '2026-03-01T10:00:00.000Z' }), 'SCHEMA_INVALID', '/data/eventHash');
  refuses(ev('SegmentationCreated', { segmentationId: 's', versionId: 'v', imageId: 'i', imageSha256: h, trialId: 't', subjectId: 's', method: 'manual', tool: 't', toolVersion: '1', region: 'oedema', maskSha256: h, grid: { dims: [1, 1, 1], spacing: [1, 1, 1] }, voxelCount: 12, volumeMm3: 1 }), 'SCHEMA_INVALID', '/data/voxelCount');
  refuses(ev('NoSuchEvent', {}), 'SCHEMA_INVALID', 'NoSuchEvent.v1');
  refuses(ev('SiteEnrolled', { trialId: 'T1', siteId: 'A', name: 'A' }, 7), 'SCHEMA_INVALID', 'SiteEnrolled.v7');
});

test('PHI anywhere in event data or meta.reason is PHI_REJECTED', () => {
  refuses(ev('PreprocessingApplied', { imageId: 'i', stepId: 's', tool: 't', toolVersion: '1', parameters: { patientName: 'x' }, inputSha256: h, outputSha256: 'cd'.repeat(32) }), 'PHI_REJECTED', '/data/parameters/patientName');
  refuses(ev('PreprocessingApplied', { imageId: 'i', stepId: 's', tool: 't', toolVersion: '1', parameters: { note: 'DOE^JANE' }, inputSha256: h, outputSha256: 'cd'.repeat(32) }), 'PHI_REJECTED', '/data/parameters/note');
  refuses({ ...ev('SiteEnrolled', { trialId: 'T1', siteId: 'A', name: 'A' }), meta: { ...meta, reason: 'DOB 1970-01-02' } }, 'PHI_REJECTED', '/meta/reason');
});

test('ImageAcquired v1 is upcast to v2 on read (sliceThicknessMm: null), stored bytes untouched', () => {
  const v1Data = { imageId: 'i', trialId: 't', siteId: 's', subjectId: 'S-1', modality: 'T1c', scanner: { vendor: 'v', model: 'm' }, fieldStrengthT: 3, trMs: 500, teMs: 10, contrast: null, artifactSha256: h, studyUidHash: null, seriesUidHash: null, protocolId: null };
  validate(ev('ImageAcquired', v1Data, 1));
  refuses(ev('ImageAcquired', v1Data, 2), 'SCHEMA_INVALID', 'sliceThicknessMm');
  const stored = { ...ev('ImageAcquired', v1Data, 1), streamId: 'image-i', streamRevision: '0', globalPosition: '0', prevHash: '0'.repeat(64), hash: h, canonical: '{"stored":"bytes"}' } as RecordedEvent;
  const up = upcast(stored);
  assert.equal(up.schemaVersion, 2);
  assert.equal(up.data.sliceThicknessMm, null);
  assert.equal(up.canonical, stored.canonical);
  assert.equal(up.hash, stored.hash);
  validate(ev('ImageAcquired', up.data, 2));
  assert.equal(upcast(up), up, 'a current event is returned as is');
});

test('ModelDecisionMade v1 and ModelRegistered v1 are upcast on read (no explanation, no reference), stored bytes untouched', () => {
  const decisionV1 = { decisionId: 'D', trialId: 'T1', siteId: 'A', subjectId: 'S-1', modelId: 'M', modelVersion: '1', modelSha256: h, featureSetId: 'F', featureSetResultSha256: h, outputs: { p: 0.7 }, threshold: 0.5, decision: 'IDH-mutant' };
  validate(ev('ModelDecisionMade', decisionV1, 1));
  refuses(ev('ModelDecisionMade', decisionV1, 2), 'SCHEMA_INVALID', 'explanation');
  const stored = { ...ev('ModelDecisionMade', decisionV1, 1), streamId: 'decision-D', streamRevision: '0', globalPosition: '0', prevHash: '0'.repeat(64), hash: h, canonical: '{"stored":"bytes"}' } as RecordedEvent;
  const up = upcast(stored);
  assert.equal(up.schemaVersion, 2);
  assert.equal(up.data.explanation, null);
  assert.equal(up.canonical, stored.canonical);
  validate(ev('ModelDecisionMade', up.data, 2));

  const tensor = { name: 'x', type: 'float32', shape: ['batch', 1] };
  const registeredV1 = {
    modelId: 'M', version: '1', artifactSha256: h, inputs: [tensor], outputs: [tensor], intendedUse: 'IDH status', featureCodes: ['Q4LE'],
    decisionRule: { threshold: 0.5, positiveLabel: 'a', negativeLabel: 'b' }, trainingLineage: { featureSetIds: [], trialIds: ['T0'], partitions: ['train'] }, performance: [],
  };
  validate(ev('ModelRegistered', registeredV1, 1));
  const upReg = upcast({ ...ev('ModelRegistered', registeredV1, 1), streamId: 'model-M', streamRevision: '0', globalPosition: '1', prevHash: h, hash: h, canonical: '{}' } as RecordedEvent);
  assert.equal(upReg.schemaVersion, 2);
  assert.equal(upReg.data.explanationReference, null);
  validate(ev('ModelRegistered', upReg.data, 2));
});
