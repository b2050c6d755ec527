import type { EventStore } from '@radledger/ledger';
import { streamIds, type WorkflowCommand } from '@radledger/domain';

export interface CommandScope {
  trialId?: string;
  siteId?: string;
}

/**
 * The trial and site a command acts on, for scoping site operators to their own sites.
 * Commands that name only an aggregate (an image, a segmentation, a feature set, a decision)
 * are traced back through the aggregate's first event to its acquisition.
 */
export async function resolveCommandScope(store: EventStore, command: WorkflowCommand): Promise<CommandScope> {
  const data = command.data as Record<string, unknown>;
  const scope: CommandScope = {};
  if (typeof data.trialId === 'string') scope.trialId = data.trialId;
  if (typeof data.siteId === 'string') scope.siteId = data.siteId;
  if (scope.siteId !== undefined) return scope;

  const firstData = async (streamId: string): Promise<Record<string, unknown> | undefined> => {
    const [first] = await store.readStream(streamId);
    return first?.data as Record<string, unknown> | undefined;
  };
  let imageId = typeof data.imageId === 'string' ? data.imageId : undefined;
  if (!imageId && typeof data.segmentationId === 'string') {
    imageId = (await firstData(streamIds.segmentation(data.segmentationId)))?.imageId as string | undefined;
  }
  const fromFeatureSet = typeof data.featureSetId === 'string' ? await firstData(streamIds.featureSet(data.featureSetId)) : undefined;
  const fromDecision = !fromFeatureSet && typeof data.decisionId === 'string' ? await firstData(streamIds.decision(data.decisionId)) : undefined;
  const traced = fromFeatureSet ?? fromDecision;
  if (traced) {
    return { trialId: (traced.trialId as string | undefined) ?? scope.trialId, siteId: traced.siteId as string | undefined };
  }
  if (imageId) {
    const acquisition = await firstData(streamIds.image(imageId));
    if (acquisition) return { trialId: acquisition.trialId as string | undefined, siteId: acquisition.siteId as string | undefined };
  }
  return scope;
}
