import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { buildSchema, parse, validate } from 'graphql';
import { demoExampleQueries } from './scenario/demo-example-queries.js';

const example = {
  trialId: 'GLIO-RAD-01',
  example: {
    decisionId: 'dec-GRA-BER-001-idh-logreg-v1',
    subjectId: 'GRA-BER-001',
    modelId: 'idh-logreg',
    modelVersion: '1',
    modelSha256: '9342761066101d3beb7fc601fc2b39a1afb84a40033c8d2e0a62a6760417b9b7',
    decision: 'IDH-wildtype',
    featureSetId: 'fs-GRA-BER-001-T1c-wt',
    editedSegmentationId: 'seg-GRA-BER-001-wt',
    deviationImageId: 'img-GRA-TYO-003-T1c',
    lockedModels: [],
  },
};

describe('demo example queries', () => {
  it('are valid against the committed GraphQL SDL and name the demo ids', () => {
    const schema = buildSchema(readFileSync(join(process.cwd(), 'schemas', 'graphql', 'schema.gql'), 'utf8'));
    const queries = demoExampleQueries(example);
    assert.equal(queries.length, 3);
    for (const q of queries) assert.deepEqual(validate(schema, parse(q.query)).map((e) => e.message), [], q.title);
    assert.match(queries[0]!.query, /decision:dec-GRA-BER-001-idh-logreg-v1/);
    assert.match(queries[1]!.query, /subjectId: "GRA-BER-001"/);
    assert.match(queries[2]!.query, /trialId: "GLIO-RAD-01"/);
  });
});
