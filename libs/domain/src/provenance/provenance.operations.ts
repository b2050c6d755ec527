import { ROLES } from '../shared/access-scope.js';
import { defineAction, defineQuery, defineRoute } from '../shared/operation.js';
import { S } from '../shared/schema.js';

/** Deepest lineage walk a caller may ask for (the read model refuses deeper ones too). */
export const LINEAGE_MAX_DEPTH = 50;
export const LINEAGE_DIRECTIONS = ['UPSTREAM', 'DOWNSTREAM', 'BOTH'] as const;
export const PROV_FORMATS = ['PROV_O_JSONLD', 'PROV_JSON'] as const;
/** Formats of interopExport: OpenLineage 2.x RunEvents, a FHIR R4 Bundle (Provenance + AuditEvent), BIDS-Prov files (ADR 0016). */
export const INTEROP_FORMATS = ['OPENLINEAGE', 'FHIR', 'BIDS_PROV'] as const;

const AsOf = S.named(
  'AsOfInput',
  S.obj({
    position: S.optional(S.int({ minimum: 0, description: 'Ledger position: the view as it was after this event.' })),
    time: S.optional(S.str({ maxLength: 40, description: 'UTC time (ISO 8601): the view as it was then.' })),
  }),
);
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
      "A trial's (or one site's or subject's) provenance in the formats data platforms, hospital systems and neuroimaging pipelines read: OPENLINEAGE (RunEvents, START and COMPLETE per preprocessing, segmentation, feature computation and decision; datasets named by content hash; inclusion-proof and model-lock facets), FHIR (R4 Bundle of Provenance per derived artefact and AuditEvent per change), BIDS_PROV (files for one subject; subjectId required: SUBJECT_REQUIRED). Records outside your trials and sites are left out (complete: false); a blinded trial's decisions are blinded as in every read.",
    input: S.obj({
      trialId: S.id(),
      format: S.graphEnum('InteropFormat', INTEROP_FORMATS),
      siteId: S.optional(S.id('Only this site (a site-scoped caller sees their own site whatever is named).')),
      subjectId: S.optional(S.id('Only this subject (trial pseudonym); required for BIDS_PROV.')),
    }),
    access: { roles: LINEAGE_ROLES, scope: { kind: 'input', trial: (d) => d.trialId, site: (d) => d.siteId }, cost: 20, ratePerMinute: 20 },
    result: 'lineage',
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
    field: 'GET /artifacts/:sha256',
    context: 'provenance',
    description: 'Download an artifact by sha256 (re-hashed on read); only within the trials and sites of the records that name it.',
    input: S.obj({ sha256: S.sha256() }),
    access: { roles: ROLES, scope: { kind: 'record', record: 'artifact', id: (d) => d.sha256 } },
    result: 'none',
  }),
] as const;
