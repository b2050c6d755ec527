import type { Projection, SqlScalar } from '../projection.js';
import type { ReadModelStore } from '../read-model-store.port.js';
import { compareKeys, type Row } from '../in-memory-read-model.js';

/** Every row of every table of the projections, sorted by primary key: for rebuild-equals-live comparisons. */
export async function dumpReadModel(store: ReadModelStore, projections: readonly Projection[]): Promise<Record<string, Row[]>> {
  const out: Record<string, Row[]> = {};
  for (const projection of projections) {
    for (const table of projection.tables) {
      const columns = Object.keys(table.columns);
      const rows = await store.all<Record<string, SqlScalar>>(`SELECT ${columns.join(', ')} FROM ${table.name}`);
      out[table.name] = rows
        .map((row) => {
          const normalised: Row = {};
          // Same value, same JSON: PostgreSQL returns BIGINT/DOUBLE as numbers here too, NULL as null.
          for (const column of columns) normalised[column] = row[column] === undefined ? null : row[column]!;
          return normalised;
        })
        .sort((a, b) => compareKeys(table.primaryKey, a, b));
    }
  }
  return out;
}
