import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSchema, parse, validate, type DocumentNode, type OperationDefinitionNode } from 'graphql';
import { CONSOLE_DOCUMENTS } from '../../../console/src/api/documents.js';

/**
 * The web console (apps/console) sends only these documents. Each must be valid against the
 * API's schema (the committed SDL, generated from the declarations by the API in development;
 * console.e2e.spec.ts checks them against the running server's schema as well).
 */
describe('console GraphQL documents', () => {
  const schema = buildSchema(readFileSync(join(process.cwd(), 'schemas', 'graphql', 'schema.gql'), 'utf8'));

  for (const [name, text] of Object.entries(CONSOLE_DOCUMENTS)) {
    it(`${name} is valid against the schema`, () => {
      let doc: DocumentNode;
      assert.doesNotThrow(() => {
        doc = parse(text);
      }, `${name} parses`);
      assert.deepEqual(validate(schema, doc!).map((e) => e.message), [], name);
      const operations = doc!.definitions.filter((d): d is OperationDefinitionNode => d.kind === 'OperationDefinition');
      assert.equal(operations.length, 1, `${name}: one named operation`);
      assert.match(operations[0]!.name?.value ?? '', /^Console[A-Z]/, `${name}: named Console… (recognisable in the server's logs)`);
    });
  }

  it('a document that drifted from the schema is refused (the check bites)', () => {
    const drifted = CONSOLE_DOCUMENTS['LEDGER_STATUS']!.replace('rootHash', 'merkleRoot');
    assert.notEqual(validate(schema, parse(drifted)).length, 0);
  });
});
