import { isAbsolute, join, resolve } from 'node:path';

/** The API's configuration, validated once at boot (DESIGN.md "Configuration"). */
export interface AppConfig {
  port: number;
  /** Event store URL: `sqlite:<path>`, `postgres://…`, `kurrentdb://…`. */
  store: string;
  /** Read-model store URL; defaults to the event store's database. */
  readStore: string;
  dataDir: string;
  /** Ed25519 private key file for checkpoints (created as a dev key when absent). */
  signingKeyPath: string;
  /** AES-256 key wrapping the subject keys of sealed free text (ADR 0007); created, mode 0600, when absent. */
  keyEncryptionKeyPath: string;
  /** Load the demo trial when the ledger is empty. */
  demo: boolean;
  /** HS256 secret for the API's own session tokens; a dev secret is generated into the data dir when absent. */
  authSecretPath: string;
  /** Serve the local GraphQL explorer and print development tokens (NODE_ENV=development, the default). */
  development: boolean;
  /** NODE_ENV=production: introspection only for signed-in callers, /metrics only with its token or on its own port. */
  production: boolean;
  /** Bearer token a Prometheus scraper presents at /metrics (RADLEDGER_METRICS_TOKEN). */
  metricsToken?: string;
  /** Serve /metrics on this port instead (RADLEDGER_METRICS_PORT), e.g. one not exposed outside the cluster. */
  metricsPort?: number;
  /** OIDC issuer and JWKS URL for production tokens (both or neither). */
  oidc?: { issuer: string; jwksUrl: string; audience?: string };
  /** Largest accepted upload, bytes. */
  maxUploadBytes: number;
  /**
   * Largest image an upload may decode to (RADLEDGER_MAX_DECOMPRESSED_BYTES, RADLEDGER_MAX_VOXELS),
   * checked from the header before inflating: a 2 MB .nii.gz can hold 2 GiB of zeros.
   */
  imageLimits: { maxDecompressedBytes: number; maxVoxels: number };
  /**
   * Run the projection workers in this process. Production runs stateless API replicas with
   * this off and one projection worker with it on, all sharing the read-model database.
   */
  runProjections: boolean;
  /** Serve HTTP (off for a projection-only worker). */
  serveHttp: boolean;
  /** Security hardening (issue 6 part 5): login rate limit, CORS allow-list (empty: CORS off), JSON body limit. */
  security: { loginRateLimit: number; loginRateWindowSeconds: number; corsOrigins: string[]; maxJsonBytes: number };
  /** Issue 14: checkpoints cosigned by witnesses (and timestamped by a TSA), issued every N events or T seconds. */
  witnessing: WitnessingConfig;
}

export interface WitnessingConfig {
  /** RADLEDGER_WITNESSES=<url>=<vkey>,...: submission prefixes and cosignature/v1 vkeys. */
  witnesses: Array<{ url: string; vkey: string }>;
  /** RADLEDGER_CHECKPOINT_EVERY (events, default 1000). */
  every: number;
  /** RADLEDGER_CHECKPOINT_INTERVAL_SECONDS (default 60): a checkpoint at least this often while events arrive. */
  intervalSeconds: number;
  /** RADLEDGER_WITNESS_POLICY: a C2SP tlog-policy file; ledgerStatus reports the newest checkpoint meeting it. */
  policyPath?: string;
  /** RADLEDGER_TSA_URL: an RFC 3161 TSA; each checkpoint gets a timestamp token. */
  tsaUrl?: string;
}

/** `<url>=<vkey>` items: the vkey holds no '=' (base64 of 33 bytes has no padding), so the last '=' splits. */
function parseWitnesses(env: Env): Array<{ url: string; vkey: string }> {
  const raw = env.RADLEDGER_WITNESSES;
  if (raw === undefined || raw.trim() === '') return [];
  return raw.split(',').map((item) => {
    const at = item.trim().lastIndexOf('=');
    const url = item.trim().slice(0, at);
    const vkey = item.trim().slice(at + 1);
    if (at <= 0 || !/^https?:\/\/[^\s,]+$/.test(url) || !/^[^\s+]+\+[0-9a-f]{8}\+[A-Za-z0-9+/]+$/.test(vkey)) {
      throw new ConfigError('RADLEDGER_WITNESSES', 'comma-separated <http(s) submission prefix>=<witness vkey> items', raw);
    }
    return { url, vkey };
  });
}

function parseUrl(env: Env, name: string): string | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  if (!/^https?:\/\/\S+$/.test(raw)) throw new ConfigError(name, 'an http(s) URL', raw);
  return raw;
}

export class ConfigError extends Error {
  constructor(readonly variable: string, expected: string, actual: string | undefined) {
    super(`invalid configuration: ${variable}=${actual === undefined ? '(unset)' : JSON.stringify(actual)}: expected ${expected}`);
  }
}

type Env = Record<string, string | undefined>;

function parseBoolean(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (/^(1|true|yes|on)$/i.test(raw)) return true;
  if (/^(0|false|no|off)$/i.test(raw)) return false;
  throw new ConfigError(name, 'true or false', raw);
}

function parseInteger(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    throw new ConfigError(name, `an integer from ${min} to ${max}`, raw);
  }
  return Number(raw);
}

/** RADLEDGER_MODE: `all` (default: API and projections in one process), `api`, or `projector`. */
function parseMode(env: Env): 'all' | 'api' | 'projector' {
  const raw = env.RADLEDGER_MODE || 'all';
  if (raw !== 'all' && raw !== 'api' && raw !== 'projector') {
    throw new ConfigError('RADLEDGER_MODE', 'all, api or projector', raw);
  }
  return raw;
}

/** RADLEDGER_CORS_ORIGINS: comma-separated https?:// origins allowed to call the API from a browser; unset = CORS off. */
function parseOrigins(env: Env): string[] {
  const raw = env.RADLEDGER_CORS_ORIGINS;
  if (raw === undefined || raw.trim() === '') return [];
  const origins = raw.split(',').map((o) => o.trim());
  for (const origin of origins) {
    if (!/^https?:\/\/[^/\s*]+$/.test(origin)) throw new ConfigError('RADLEDGER_CORS_ORIGINS', 'comma-separated origins like https://app.example.org (no wildcards, no paths)', raw);
  }
  return origins;
}

function parseSecret(env: Env, name: string): string {
  const raw = env[name] ?? '';
  if (raw.length < 24 || /\s/.test(raw)) throw new ConfigError(name, 'a secret of at least 24 characters without spaces', '(hidden)');
  return raw;
}

const STORE_URL = /^(sqlite:.+|postgres(ql)?:\/\/.+|kurrentdb:\/\/.+)$/;

function parseStoreUrl(env: Env, name: string, fallback: string): string {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!STORE_URL.test(raw)) {
    throw new ConfigError(name, 'sqlite:<path>, postgres://… or kurrentdb://…', raw);
  }
  return raw;
}

/** Reads and validates the environment; throws ConfigError naming the first bad variable. */
export function loadAppConfig(env: Env = process.env, cwd = process.cwd()): AppConfig {
  const dataDirRaw = env.RADLEDGER_DATA_DIR || './data';
  const dataDir = isAbsolute(dataDirRaw) ? dataDirRaw : resolve(cwd, dataDirRaw);
  const store = parseStoreUrl(env, 'RADLEDGER_STORE', `sqlite:${join(dataDir, 'radledger.db')}`);
  const readStore = parseStoreUrl(env, 'RADLEDGER_READ_STORE', store.startsWith('kurrentdb:') ? `sqlite:${join(dataDir, 'read-models.db')}` : store);
  if (readStore.startsWith('kurrentdb:')) {
    throw new ConfigError('RADLEDGER_READ_STORE', 'sqlite:<path> or postgres://… (read models are relational)', readStore);
  }
  const issuer = env.RADLEDGER_OIDC_ISSUER;
  const jwksUrl = env.RADLEDGER_OIDC_JWKS_URL;
  if (Boolean(issuer) !== Boolean(jwksUrl)) {
    throw new ConfigError(issuer ? 'RADLEDGER_OIDC_JWKS_URL' : 'RADLEDGER_OIDC_ISSUER', 'set together with the other OIDC variable', issuer ? jwksUrl : issuer);
  }
  const nodeEnv = env.NODE_ENV ?? 'development';
  return {
    port: parseInteger(env, 'PORT', 3000, 0, 65535),
    store,
    readStore,
    dataDir,
    signingKeyPath: env.RADLEDGER_SIGNING_KEY || join(dataDir, 'signing-key.pem'),
    keyEncryptionKeyPath: env.RADLEDGER_KEY_ENCRYPTION_KEY || join(dataDir, 'key-encryption-key'),
    authSecretPath: env.RADLEDGER_AUTH_SECRET_FILE || join(dataDir, 'auth-secret'),
    demo: parseBoolean(env, 'RADLEDGER_DEMO', store.startsWith('sqlite:')),
    development: nodeEnv === 'development',
    production: nodeEnv === 'production',
    ...(env.RADLEDGER_METRICS_TOKEN ? { metricsToken: parseSecret(env, 'RADLEDGER_METRICS_TOKEN') } : {}),
    ...(env.RADLEDGER_METRICS_PORT ? { metricsPort: parseInteger(env, 'RADLEDGER_METRICS_PORT', 0, 1, 65535) } : {}),
    oidc: issuer && jwksUrl ? { issuer, jwksUrl, audience: env.RADLEDGER_OIDC_AUDIENCE || undefined } : undefined,
    maxUploadBytes: parseInteger(env, 'RADLEDGER_MAX_UPLOAD_BYTES', 256 * 1024 * 1024, 1, 2 * 1024 * 1024 * 1024),
    imageLimits: {
      maxDecompressedBytes: parseInteger(env, 'RADLEDGER_MAX_DECOMPRESSED_BYTES', 1024 * 1024 * 1024, 1024, 64 * 1024 * 1024 * 1024),
      maxVoxels: parseInteger(env, 'RADLEDGER_MAX_VOXELS', 512 * 1024 * 1024, 1, 8 * 1024 * 1024 * 1024),
    },
    runProjections: parseMode(env) !== 'api',
    serveHttp: parseMode(env) !== 'projector',
    security: {
      loginRateLimit: parseInteger(env, 'RADLEDGER_LOGIN_RATE_LIMIT', 10, 1, 100000),
      loginRateWindowSeconds: parseInteger(env, 'RADLEDGER_LOGIN_RATE_WINDOW_SECONDS', 60, 1, 86400),
      corsOrigins: parseOrigins(env),
      maxJsonBytes: parseInteger(env, 'RADLEDGER_MAX_JSON_BYTES', 1024 * 1024, 1024, 64 * 1024 * 1024),
    },
    witnessing: {
      witnesses: parseWitnesses(env),
      every: parseInteger(env, 'RADLEDGER_CHECKPOINT_EVERY', 1000, 1, 100_000_000),
      intervalSeconds: parseInteger(env, 'RADLEDGER_CHECKPOINT_INTERVAL_SECONDS', 60, 1, 86_400),
      policyPath: env.RADLEDGER_WITNESS_POLICY || undefined,
      tsaUrl: parseUrl(env, 'RADLEDGER_TSA_URL'),
    },
  };
}
