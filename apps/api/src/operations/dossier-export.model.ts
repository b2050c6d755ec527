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

@ObjectType('DossierChecklistScore', { description: 'RQS points of an item: what the ledger awards (null when the item is for people) and the range.' })
export class DossierChecklistScoreModel {
  @Field(() => Float, { nullable: true }) points!: number | null;
  @Field(() => Float) min!: number;
  @Field(() => Float) max!: number;
  @Field(() => String, { nullable: true, description: 'Points the ledger cannot award, left for people.' }) remainderForPeople!: string | null;
}

@ObjectType('DossierChecklistItem', { description: 'One reporting-guideline item of checklists.json: its evidence from the ledger, or why it is left for people.' })
export class DossierChecklistItemModel {
  @Field({ description: 'TRIPOD+AI, CLAIM 2024, METRICS, CLEAR, RQS or PROBAST+AI.' }) checklist!: string;
  @Field({ description: "Stable id of the item's topic (item numbers differ between guideline versions)." }) item!: string;
  @Field() title!: string;
  @Field({ description: 'filled-from-ledger or for-people.' }) status!: string;
  @Field(() => String, { nullable: true, description: 'What the ledger records for the item, as JSON text (cut at 4,000 characters; checklists.json holds it whole).' }) evidence!: string | null;
  @Field() evidenceTruncated!: boolean;
  @Field(() => [String], { description: 'The events the evidence came from (the first 25).' }) sourceEventIds!: string[];
  @Field(() => Int, { description: 'How many events the evidence came from in all.' }) sourceEventCount!: number;
  @Field(() => String, { nullable: true, description: 'Why the item is left for people.' }) why!: string | null;
  @Field(() => DossierChecklistScoreModel, { nullable: true }) score!: DossierChecklistScoreModel | null;
}

@ObjectType('DossierRqs', { description: 'Radiomics Quality Score: what the ledger awards of 36, and the range once people score their items.' })
export class DossierRqsModel {
  @Field(() => Float) ledgerScore!: number;
  @Field(() => Float) possibleMin!: number;
  @Field(() => Float) possibleMax!: number;
  @Field(() => Int) maximum!: number;
  @Field(() => Float) ledgerPercent!: number;
}

@ObjectType('DossierChecklists', { description: 'checklists.json of the written bundle.' })
export class DossierChecklistsModel {
  @Field(() => Int, { description: 'Items filled from the ledger, with evidence.' }) filledFromLedger!: number;
  @Field(() => Int, { description: 'Items left for people.' }) forPeople!: number;
  @Field(() => [DossierChecklistItemModel]) items!: DossierChecklistItemModel[];
  @Field(() => DossierRqsModel) rqs!: DossierRqsModel;
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
  @Field(() => DossierChecklistsModel, { description: 'Every reporting-guideline item (TRIPOD+AI, CLAIM, METRICS, CLEAR, RQS, PROBAST+AI) with its evidence, or why it is left for people.' })
  checklists!: DossierChecklistsModel;
}
