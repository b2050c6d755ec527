import { ROLES } from '../shared/access-scope.js';
import { defineAction, defineQuery, defineRoute } from '../shared/operation.js';
import { S } from '../shared/schema.js';

/** Deepest lineage walk a caller may ask for (the read model refuses deeper ones too). */
export const LINEAGE_MAX_DEPTH = 50;
export const LINEAGE_DIRECTIONS = ['UPSTREAM', 'DOWNSTREAM', 'BOTH'] as const;
export const PROV_FORMATS = ['PROV_O_JSONLD', 'PROV_JSON'] as const;
/** Formats of interopExport: OpenLineage 2.x RunEvents, a FHIR R4 Bundle (Provenance + AuditEvent), BIDS-Prov files (ADR 0016). */
export const INTEROP_FORMATS = ['OPENLINEAGE', 'FHIR', 'BIDS_PROV'] as const;
/** Largest inline interopExport answer (the files' UTF-8 bytes); above it EXPORT_TOO_LARGE points to exportInterop's download link. */
export const INTEROP_INLINE_MAX_BYTES = 8 * 1024 * 1024;
/** Most feature sets one DICOM SR reports (one image; one measurement group each). */
export const DICOM_SR_MAX_FEATURE_SETS = 50;

const AsOf = S.named(
  'AsOfInput',
  S.obj({
    position: S.optional(S.int({ minimum: 0, description: 'Ledger position: the view as it was after this event.' })),
    time: S.optional(S.str({ maxLength: 40, description: 'UTC time (ISO 8601): the view as it was then.' })),
  }),
);
const InteropFormat = S.graphEnum('InteropFormat', INTEROP_FORMATS);
const InteropScope = S.obj({
  trialId: S.id(),
  format: InteropFormat,
  siteId: S.optional(S.id('Only this site (a site-scoped caller sees their own site whatever is named).')),
  subjectId: S.optional(S.id('Only this subject (trial pseudonym); required for BIDS_PROV.')),
});
const ofLineageNode = { kind: 'record', record: 'lineage-node', id: (d: { id: string }) => d.id } as const;
/** Lineage is subject data: every role may walk it, within the trials and sites they see. */
const LINEAGE_ROLES = ROLES;

export const provenanceOperations = [
  defineQuery({
    field: 'lineage',
    context: 'provenance',
    description: 'Upstream/downstream lineage of an entity, activity or agent (lineage id like decision:D-1, or the domain id); nodes outside your trials and sites are left out.',
    input: S.obj({
      id: S.ref(),
      direction: S.graphEnum('LineageDirection', LINEAGE_DIRECTIONS, { default: 'UPSTREAM' }),
      // Bounds checked by the read model (MAX_DEPTH_INVALID), the code clients know.
      maxDepth: S.int({ default: 10, description: `0 to ${LINEAGE_MAX_DEPTH}` }),
      asOf: S.optional(AsOf),
    }),
    access: { roles: LINEAGE_ROLES, scope: ofLineageNode, cost: 5 },
    result: 'lineage',
  }),
  defineQuery({
    field: 'decision',
    context: 'provenance',
    description: 'A decision with its model version (locked? hash equal?), feature set, masks, images, preprocessing, sites, people and signatures.',
    input: S.obj({ id: S.gid() }),
    access: { roles: LINEAGE_ROLES, scope: { kind: 'record', record: 'decision', id: (d) => d.id } },
    result: 'rows',
  }),
  defineQuery({
    field: 'provDocument',
    context: 'provenance',
    description: 'The upstream lineage of an id as a W3C PROV document (nodes outside your trials and sites are left out).',
    input: S.obj({
      id: S.ref(),
      format: S.graphEnum('ProvFormat', PROV_FORMATS, { default: 'PROV_O_JSONLD' }),
      maxDepth: S.int({ default: LINEAGE_MAX_DEPTH, description: `0 to ${LINEAGE_MAX_DEPTH}` }),
      asOf: S.optional(AsOf),
    }),
    access: { roles: LINEAGE_ROLES, scope: ofLineageNode, cost: 10 },
    result: 'lineage',
  }),
  defineQuery({
    field: 'interopExport',
    context: 'provenance',
    description:
      "A trial's (or one site's or subject's) provenance in the formats data platforms, hospital systems and neuroimaging pipelines read: OPENLINEAGE (RunEvents, START and COMPLETE per preprocessing, segmentation, feature computation and decision; datasets named by content hash; inclusion-proof and model-lock facets), FHIR (R4 Bundle of Provenance per derived artefact and AuditEvent per change), BIDS_PROV (files for one subject; subjectId required: SUBJECT_REQUIRED). Records outside your trials and sites are left out (complete: false); a blinded trial's decisions are blinded as in every read. Answered inline up to 8 MiB of files (EXPORT_TOO_LARGE above: use exportInterop for a download URL).",
    input: InteropScope,
    access: { roles: LINEAGE_ROLES, scope: { kind: 'input', trial: (d) => d.trialId, site: (d) => d.siteId }, cost: 20, ratePerMinute: 20 },
    result: 'lineage',
  }),
  defineAction({
    field: 'exportInterop',
    context: 'provenance',
    description:
      'interopExport rendered once and stored on the server: answers each file with an expiring download URL signed for you (GET it within 15 minutes, no bearer token needed) instead of the content. Same scope, filtering and blinding as interopExport; the download checks again that you still see what the file holds. Appends nothing.',
    input: InteropScope,
    access: { roles: LINEAGE_ROLES, scope: { kind: 'input', trial: (d) => d.trialId, site: (d) => d.siteId }, cost: 20, ratePerMinute: 20 },
    records: [],
    result: 'lineage',
  }),
  defineAction({
    field: 'exportDicomSr',
    context: 'provenance',
    description:
      'Recorded feature sets of one image as a DICOM SR TID 1500 report (a measurement group per feature set, referencing its mask as a DICOM-SEG segment; a label-image mask gets a SEG written beside the SR), stored on the server and answered with expiring download URLs signed for you. Errors: FEATURE_SETS_OF_SEVERAL_IMAGES, SUBJECT_REDACTED (the subject was crypto-shredded: its results are not re-published). Appends nothing.',
    input: S.obj({ featureSetIds: S.list(S.id(), { minItems: 1, maxItems: DICOM_SR_MAX_FEATURE_SETS, description: 'Feature sets of one image.' }) }),
    // One SR reports one image: the first set names the trial and site, the handler refuses sets of another image.
    access: { roles: LINEAGE_ROLES, scope: { kind: 'record', record: 'feature-set', id: (d) => d.featureSetIds[0] }, cost: 20, ratePerMinute: 20 },
    records: [],
    // Feature values, not decisions: nothing to blind; declared so the export is authorised as a read.
    result: 'none',
  }),
  defineAction({
    field: 'exportDossier',
    context: 'provenance',
    description:
      "Export the regulatory dossier of a trial's decisions (optionally one model version: <version>, <modelId>@<version>), verify it offline, and answer an expiring download URL. Errors: DOSSIER_EMPTY (nothing in scope), DOSSIER_LEDGER_INVALID, DOSSIER_CHECKPOINT_INVALID.",
    input: S.obj({ trialId: S.id(), modelVersion: S.optional(S.text(300)) }),
    access: { roles: ['regulatory', 'qa'], scope: { kind: 'input', trial: (d) => d.trialId }, cost: 50, ratePerMinute: 6 },
    records: [],
  }),
  defineRoute({
    field: 'POST /artifacts',
    context: 'provenance',
    description: 'Upload an image, mask or ONNX model (raw body or multipart field `file`); answered with its sha256. DICOM is de-identified on ingest.',
    input: S.obj({}),
    access: { roles: ['site-operator', 'data-scientist'], scope: { kind: 'caller' }, ratePerMinute: 600 },
    result: 'none',
  }),
  defineRoute({
    field: 'GET /dossiers/:name',
    context: 'provenance',
    description: "Download an exported dossier through the link exportDossier answered: signed for one user and trial, expiring; the link's user must still hold a grant that may export that trial's dossier (and a bearer token, if sent, must be theirs).",
    input: S.obj({ name: S.str({ pattern: '^[A-Za-z0-9._-]{1,200}\\.zip$' }), trial: S.id(), user: S.id(), expires: S.str({ pattern: '^[0-9]{1,16}$' }), sig: S.str({ pattern: '^[A-Za-z0-9_-]{43}$' }) }),
    access: { roles: [], scope: { kind: 'public' } },
    result: 'none',
  }),
  defineRoute({
    field: 'GET /exports/:exportId/:sha256',
    context: 'provenance',
    description:
      "Download a file of an export through the link exportInterop or exportDicomSr answered: signed for one user, expiring; the link's user must still see what the file holds (the trial, the sites it was rendered for, unblinded decisions only if it has them; a redacted subject's SR is gone), and a bearer token, if sent, must be theirs.",
    input: S.obj({ exportId: S.str({ pattern: '^[0-9a-f-]{36}$' }), sha256: S.sha256(), user: S.id(), expires: S.str({ pattern: '^[0-9]{1,16}$' }), sig: S.str({ pattern: '^[A-Za-z0-9_-]{43}$' }) }),
    access: { roles: [], scope: { kind: 'public' } },
    result: 'none',
  }),
  defineRoute({
    field: 'GET /artifacts/:sha256',
    context: 'provenance',
    description: 'Download an artifact by sha256 (re-hashed on read); only within the trials and sites of the records that name it.',
    input: S.obj({ sha256: S.sha256() }),
    access: { roles: ROLES, scope: { kind: 'record', record: 'artifact', id: (d) => d.sha256 } },
    result: 'none',
  }),
] as const;
