import { Inject } from '@nestjs/common';
import { Args, ID, Int, Query, Resolver } from '@nestjs/graphql';
import { existsSync } from 'node:fs';
import { LedgerService, LedgerVerificationError, loadSigningKey, type CheckpointVerifier } from '@radledger/ledger';
import type { AppConfig } from '../config/app.config.js';
import { ROLES } from '../auth/actor.js';
import { Roles } from '../auth/auth.decorators.js';
import { APP_CONFIG } from '../ledger/ledger.tokens.js';
import { MetricsService } from '../metrics/metrics.service.js';
import { ConsistencyProofModel, InclusionProofModel, LedgerStatusModel, LedgerVerificationModel } from './proofs.model.js';

/**
 * Proof queries read the LEDGER through LedgerService, never the read models: a tampered
 * projection row can change what a view shows but never what verification reports.
 */
@Resolver()
@Roles(...ROLES)
export class ProofsResolver {
  constructor(
    @Inject(LedgerService) private readonly ledger: LedgerService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(MetricsService) private readonly metrics: MetricsService,
  ) {}

  @Query(() => LedgerStatusModel)
  async ledgerStatus(): Promise<LedgerStatusModel> {
    const head = await this.ledger.store.head();
    const latest = await this.ledger.store.latestCheckpoint();
    return {
      size: head.size,
      lastHash: head.lastHash,
      rootHash: await this.ledger.rootAt(head.size),
      latestCheckpoint: latest ?? null,
    };
  }

  @Query(() => InclusionProofModel, { description: 'RFC 9162 inclusion proof of one event; default treeSize: the latest checkpoint covering it, else the head.' })
  async inclusionProof(
    @Args('eventId', { type: () => ID }) eventId: string,
    @Args('treeSize', { type: () => Int, nullable: true }) treeSize?: number,
  ): Promise<InclusionProofModel> {
    const bundle = await this.ledger.proveInclusion(eventId, treeSize ?? undefined);
    return { ...bundle, checkpoint: bundle.checkpoint ?? null, bundleJson: JSON.stringify(bundle) };
  }

  @Query(() => ConsistencyProofModel, { description: 'RFC 9162 consistency proof that the tree of `from` leaves is a prefix of the tree of `to`.' })
  async consistencyProof(@Args('from', { type: () => Int }) from: number, @Args('to', { type: () => Int }) to: number): Promise<ConsistencyProofModel> {
    const bundle = await this.ledger.proveConsistency(from, to);
    return { ...bundle, checkpoint1: bundle.checkpoint1 ?? null, checkpoint2: bundle.checkpoint2 ?? null, bundleJson: JSON.stringify(bundle) };
  }

  @Query(() => LedgerVerificationModel, { description: 'Re-verifies every stored event (hash, canonical bytes, chain, Merkle root) and every stored checkpoint.' })
  async verifyLedger(): Promise<LedgerVerificationModel> {
    const verifier = this.pinnedKey();
    // radledger_verify_duration_seconds: every full verification, whether it finds tampering or not.
    const timer = this.metrics.verifyDuration.startTimer();
    try {
      const report = await this.ledger.verifyLedger({ verifier }).finally(() => timer());
      return {
        ok: true,
        size: report.size,
        rootHash: report.rootHash,
        lastHash: report.lastHash,
        checkpointsVerified: report.checkpointsVerified,
        checkpointsStored: report.checkpointsStored,
        signaturesChecked: verifier !== undefined,
        failure: null,
      };
    } catch (error) {
      // A tampered ledger is an answer, not a server error.
      if (!(error instanceof LedgerVerificationError)) throw error;
      const head = await this.ledger.store.head();
      return {
        ok: false,
        size: head.size,
        rootHash: null,
        lastHash: null,
        checkpointsVerified: 0,
        checkpointsStored: (await this.ledger.store.listCheckpoints()).length,
        signaturesChecked: verifier !== undefined,
        failure: { kind: error.kind, position: error.position, message: error.message, expected: error.expected ?? null, computed: error.computed ?? null },
      };
    }
  }

  /** The deployment's checkpoint key, when one exists: a read never creates a key. */
  private pinnedKey(): CheckpointVerifier | undefined {
    if (!existsSync(this.config.signingKeyPath)) return undefined;
    return loadSigningKey(this.config.signingKeyPath).signer;
  }
}
