import type pg from 'pg';

/**
 * Creates `schema` (if absent) and runs `ddl` in one transaction under the advisory lock every
 * RadLedger store takes for that schema (`radledger.migrate.<schema>`): the ledger, the read
 * models, the credential and key stores share schemas, and concurrent
 * `CREATE SCHEMA IF NOT EXISTS` collide in PostgreSQL's catalog.
 */
export async function migratePostgresSchema(pool: pg.Pool, schema: string, ddl: (client: pg.PoolClient) => Promise<void> = async () => undefined): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`radledger.migrate.${schema}`]);
    await client.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
    await ddl(client);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
