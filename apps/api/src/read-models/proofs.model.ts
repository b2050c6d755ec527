import { Field, Int, ObjectType } from '@nestjs/graphql';

@ObjectType('StoredCheckpointView')
export class CheckpointModel {
  @Field(() => Int) treeSize!: number;
  @Field(() => String) rootHash!: string;
  @Field(() => String) issuedAt!: string;
  @Field(() => String, { description: 'The C2SP signed note, byte for byte.' }) note!: string;
}

@ObjectType('CosignedCheckpointView', { description: 'A checkpoint with the witnesses\' cosignatures (C2SP tlog-cosignature) attached to its note.' })
export class CosignedCheckpointModel {
  @Field(() => Int) treeSize!: number;
  @Field(() => String) rootHash!: string;
  @Field(() => String) issuedAt!: string;
  @Field(() => String, { description: 'The signed note followed by each witness\'s cosignature line.' }) note!: string;
  @Field(() => [String], { description: 'Key names of the witnesses that cosigned it.' }) witnesses!: string[];
  @Field(() => Boolean, { nullable: true, description: 'Whether RADLEDGER_WITNESS_POLICY\'s quorum is met; null without a policy.' }) quorumMet!: boolean | null;
}

@ObjectType('LedgerStatus', { description: 'Read from the ledger itself, never from the read models.' })
export class LedgerStatusModel {
  @Field(() => Int) size!: number;
  @Field(() => String, { description: 'RFC 9162 Merkle root over all events.' }) rootHash!: string;
  @Field(() => String) lastHash!: string;
  @Field(() => CheckpointModel, { nullable: true }) latestCheckpoint!: CheckpointModel | null;
  @Field(() => CosignedCheckpointModel, { nullable: true, description: 'The newest checkpoint cosigned by witnesses (meeting the policy\'s quorum when RADLEDGER_WITNESS_POLICY is set).' })
  latestCosignedCheckpoint!: CosignedCheckpointModel | null;
}

@ObjectType('InclusionProofView')
export class InclusionProofModel {
  @Field(() => String) eventId!: string;
  @Field(() => Int) leafIndex!: number;
  @Field(() => Int) treeSize!: number;
  @Field(() => String) leafHash!: string;
  @Field(() => [String], { description: 'RFC 9162 §2.1.3 audit path, hex, bottom up.' }) proof!: string[];
  @Field(() => String) rootHash!: string;
  @Field(() => String, { nullable: true, description: 'The exact stored RFC 8785 bytes of the event; null when they say what a model decided in a trial blinded to you (the proof of the leaf hash still stands).' })
  canonical!: string | null;
  @Field(() => Boolean, { defaultValue: false, description: 'The payload is withheld from you (blinded trial); leafHash and the proof are unchanged.' }) blinded?: boolean;
  @Field(() => String, { nullable: true }) checkpoint!: string | null;
  @Field(() => String, { description: 'The whole proof bundle as JSON text (offline-verifiable).' }) bundleJson!: string;
}

@ObjectType('ConsistencyProofView')
export class ConsistencyProofModel {
  @Field(() => Int) size1!: number;
  @Field(() => Int) size2!: number;
  @Field(() => String) root1!: string;
  @Field(() => String) root2!: string;
  @Field(() => [String], { description: 'RFC 9162 §2.1.4 consistency path, hex.' }) proof!: string[];
  @Field(() => String, { nullable: true }) checkpoint1!: string | null;
  @Field(() => String, { nullable: true }) checkpoint2!: string | null;
  @Field(() => String) bundleJson!: string;
}

@ObjectType('LedgerVerificationFailure')
export class VerificationFailureModel {
  @Field(() => String) kind!: string;
  @Field(() => Int) position!: number;
  @Field(() => String) message!: string;
  @Field(() => String, { nullable: true }) expected!: string | null;
  @Field(() => String, { nullable: true }) computed!: string | null;
}

@ObjectType('LedgerVerification', { description: 'A full re-verification of the stored ledger: hashes, chain, Merkle root, checkpoints.' })
export class LedgerVerificationModel {
  @Field(() => Boolean) ok!: boolean;
  @Field(() => Int) size!: number;
  @Field(() => String, { nullable: true }) rootHash!: string | null;
  @Field(() => String, { nullable: true }) lastHash!: string | null;
  @Field(() => Int) checkpointsVerified!: number;
  @Field(() => Int) checkpointsStored!: number;
  @Field(() => Boolean, { description: 'Whether checkpoint signatures were checked against the deployment key.' }) signaturesChecked!: boolean;
  @Field(() => VerificationFailureModel, { nullable: true }) failure!: VerificationFailureModel | null;
}
