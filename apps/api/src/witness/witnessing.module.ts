import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Inject, Module, Optional, type DynamicModule, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Runtime } from '@radledger/application';
import {
  Checkpointer,
  HttpTimestamper,
  openCosignatureStore,
  parseCosignatureVerifierKey,
  parseWitnessPolicy,
  type CosignatureStore,
  type WitnessPolicy,
} from '@radledger/witness';
import { ConfigError, type AppConfig } from '../config/app.config.js';
import { PROJECTIONS_HOLDER, RUNTIME, type ProjectionsHolder } from '../ledger/ledger.tokens.js';
import { logger } from '../logging/logger.js';
import { MetricsService } from '../metrics/metrics.service.js';

/** DI tokens of the witnessing side (issue 14). */
export const COSIGNATURE_STORE = Symbol('CosignatureStore');
export const CHECKPOINTER = Symbol('Checkpointer');
export const WITNESS_POLICY = Symbol('WitnessPolicy');

/**
 * Checkpoints cosigned by witnesses: the cosignature store beside the ledger, the
 * RADLEDGER_WITNESS_POLICY policy, and (when RADLEDGER_WITNESSES or RADLEDGER_TSA_URL is
 * set) the checkpointer. The checkpointer runs in the process that runs the projections
 * (RADLEDGER_MODE all or projector), so stateless API replicas do not each sign checkpoints.
 */
@Module({})
export class WitnessingModule implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    @Inject(COSIGNATURE_STORE) private readonly store: CosignatureStore,
    @Optional() @Inject(CHECKPOINTER) private readonly checkpointer: Checkpointer | null,
  ) {}

  static forConfig(config: AppConfig): DynamicModule {
    const w = config.witnessing;
    let policy: WitnessPolicy | null = null;
    if (w.policyPath) {
      try {
        policy = parseWitnessPolicy(readFileSync(w.policyPath, 'utf8'));
      } catch (error) {
        throw new ConfigError('RADLEDGER_WITNESS_POLICY', `a readable C2SP tlog-policy file (${(error as Error).message})`, w.policyPath);
      }
    }
    const witnesses = w.witnesses.map((x) => {
      try {
        return { url: x.url, verifier: parseCosignatureVerifierKey(x.vkey) };
      } catch (error) {
        throw new ConfigError('RADLEDGER_WITNESSES', `witness vkeys of type cosignature/v1 (${(error as Error).message})`, x.vkey);
      }
    });
    const runCheckpointer = config.runProjections && (witnesses.length > 0 || w.tsaUrl !== undefined);
    return {
      module: WitnessingModule,
      global: true,
      providers: [
        { provide: WITNESS_POLICY, useValue: policy },
        {
          provide: COSIGNATURE_STORE,
          inject: [PROJECTIONS_HOLDER],
          // Beside the ledger (same SQLite file / PostgreSQL schema); a KurrentDB ledger keeps them in the data dir.
          useFactory: async (holder: ProjectionsHolder) => {
            const store = await openCosignatureStore(config.store.startsWith('kurrentdb:') ? `sqlite:${join(config.dataDir, 'cosignatures.db')}` : config.store);
            // ledgerStatus and dossier exports read the cosignatures through the application.
            holder.witnessing = { cosignatures: store, ...(policy ? { policy } : {}) };
            return store;
          },
        },
        {
          provide: CHECKPOINTER,
          inject: [RUNTIME, COSIGNATURE_STORE, MetricsService, PROJECTIONS_HOLDER],
          useFactory: (runtime: Runtime, store: CosignatureStore, metrics: MetricsService, holder: ProjectionsHolder) =>
            runCheckpointer
              ? new Checkpointer({
                  ledger: runtime.ledger,
                  signer: runtime.signingKey.signer,
                  store,
                  witnesses,
                  every: w.every,
                  intervalMs: w.intervalSeconds * 1000,
                  timestamper: w.tsaUrl ? new HttpTimestamper(w.tsaUrl) : undefined,
                  log: logger,
                  onOutcome: (witness, outcome, checkpoint) => {
                    metrics.witnessSubmissions.inc({ witness: witness.verifier.name, outcome });
                    if (outcome === 'fork') {
                      metrics.witnessForkAlarms.inc({ witness: witness.verifier.name });
                      // Monitors hear it live (on PostgreSQL every replica does, through the alert channel).
                      holder.alerts?.witnessFork(witness.verifier.name, checkpoint.treeSize, checkpoint.rootHash);
                    }
                  },
                })
              : null,
        },
      ],
      exports: [COSIGNATURE_STORE, CHECKPOINTER, WITNESS_POLICY],
    };
  }

  onApplicationBootstrap(): void {
    this.checkpointer?.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.checkpointer?.stop();
    await this.store.close();
  }
}
