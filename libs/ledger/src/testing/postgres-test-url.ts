/** The machine's PostgreSQL used by *.int.spec.ts (trust auth); tests work in a fresh schema they drop after. */
export const TEST_POSTGRES_URL = 'postgres://postgres@127.0.0.1:5432/test';
