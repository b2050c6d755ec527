import { Field, Float, Int, ObjectType } from '@nestjs/graphql';

@ObjectType('DossierCheckpoint', { description: 'The signed checkpoint every inclusion proof in events.ndjson leads to.' })
export class DossierCheckpointModel {
  @Field({ description: 'C2SP signed note (tlog-checkpoint) as written in manifest.json.' }) note!: string;
  @Field() origin!: string;
  @Field(() => Float, { description: 'Ledger size the checkpoint covers.' }) treeSize!: number;
  @Field({ description: 'RFC 9162 Merkle root, hex.' }) rootHash!: string;
  @Field() issuedAt!: string;
  @Field({ description: 'True when the latest stored checkpoint already covered every included event.' }) reused!: boolean;
}

@ObjectType('DossierCheck')
export class DossierCheckModel {
  @Field({ description: 'manifest, public-key, manifest-signature, file-hashes, checkpoint-signature, event-hashes, inclusion-proofs, chain-links, lineage-complete, event-count' })
  check!: string;
  @Field({ description: 'PASS, FAIL or WARN' }) status!: string;
  @Field() detail!: string;
  @Field(() => [String], { nullable: true, description: 'The first problems found.' }) failures?: string[];
}

@ObjectType('DossierVerification', { description: 'verify-dossier run on the written bundle with the ledger key pinned.' })
export class DossierVerificationModel {
  @Field() ok!: boolean;
  @Field(() => [DossierCheckModel]) checks!: DossierCheckModel[];
}

@ObjectType('DossierExport')
export class DossierExportModel {
  @Field() trialId!: string;
  @Field(() => String, { nullable: true }) modelVersion!: string | null;
  @Field({ description: 'Where the .zip was written on the server (<data dir>/dossiers/<trial>-<timestamp>.zip).' }) location!: string;
  @Field({ description: 'GET this path (on this server) to download the .zip: for you only, until downloadExpiresAt; no bearer token needed.' }) downloadUrl!: string;
  @Field() downloadExpiresAt!: string;
  @Field({ description: 'sha256 of the .zip file, hex.' }) sha256!: string;
  @Field(() => Float) bytes!: number;
  @Field(() => Int) eventCount!: number;
  @Field(() => Int) decisionCount!: number;
  @Field(() => DossierCheckpointModel) checkpoint!: DossierCheckpointModel;
  @Field({ description: 'C2SP verifier key of the checkpoint signer (pin it: verify-dossier --public-key).' }) publicKey!: string;
  @Field(() => DossierVerificationModel) verification!: DossierVerificationModel;
}
