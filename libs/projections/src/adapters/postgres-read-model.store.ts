import pg from 'pg';
import { createHash } from 'node:crypto';
import { migratePostgresSchema } from '@radledger/ledger';
import type { Projection, SqlScalar } from '../projection.js';
import { StatementBatcher } from '../sql/statement-batcher.js';
import type { ProjectionBatch, ProjectionCheckpoint, ReadModelStore } from '../read-model-store.port.js';
import {
  CHECKPOINT_TABLE,
  checkpointTableSql,
  OperationCompiler,
  createTableSql,
  dropTableSql,
  toDialect,
  upsertCheckpointSql,
} from '../sql/sql-compiler.js';

const INT8_OID = 20;

/** BIGINT positions fit in a double (2^53) for any ledger we will ever hold: read them as numbers. */
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** `postgres://…?schema=name` selects the schema holding the read models (default `radledger`, beside the ledger's tables). */
export function parsePostgresUrl(url: string): { connectionString: string; schema: string } {
  const parsed = new URL(url);
  const schema = parsed.searchParams.get('schema') ?? 'radledger';
  parsed.searchParams.delete('schema');
  if (!SCHEMA_NAME.test(schema)) {
    throw new Error(`read store URL: schema must be a lower-case SQL identifier, got ${JSON.stringify(schema)}`);
  }
  return { connectionString: parsed.toString(), schema };
}

/** Read models in PostgreSQL: same tables and SQL as SQLite, `$n` placeholders, one transaction per batch. */
export class PostgresReadModelStore implements ReadModelStore {
  readonly dialect = 'postgres' as const;
  private readonly pool: pg.Pool;
  private readonly primaryKeys = new Map<string, readonly string[]>();
  private readonly compiler = new OperationCompiler((table) => this.primaryKeyOf(table));
  private readonly batcher = new StatementBatcher(this.compiler, (table) => this.primaryKeyOf(table));
  /** Statement name and $n text per SQL text (multi-row texts are long: convert and hash once). */
  private readonly prepared = new Map<string, { name: string; text: string }>();
  private ready: Promise<void> | undefined;

  constructor(url: string, options: { max?: number } = {}) {
    const { connectionString, schema } = parsePostgresUrl(url);
    this.schema = schema;
    // libpq startup option: every pooled connection resolves the read-model tables in this schema.
    this.pool = new pg.Pool({ connectionString, types, max: options.max ?? 4, options: `-c search_path=${schema}` });
  }

  private readonly schema: string;

  /** Creates the schema and the checkpoint table once (tolerating a concurrent creator, e.g. the ledger on the same schema). */
  private init(): Promise<void> {
    this.ready ??= (async () => {
      // The shared schema-migration lock: the ledger and the other stores create this schema too.
      await migratePostgresSchema(this.pool, this.schema);
      await this.pool.query(checkpointTableSql('postgres'));
    })();
    return this.ready;
  }

  private primaryKeyOf = (table: string): readonly string[] => {
    const key = this.primaryKeys.get(table);
    if (!key) throw new Error(`read-model table ${table} is not declared by any migrated projection`);
    return key;
  };

  private async transaction(work: (client: pg.PoolClient) => Promise<void>): Promise<void> {
    await this.init();
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      await work(client);
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  async migrate(projections: readonly Projection[]): Promise<void> {
    await this.init();
    for (const p of projections) for (const t of p.tables) this.primaryKeys.set(t.name, t.primaryKey);
    const stored = await this.checkpoints();
    await this.transaction(async (client) => {
      for (const projection of projections) {
        const checkpoint = stored.get(projection.name);
        if (checkpoint && checkpoint.version !== projection.version) await this.dropIn(client, projection);
        for (const table of projection.tables) for (const sql of createTableSql(table, 'postgres')) await client.query(sql);
      }
    });
  }

  private async dropIn(client: pg.PoolClient, projection: Projection): Promise<void> {
    for (const table of projection.tables) await client.query(dropTableSql(table));
    await client.query(`DELETE FROM ${CHECKPOINT_TABLE} WHERE projection = $1`, [projection.name]);
  }

  async checkpoints(): Promise<Map<string, ProjectionCheckpoint>> {
    await this.init();
    const { rows } = await this.pool.query<{ projection: string; version: number; last_position: number }>(
      `SELECT projection, version, last_position FROM ${CHECKPOINT_TABLE}`,
    );
    return new Map(rows.map((r) => [r.projection, { projection: r.projection, version: Number(r.version), lastPosition: Number(r.last_position) }]));
  }

  async apply(batches: readonly ProjectionBatch[]): Promise<void> {
    await this.transaction(async (client) => {
      for (const batch of batches) {
        // Same-shape inserts travel as multi-row statements: one round trip per up to 64 rows.
        for (const { sql, params } of this.batcher.plan(batch.operations)) {
          let named = this.prepared.get(sql);
          if (!named) {
            named = { name: statementName(sql), text: toDialect(sql, 'postgres') };
            this.prepared.set(sql, named);
          }
          await client.query({ ...named, values: params });
        }
        await client.query({
          name: statementName(upsertCheckpointSql()),
          text: toDialect(upsertCheckpointSql(), 'postgres'),
          values: [batch.projection, batch.version, batch.lastPosition],
        });
      }
    });
  }

  async drop(projections: readonly Projection[]): Promise<void> {
    await this.init();
    await this.transaction(async (client) => {
      for (const projection of projections) await this.dropIn(client, projection);
    });
  }

  async all<T>(sql: string, params: readonly SqlScalar[] = []): Promise<T[]> {
    await this.init();
    const result = await this.pool.query({ text: toDialect(sql, 'postgres'), values: [...params] });
    return result.rows as T[];
  }

  async get<T>(sql: string, params: readonly SqlScalar[] = []): Promise<T | undefined> {
    return (await this.all<T>(sql, params))[0];
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

/** Server-side prepared statements are per connection and per name: name them by their text. */
function statementName(sql: string): string {
  return `rm_${createHash('sha1').update(sql).digest('hex').slice(0, 20)}`;
}
