/** The trial, sites and clients of bench/cluster.bench.ts (shared with its processes). */
export const CLUSTER_TRIAL = 'CLUSTER';
/** A second trial the clients enrol in first, so the measured trial's first enrolments meet warm processes. */
export const CLUSTER_WARMUP_TRIAL = 'CLUSTER-WARMUP';
export const CLUSTER_SITES = ['S1', 'S2'] as const;
export const CLUSTER_CLIENTS = 16;
