import type { TrialCommand } from '../trial/trial.commands.js';
import type { ImagingCommand } from '../imaging/imaging.commands.js';
import type { SegmentationCommand } from '../segmentation/segmentation.commands.js';
import type { FeaturesCommand } from '../features/features.commands.js';
import type { ModelsCommand } from '../models/models.commands.js';
import type { DecisionsCommand } from '../decisions/decisions.commands.js';
import type { SignaturesCommand } from '../signatures/signatures.commands.js';
import type { AccessCommand } from '../access/access.commands.js';
import type { RedactionCommand } from '../redaction/redaction.commands.js';
import type { AuditReviewCommand } from '../audit-review/audit-review.commands.js';

/** Every command RadLedger accepts, whatever the entry point (GraphQL, CLI, demo). */
export type WorkflowCommand = TrialCommand | ImagingCommand | SegmentationCommand | FeaturesCommand | ModelsCommand | DecisionsCommand | SignaturesCommand | AccessCommand | RedactionCommand | AuditReviewCommand;
export type WorkflowCommandType = WorkflowCommand['type'];
export type CommandData<T extends WorkflowCommandType> = Extract<WorkflowCommand, { type: T }>['data'];
