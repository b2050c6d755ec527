import { Field, Float, Int, ObjectType } from '@nestjs/graphql';
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

@ObjectType('ExportFile', { description: 'One stored file of an export, downloaded through its own link.' })
export class ExportFileModel {
  @Field(() => String, { description: 'Where the file goes, relative to the export (BIDS-Prov keeps its folders).' }) path!: string;
  @Field(() => String) mediaType!: string;
  @Field(() => String, { description: 'SHA-256 of the bytes, hex (the server stores them by it).' }) sha256!: string;
  @Field(() => Float) bytes!: number;
  @Field(() => String, { description: 'GET this path (on this server) to download the file: for you only, until downloadExpiresAt; no bearer token needed.' }) downloadUrl!: string;
}

@ObjectType('ExportDownload', { description: 'An export rendered once and stored on the server, answered as expiring download links (exportInterop, exportDicomSr).' })
export class ExportDownloadModel {
  @Field(() => String) exportId!: string;
  @Field(() => String, { description: 'OPENLINEAGE, FHIR, BIDS_PROV or DICOM_SR.' }) format!: string;
  @Field(() => String) trialId!: string;
  @Field(() => String, { nullable: true }) siteId!: string | null;
  @Field(() => String, { nullable: true }) subjectId!: string | null;
  @Field(() => Int, { nullable: true, description: 'Every record exported was in the ledger at this position (provenance formats).' }) asOfPosition!: number | null;
  @Field(() => Boolean, { description: 'False when records were left out (outside your trials or sites, unresolved, or a capped audit trail).' }) complete!: boolean;
  @Field(() => String, { description: 'What the files hold, as JSON.' }) countsJson!: string;
  @Field(() => String) downloadExpiresAt!: string;
  @Field(() => [ExportFileModel]) files!: ExportFileModel[];
}
