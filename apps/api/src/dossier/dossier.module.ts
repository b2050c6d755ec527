import { Module } from '@nestjs/common';
import { DossierExportService } from './dossier-export.service.js';
import { DossierResolver } from './dossier.resolver.js';

/** The regulatory dossier over GraphQL (`exportDossier`); the bundle and its verifier live in libs/dossier. */
@Module({ providers: [DossierExportService, DossierResolver] })
export class DossierModule {}
