import { Field, Float, Int, ObjectType } from '@nestjs/graphql';
import { LINEAGE_DIRECTIONS, PROV_FORMATS } from '@radledger/domain';
import { graphqlEnum } from '../graphql/graphql-types.js';

@ObjectType({ description: 'The ledger event that recorded a fact: check it with inclusionProof(eventId).' })
export class LedgerEventRefModel {
  @Field(() => String) eventId!: string;
  @Field(() => String) type!: string;
  @Field(() => String) hash!: string;
  @Field(() => Int) globalPosition!: number;
  @Field(() => String, { nullable: true }) recordedAt!: string | null;
}

@ObjectType('LineageNode', { description: 'A W3C PROV entity, activity or agent.' })
export class LineageNodeModel {
  @Field(() => String) id!: string;
  @Field(() => String, { description: 'entity | activity | agent' }) kind!: string;
  @Field(() => String, { description: 'image, preprocessed-image, mask-version, feature-set, model-version, decision, an activity type, user, site or software' })
  type!: string;
  @Field(() => String, { nullable: true, description: 'The domain id the node stands for.' }) refId!: string | null;
  @Field(() => String, { nullable: true }) label!: string | null;
  @Field(() => String, { nullable: true }) trialId!: string | null;
  @Field(() => String, { nullable: true }) siteId!: string | null;
  @Field(() => String, { nullable: true }) subjectId!: string | null;
  @Field(() => String, { description: 'Attributes as JSON text (hashes, modality, method, Dice…).' }) attributesJson!: string;
  @Field(() => Int) depth!: number;
  @Field(() => LedgerEventRefModel) createdBy!: LedgerEventRefModel;
}

@ObjectType('LineageEdge', { description: 'A PROV relation from the dependent node to what it depends on.' })
export class LineageEdgeModel {
  @Field(() => String) id!: string;
  @Field(() => String, { description: 'used | wasGeneratedBy | wasDerivedFrom | wasRevisionOf | wasAssociatedWith | wasAttributedTo | actedOnBehalfOf' })
  relation!: string;
  @Field(() => String) from!: string;
  @Field(() => String) to!: string;
  @Field(() => String, { nullable: true }) role!: string | null;
  @Field(() => LedgerEventRefModel) createdBy!: LedgerEventRefModel;
}

@ObjectType('LineageGraph')
export class LineageGraphModel {
  @Field(() => LineageNodeModel) root!: LineageNodeModel;
  @Field(() => graphqlEnum('LineageDirection', LINEAGE_DIRECTIONS)) direction!: string;
  @Field(() => Int) maxDepth!: number;
  @Field(() => Int, { description: 'Every node and edge was recorded at or before this position.' }) asOfPosition!: number;
  @Field(() => [LineageNodeModel]) nodes!: LineageNodeModel[];
  @Field(() => [LineageEdgeModel]) edges!: LineageEdgeModel[];
  @Field(() => Boolean, { description: 'False when anything was left out: depth or size limit reached, unresolved nodes, or the read model behind the requested position.' })
  complete!: boolean;
  @Field(() => Int, { nullable: true }) truncatedAtDepth!: number | null;
  @Field(() => [String]) unresolvedNodeIds!: string[];
  @Field(() => Int) projectedThrough!: number;
}

@ObjectType('ProvDocument')
export class ProvDocumentModel {
  @Field(() => graphqlEnum('ProvFormat', PROV_FORMATS)) format!: string;
  @Field(() => String) mediaType!: string;
  @Field(() => String, { description: 'The document as JSON text.' }) document!: string;
  @Field(() => Boolean) complete!: boolean;
  @Field(() => Int, { nullable: true }) truncatedAtDepth!: number | null;
  @Field(() => Int) asOfPosition!: number;
}

@ObjectType('SignatureView', { description: '21 CFR 11.50: printed name, time and meaning, bound to the signed event hash (11.70).' })
export class SignatureModel {
  @Field(() => String) signatureId!: string;
  @Field(() => String, { nullable: true }) signerId!: string | null;
  @Field(() => String, { nullable: true }) printedName!: string | null;
  @Field(() => String, { nullable: true }) meaning!: string | null;
  @Field(() => String, { nullable: true }) signedAt!: string | null;
  @Field(() => String, { nullable: true }) signedEventId!: string | null;
  @Field(() => String, { nullable: true }) signedEventType!: string | null;
  @Field(() => String, { nullable: true }) signedEventHash!: string | null;
  @Field(() => LedgerEventRefModel) recordedBy!: LedgerEventRefModel;
}

@ObjectType('PersonView')
export class PersonModel {
  @Field(() => String) userId!: string;
  @Field(() => String, { nullable: true }) printedName!: string | null;
}

@ObjectType('SiteView')
export class SiteModel {
  @Field(() => String) siteId!: string;
  @Field(() => String, { nullable: true }) name!: string | null;
}

@ObjectType('DecisionModelCheck', { description: 'The model version behind a decision, compared with the version locked for the trial when it was made.' })
export class DecisionModelCheckModel {
  @Field(() => String, { nullable: true }) modelId!: string | null;
  @Field(() => String, { nullable: true }) version!: string | null;
  @Field(() => String, { nullable: true, description: 'Hash verified at inference time, as recorded.' }) sha256!: string | null;
  @Field(() => String, { nullable: true }) registeredSha256!: string | null;
  @Field(() => String, { nullable: true }) lockedVersion!: string | null;
  @Field(() => String, { nullable: true }) lockedSha256!: string | null;
  @Field(() => Boolean) lockedVersionMatches!: boolean;
  @Field(() => Boolean) hashMatchesLock!: boolean;
  @Field(() => [String]) complianceIssues!: string[];
}

@ObjectType('DecisionOverride')
export class DecisionOverrideModel {
  @Field(() => String, { nullable: true }) decision!: string | null;
  @Field(() => String, { nullable: true }) reason!: string | null;
  @Field(() => String, { nullable: true }) by!: string | null;
  @Field(() => String, { nullable: true }) at!: string | null;
}

@ObjectType('FeatureContribution', { description: "One input's share of the model output (its Shapley value)." })
export class FeatureContributionModel {
  @Field(() => String, { description: 'IBSI code of the input.' }) featureCode!: string;
  @Field(() => Float, { description: 'The input value the model read (float32).' }) value!: number;
  @Field(() => Float, { description: 'How far this input moved the output from the expected value, in outputSpace.' }) contribution!: number;
}

@ObjectType('ExplanationReference', { description: 'The reference data (an artifact) the baseline and node covers come from.' })
export class ExplanationReferenceModel {
  @Field(() => String) sha256!: string;
  @Field(() => Int) rows!: number;
}

@ObjectType('DecisionExplanation', {
  description: 'Exact additive explanation of a decision, computed from the locked bytes: Σ contributions = modelOutput − expectedValue (ADR 0010, 0017).',
})
export class DecisionExplanationModel {
  @Field(() => String, { description: 'linear-exact | tree-shap-path-dependent' }) method!: string;
  @Field(() => String, { description: 'log-odds (logistic model, two-class SOFTMAX trees) or raw' }) outputSpace!: string;
  @Field(() => Float, { description: 'E[f] over the reference, in outputSpace.' }) expectedValue!: number;
  @Field(() => Float, { description: 'f(x) in outputSpace.' }) modelOutput!: number;
  @Field(() => [FeatureContributionModel]) contributions!: FeatureContributionModel[];
  @Field(() => ExplanationReferenceModel) reference!: ExplanationReferenceModel;
  @Field(() => Float, { description: '|Σ contributions − (modelOutput − expectedValue)|' }) additivityError!: number;
}

@ObjectType('DecisionView')
export class DecisionModel {
  @Field(() => String) decisionId!: string;
  @Field(() => String, { nullable: true }) trialId!: string | null;
  @Field(() => String, { nullable: true }) siteId!: string | null;
  @Field(() => String, { nullable: true }) subjectId!: string | null;
  @Field(() => String, { nullable: true }) decision!: string | null;
  @Field(() => String, { nullable: true }) currentDecision!: string | null;
  @Field(() => String, { description: 'Model outputs as JSON text.' }) outputsJson!: string;
  @Field(() => Float, { nullable: true }) threshold!: number | null;
  @Field(() => DecisionExplanationModel, { nullable: true, description: 'Recorded with the decision; null when the model version registered no explanation reference.' })
  explanation!: DecisionExplanationModel | null;
  @Field(() => PersonModel, { nullable: true }) madeBy!: PersonModel | null;
  @Field(() => String, { nullable: true }) madeAt!: string | null;
  @Field(() => LedgerEventRefModel) event!: LedgerEventRefModel;
  @Field(() => DecisionOverrideModel, { nullable: true }) override!: DecisionOverrideModel | null;
  @Field(() => DecisionModelCheckModel) model!: DecisionModelCheckModel;
  @Field(() => LineageNodeModel, { nullable: true }) featureSet!: LineageNodeModel | null;
  @Field(() => [LineageNodeModel]) masks!: LineageNodeModel[];
  @Field(() => [LineageNodeModel]) images!: LineageNodeModel[];
  @Field(() => [LineageNodeModel]) preprocessing!: LineageNodeModel[];
  @Field(() => [SiteModel]) sites!: SiteModel[];
  @Field(() => [PersonModel]) people!: PersonModel[];
  @Field(() => [LineageNodeModel]) software!: LineageNodeModel[];
  @Field(() => [SignatureModel]) signatures!: SignatureModel[];
  @Field(() => LineageGraphModel) lineage!: LineageGraphModel;
}
