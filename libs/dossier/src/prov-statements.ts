import type { RecordedEvent } from '@radledger/ledger';
import { lineageIds, type LineageNodeType, type LineageRelation, type ProvKind } from '@radledger/projections';

/** The lineage node kinds of a dossier: the read side's (libs/projections) plus the trial context and signatures. */
export type DossierNodeType = LineageNodeType | 'trial' | 'subject' | 'protocol' | 'protocol-deviation' | 'change-control-plan' | 'model-validation' | 'signature' | 'partition-assignment';

export interface ProvNode {
  kind: ProvKind;
  id: string;
  type: DossierNodeType;
  label: string;
  /** The ledger event that recorded the node. */
  eventId: string;
  time: string;
  attributes: Record<string, string | number | boolean | null>;
}

export interface ProvRelation {
  relation: LineageRelation;
  from: string;
  to: string;
  role: string | null;
  eventId: string;
}

export type ProvStatement = { node: ProvNode } | { relation: ProvRelation };

type Data = Record<string, unknown>;
const s = (d: Data, k: string): string | null => (typeof d[k] === 'string' ? (d[k] as string) : null);
const n = (d: Data, k: string): number | null => (typeof d[k] === 'number' ? (d[k] as number) : null);

const extraIds = {
  trial: (trialId: string) => `trial:${trialId}`,
  subject: (subjectId: string) => `subject:${subjectId}`,
  protocol: (trialId: string, protocolId: string) => `protocol:${trialId}/${protocolId}`,
  plan: (modelId: string, planId: string) => `pccp:${modelId}/${planId}`,
};

/**
 * Maps ledger events to W3C PROV-DM statements (PROV-DM §5), with the read side's node ids
 * (`lineageIds` of libs/projections) so a dossier and the GraphQL lineage name things alike.
 * Stateful only in what links by content: the entity that holds a sha256 (a feature run
 * that read a preprocessed image names that image's bytes, not its id) and the agents
 * already declared. Both are small (one entry per image / per agent).
 */
export class ProvMapper {
  private readonly byHash = new Map<string, string>();
  private readonly agents = new Set<string>();

  map(event: RecordedEvent): ProvStatement[] {
    const d = event.data as Data;
    const out: ProvStatement[] = [];
    const time = event.meta.recordedAt;
    const node = (kind: ProvKind, id: string, type: DossierNodeType, label: string, attributes: ProvNode['attributes'] = {}) =>
      out.push({ node: { kind, id, type, label, eventId: event.eventId, time, attributes } });
    const rel = (relation: LineageRelation, from: string, to: string, role: string | null = null) => out.push({ relation: { relation, from, to, role, eventId: event.eventId } });
    const agent = (id: string, type: 'user' | 'site' | 'software', label: string) => {
      if (this.agents.has(id)) return;
      this.agents.add(id);
      node('agent', id, type, label);
    };
    const activity = (type: DossierNodeType, label: string, software?: { name: string | null; version: string | null }) => {
      const id = lineageIds.activity(event.eventId);
      node('activity', id, type, label, { eventType: event.type });
      const user = lineageIds.user(event.meta.actor);
      agent(user, 'user', event.meta.actor);
      rel('wasAssociatedWith', id, user, event.meta.role);
      if (event.meta.onBehalfOf) rel('actedOnBehalfOf', user, lineageIds.user(event.meta.onBehalfOf));
      if (software?.name) {
        const sw = lineageIds.software(software.name, software.version);
        agent(sw, 'software', software.version ? `${software.name} ${software.version}` : software.name);
        rel('wasAssociatedWith', id, sw, 'tool');
      }
      return id;
    };
    const entityByHash = (sha: string | null, fallback: string) => (sha && this.byHash.get(sha)) || fallback;

    switch (event.type) {
      case 'TrialRegistered': {
        const id = extraIds.trial(String(d['trialId']));
        node('entity', id, 'trial', `trial ${String(d['trialId'])}: ${s(d, 'title') ?? ''}`, { sponsor: s(d, 'sponsor'), phase: s(d, 'phase') });
        rel('wasGeneratedBy', id, activity('trial', `registration of ${String(d['trialId'])}`));
        break;
      }
      case 'SiteEnrolled': {
        const site = lineageIds.site(String(d['siteId']));
        agent(site, 'site', s(d, 'name') ?? String(d['siteId']));
        rel('actedOnBehalfOf', site, extraIds.trial(String(d['trialId'])), 'enrolled-site');
        break;
      }
      case 'SubjectEnrolled': {
        const id = extraIds.subject(String(d['subjectId']));
        node('entity', id, 'subject', `subject ${String(d['subjectId'])}`, { pseudonym: true });
        rel('wasAttributedTo', id, lineageIds.site(String(d['siteId'])));
        break;
      }
      case 'ImagingProtocolDefined': {
        const id = extraIds.protocol(String(d['trialId']), String(d['protocolId']));
        node('entity', id, 'protocol', `protocol ${String(d['protocolId'])} (${String(d['modality'])})`, { modality: s(d, 'modality'), fieldStrengthT: n(d, 'fieldStrengthT') });
        rel('wasDerivedFrom', id, extraIds.trial(String(d['trialId'])));
        break;
      }
      case 'ImageAcquired': {
        const image = lineageIds.image(String(d['imageId']));
        const scanner = (d['scanner'] ?? {}) as Data;
        node('entity', image, 'image', `${String(d['modality'])} ${String(d['imageId'])}`, {
          modality: s(d, 'modality'),
          sha256: s(d, 'artifactSha256'),
          scanner: [s(scanner, 'vendor'), s(scanner, 'model')].filter(Boolean).join(' ') || null,
          fieldStrengthT: n(d, 'fieldStrengthT'),
        });
        if (s(d, 'artifactSha256')) this.byHash.set(s(d, 'artifactSha256')!, image);
        const act = activity('acquisition', `acquisition of ${String(d['imageId'])}`);
        rel('wasGeneratedBy', image, act);
        const site = lineageIds.site(String(d['siteId']));
        rel('wasAssociatedWith', act, site, 'site');
        rel('wasAttributedTo', image, site);
        rel('used', act, extraIds.subject(String(d['subjectId'])), 'subject');
        if (s(d, 'protocolId')) rel('used', act, extraIds.protocol(String(d['trialId']), String(d['protocolId'])), 'protocol');
        break;
      }
      case 'ProtocolDeviationDetected': {
        const act = activity('protocol-deviation', `protocol deviation of ${String(d['imageId'])}`);
        rel('used', act, lineageIds.image(String(d['imageId'])), 'deviating-image');
        break;
      }
      case 'PreprocessingApplied': {
        const imageId = String(d['imageId']);
        const output = lineageIds.preprocessed(imageId, String(d['stepId']));
        const input = entityByHash(s(d, 'inputSha256'), lineageIds.image(imageId));
        node('entity', output, 'preprocessed-image', `${s(d, 'tool') ?? 'preprocessing'} output of ${imageId}`, { sha256: s(d, 'outputSha256') });
        if (s(d, 'outputSha256')) this.byHash.set(s(d, 'outputSha256')!, output);
        const act = activity('preprocessing', `${s(d, 'tool') ?? 'preprocessing'} ${String(d['stepId'])}`, { name: s(d, 'tool'), version: s(d, 'toolVersion') });
        rel('used', act, input, 'input');
        rel('wasGeneratedBy', output, act);
        rel('wasDerivedFrom', output, input);
        break;
      }
      case 'SegmentationCreated': {
        const mask = lineageIds.mask(String(d['versionId']));
        const input = entityByHash(s(d, 'imageSha256'), lineageIds.image(String(d['imageId'])));
        node('entity', mask, 'mask-version', `${s(d, 'region') ?? 'mask'} ${String(d['versionId'])}`, {
          sha256: s(d, 'maskSha256'),
          method: s(d, 'method'),
          region: s(d, 'region'),
          volumeMm3: n(d, 'volumeMm3'),
        });
        const act = activity('segmentation', `segmentation ${String(d['versionId'])}`, { name: s(d, 'tool'), version: s(d, 'toolVersion') });
        rel('used', act, input, 'image');
        rel('wasGeneratedBy', mask, act);
        rel('wasDerivedFrom', mask, input);
        break;
      }
      case 'SegmentationEdited': {
        const mask = lineageIds.mask(String(d['versionId']));
        const parent = lineageIds.mask(String(d['parentVersionId']));
        node('entity', mask, 'mask-version', `edit ${String(d['versionId'])}`, {
          sha256: s(d, 'maskSha256'),
          reason: s(d, 'reason'),
          diceVsParent: n(d, 'diceVsParent'),
          volumeChangeMm3: n(d, 'volumeChangeMm3'),
        });
        const act = activity('segmentation-edit', `edit ${String(d['versionId'])}`, { name: s(d, 'tool'), version: s(d, 'toolVersion') });
        rel('used', act, parent, 'parent');
        rel('wasGeneratedBy', mask, act);
        rel('wasRevisionOf', mask, parent);
        break;
      }
      case 'SegmentationReviewed': {
        const act = activity('segmentation-review', `review ${String(d['versionId'])}: ${s(d, 'verdict') ?? ''}`);
        rel('used', act, lineageIds.mask(String(d['versionId'])), s(d, 'verdict'));
        break;
      }
      case 'FeaturesComputed': {
        const fs = lineageIds.featureSet(String(d['featureSetId']));
        const extractor = (d['extractor'] ?? {}) as Data;
        node('entity', fs, 'feature-set', `feature set ${String(d['featureSetId'])}`, {
          sha256: s(d, 'resultSha256'),
          modality: s(d, 'modality'),
          featureCount: Object.keys((d['features'] ?? {}) as Data).length,
          reproducible: d['reproducible'] === true,
          attested: d['attested'] === true,
        });
        const act = activity('feature-extraction', `extraction ${String(d['featureSetId'])}`, { name: s(extractor, 'name'), version: s(extractor, 'version') });
        const image = entityByHash(s(d, 'imageSha256'), lineageIds.image(String(d['imageId'])));
        const mask = lineageIds.mask(String(d['maskVersionId']));
        rel('used', act, image, 'image');
        rel('used', act, mask, 'mask');
        rel('wasGeneratedBy', fs, act);
        rel('wasDerivedFrom', fs, image);
        rel('wasDerivedFrom', fs, mask);
        break;
      }
      case 'FeatureSetPartitionAssigned': {
        const act = activity('partition-assignment', `${String(d['featureSetId'])} → ${String(d['partition'])}`);
        rel('used', act, lineageIds.featureSet(String(d['featureSetId'])), s(d, 'partition'));
        break;
      }
      case 'ModelRegistered': {
        const model = lineageIds.model(String(d['modelId']), String(d['version']));
        node('entity', model, 'model-version', `${String(d['modelId'])} ${String(d['version'])}`, { sha256: s(d, 'artifactSha256'), intendedUse: s(d, 'intendedUse') });
        const act = activity('model-registration', `registration of ${String(d['modelId'])} ${String(d['version'])}`);
        rel('wasGeneratedBy', model, act);
        const lineage = (d['trainingLineage'] ?? {}) as { featureSetIds?: unknown };
        for (const f of Array.isArray(lineage.featureSetIds) ? lineage.featureSetIds : []) {
          rel('used', act, lineageIds.featureSet(String(f)), 'training-data');
          rel('wasDerivedFrom', model, lineageIds.featureSet(String(f)), 'training-data');
        }
        break;
      }
      case 'ChangeControlPlanRecorded': {
        const id = extraIds.plan(String(d['modelId']), String(d['planId']));
        node('entity', id, 'change-control-plan', `PCCP ${String(d['planId'])}`, { whatMayChange: s(d, 'whatMayChange') });
        rel('wasGeneratedBy', id, activity('change-control-plan', `PCCP ${String(d['planId'])} of ${String(d['modelId'])}`));
        break;
      }
      case 'ModelValidationRecorded': {
        const act = activity('model-validation', `validation ${String(d['validationId'])} of ${String(d['modelId'])} ${String(d['version'])}`);
        rel('used', act, lineageIds.model(String(d['modelId']), String(d['version'])), 'validated-version');
        rel('used', act, extraIds.plan(String(d['modelId']), String(d['planId'])), 'plan');
        break;
      }
      case 'ModelLocked': {
        const act = activity('model-lock', `lock of ${String(d['modelId'])} ${String(d['version'])} for ${String(d['trialId'])}`);
        rel('used', act, lineageIds.model(String(d['modelId']), String(d['version'])), 'locked-version');
        break;
      }
      case 'ModelRetired': {
        const act = activity('model-lock', `retirement of ${String(d['modelId'])} ${String(d['version'])}`);
        rel('used', act, lineageIds.model(String(d['modelId']), String(d['version'])), 'retired-version');
        break;
      }
      case 'ModelDecisionMade': {
        const decision = lineageIds.decision(String(d['decisionId']));
        node('entity', decision, 'decision', `decision ${String(d['decisionId'])}: ${s(d, 'decision') ?? ''}`, {
          decision: s(d, 'decision'),
          threshold: n(d, 'threshold'),
          modelSha256: s(d, 'modelSha256'),
        });
        const act = activity('inference', `inference ${String(d['decisionId'])}`, { name: event.meta.client, version: null });
        rel('used', act, lineageIds.model(String(d['modelId']), String(d['modelVersion'])), 'model');
        rel('used', act, lineageIds.featureSet(String(d['featureSetId'])), 'features');
        rel('wasDerivedFrom', decision, lineageIds.featureSet(String(d['featureSetId'])));
        rel('wasGeneratedBy', decision, act);
        rel('wasAttributedTo', decision, lineageIds.site(String(d['siteId'])));
        break;
      }
      case 'DecisionOverridden': {
        const act = activity('decision-override', `override of ${String(d['decisionId'])}: ${s(d, 'decision') ?? ''}`);
        rel('used', act, lineageIds.decision(String(d['decisionId'])), 'overridden');
        break;
      }
      case 'RecordSigned': {
        // 21 CFR 11.50: printed name, time and meaning; 11.70: bound to the signed event's hash.
        const act = activity('signature', `${s(d, 'meaning') ?? 'signature'} by ${s(d, 'printedName') ?? ''}`);
        rel('used', act, lineageIds.activity(String(d['eventId'])), s(d, 'meaning'));
        break;
      }
    }
    return out;
  }
}
