import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ProvGraphInput } from './prov-graph.js';
import { toProvJson } from './prov-json.js';
import { toProvOJsonLd } from './prov-o-jsonld.js';

const ref = (position: number) => ({ eventId: `e${position}`, type: 'T', hash: String(position).repeat(64).slice(0, 64), globalPosition: position, recordedAt: '2026-01-05T06:00:00.000Z' });

const graph: ProvGraphInput = {
  nodes: [
    { id: 'mask:v2', kind: 'entity', type: 'mask-version', label: 'edit v2', attributes: { diceVsParent: 0.9, grid: { dims: [1, 2, 3] } }, createdBy: ref(2) },
    { id: 'mask:v1', kind: 'entity', type: 'mask-version', label: 'v1', attributes: {}, createdBy: ref(1) },
    { id: 'activity:e2', kind: 'activity', type: 'segmentation-edit', label: 'edit', attributes: {}, createdBy: ref(2) },
    { id: 'user:op 1', kind: 'agent', type: 'user', label: 'Operator 1', attributes: {}, createdBy: ref(0) },
    { id: 'site:S1', kind: 'agent', type: 'site', label: 'Site 1', attributes: {}, createdBy: ref(0) },
  ],
  edges: [
    { id: '2:0', relation: 'wasRevisionOf', from: 'mask:v2', to: 'mask:v1', role: null, createdBy: ref(2) },
    { id: '2:1', relation: 'used', from: 'activity:e2', to: 'mask:v1', role: 'parent', createdBy: ref(2) },
    { id: '2:2', relation: 'wasGeneratedBy', from: 'mask:v2', to: 'activity:e2', role: null, createdBy: ref(2) },
    { id: '2:3', relation: 'wasAssociatedWith', from: 'activity:e2', to: 'user:op 1', role: 'site-operator', createdBy: ref(2) },
  ],
};

describe('PROV serialisers', () => {
  test('PROV-O JSON-LD uses the W3C prov namespace, PROV-O classes and starting-point properties', () => {
    const doc = toProvOJsonLd(graph, { documentId: 'radledger:doc' });
    assert.deepEqual((doc['@context'] as Record<string, string>)['prov'], 'http://www.w3.org/ns/prov#');
    const byId = new Map((doc['@graph'] as Array<Record<string, unknown>>).map((n) => [n['@id'], n]));
    const v2 = byId.get('radledger:mask:v2')!;
    assert.deepEqual(v2['@type'], ['prov:Entity', 'radledger:MaskVersion']);
    assert.deepEqual(v2['prov:wasRevisionOf'], [{ '@id': 'radledger:mask:v1' }]);
    assert.deepEqual(v2['prov:wasGeneratedBy'], [{ '@id': 'radledger:activity:e2' }]);
    assert.deepEqual(v2['prov:generatedAtTime'], { '@value': '2026-01-05T06:00:00.000Z', '@type': 'xsd:dateTime' });
    assert.deepEqual(v2['radledger:grid'], { '@value': '{"dims":[1,2,3]}', '@type': '@json' });
    const activity = byId.get('radledger:activity:e2')!;
    assert.deepEqual(activity['@type'], ['prov:Activity', 'radledger:SegmentationEdit']);
    assert.deepEqual(activity['prov:used'], [{ '@id': 'radledger:mask:v1' }]);
    const usage = (activity['prov:qualifiedUsage'] as Array<Record<string, unknown>>)[0]!;
    assert.equal(usage['@type'], 'prov:Usage');
    assert.deepEqual(usage['prov:hadRole'], { '@id': 'radledger:role/parent' });
    assert.deepEqual(byId.get('radledger:user:op%201')!['@type'], ['prov:Agent', 'prov:Person'], 'ids are IRI-safe');
    assert.deepEqual(byId.get('radledger:site:S1')!['@type'], ['prov:Agent', 'prov:Organization']);
  });

  test('PROV-JSON keys records by type, relations by blank node, revisions as prov:Revision', () => {
    const doc = toProvJson(graph) as Record<string, Record<string, Record<string, unknown>>>;
    assert.equal(doc['prefix']!['prov'], 'http://www.w3.org/ns/prov#');
    assert.deepEqual(Object.keys(doc['entity']!).sort(), ['radledger:mask:v1', 'radledger:mask:v2']);
    assert.deepEqual(Object.keys(doc['agent']!).sort(), ['radledger:site:S1', 'radledger:user:op%201']);
    assert.deepEqual(doc['wasDerivedFrom']!['_:2:0'], {
      'prov:generatedEntity': 'radledger:mask:v2',
      'prov:usedEntity': 'radledger:mask:v1',
      'prov:type': { $: 'prov:Revision', type: 'prov:QUALIFIED_NAME' },
      'radledger:eventId': 'e2',
      'radledger:eventType': 'T',
      'radledger:eventHash': ref(2).hash,
      'radledger:globalPosition': { $: '2', type: 'xsd:long' },
    });
    assert.equal(doc['used']!['_:2:1']!['prov:activity'], 'radledger:activity:e2');
    assert.equal(doc['wasAssociatedWith']!['_:2:3']!['prov:role'], 'site-operator');
  });
});
