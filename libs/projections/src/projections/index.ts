import type { Projection } from '../projection.js';
import { auditTrailProjection } from './audit-trail.projection.js';
import { lineageProjection } from './lineage.projection.js';
import { monitoringProjection } from './monitoring.projection.js';
import { scienceProjection } from './science.projection.js';

/** Every read model the API serves, in the order the runner feeds them. */
export const readModelProjections: readonly Projection[] = [lineageProjection, auditTrailProjection, monitoringProjection, scienceProjection];
