/** The trial, sites and clients of bench/cluster.bench.ts (shared with its processes). */
export const CLUSTER_TRIAL = 'CLUSTER';
export const CLUSTER_SITES = ['S1', 'S2'] as const;
export const CLUSTER_CLIENTS = 16;
