import { Field, Int, ObjectType } from '@nestjs/graphql';
import { INTEROP_FORMATS } from '@radledger/domain';
import { graphqlEnum } from '../graphql/graphql-types.js';

@ObjectType('InteropFile', { description: 'One file of an interoperability export (path relative to where it is written).' })
export class InteropFileModel {
  @Field(() => String) path!: string;
  @Field(() => String) mediaType!: string;
  @Field(() => String, { description: 'The file content (JSON, JSON-LD or TSV text).' }) content!: string;
  @Field(() => String, { description: 'SHA-256 of the content (UTF-8), hex.' }) sha256!: string;
}

@ObjectType('InteropExport', { description: 'OpenLineage RunEvents, a FHIR R4 Bundle or BIDS-Prov files, made from the lineage and audit read models (ADR 0016).' })
export class InteropExportModel {
  @Field(() => graphqlEnum('InteropFormat', INTEROP_FORMATS)) format!: string;
  @Field(() => String) trialId!: string;
  @Field(() => String, { nullable: true }) siteId!: string | null;
  @Field(() => String, { nullable: true }) subjectId!: string | null;
  @Field(() => Int, { description: 'Every record exported was in the ledger at this position.' }) asOfPosition!: number;
  @Field(() => Boolean, { description: 'False when records were left out (outside your trials or sites, unresolved, or a capped audit trail).' }) complete!: boolean;
  @Field(() => [InteropFileModel]) files!: InteropFileModel[];
  @Field(() => String, { description: 'What the files hold, as JSON (run events, provenances, audit events, activities…).' }) countsJson!: string;
}
