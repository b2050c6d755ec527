import { Inject } from '@nestjs/common';
import { Args, Mutation, Resolver } from '@nestjs/graphql';
import { holdsRole, type Actor } from '../auth/actor.js';
import { CurrentActor, Roles } from '../auth/auth.decorators.js';
import { AuthorizationError } from '../auth/auth.errors.js';
import { AccessDenialRecorder } from '../auth/access-denial.recorder.js';
import { DossierExportModel } from './dossier-export.model.js';
import { DossierExportService } from './dossier-export.service.js';

const DOSSIER_ROLES = ['regulatory', 'qa'] as const;

@Resolver()
export class DossierResolver {
  constructor(
    @Inject(DossierExportService) private readonly dossiers: DossierExportService,
    @Inject(AccessDenialRecorder) private readonly denials: AccessDenialRecorder,
  ) {}

  @Roles(...DOSSIER_ROLES)
  @Mutation(() => DossierExportModel, {
    description:
      "Export the regulatory dossier of a trial's decisions (optionally one model version: <version>, <modelId>@<version>) as a .zip on the server, and verify it offline. Errors: DOSSIER_EMPTY (no decisions in scope), DOSSIER_LEDGER_INVALID, DOSSIER_CHECKPOINT_INVALID.",
  })
  async exportDossier(
    @Args('trialId') trialId: string,
    @Args('modelVersion', { type: () => String, nullable: true }) modelVersion: string | null,
    @CurrentActor() actor: Actor,
  ): Promise<DossierExportModel> {
    // A grant scoped to one trial exports that trial only (21 CFR 11.10(d)).
    if (!holdsRole(actor, DOSSIER_ROLES, { trialId })) {
      await this.denials.record(actor, 'exportDossier', 'SCOPE_MISSING');
      throw new AuthorizationError(`exportDossier: needs one of ${DOSSIER_ROLES.join(', ')} for trial ${trialId}`, { trialId });
    }
    return this.dossiers.export(trialId, modelVersion ?? undefined);
  }
}
