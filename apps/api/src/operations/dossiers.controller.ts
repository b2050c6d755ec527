import { Controller, Get, Inject, Param, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { DOSSIER_DOWNLOAD_ROUTE, type Application, type Caller } from '@radledger/application';
import { CurrentCaller, DeclaredRoute } from '../auth/auth.decorators.js';
import { APPLICATION } from '../ledger/ledger.tokens.js';

/**
 * Dossier downloads through the signed, expiring link `exportDossier` answered. The application
 * checks the link and that its user may still export the trial's dossier; every refusal is the
 * same NOT_FOUND.
 */
@Controller('dossiers')
export class DossiersController {
  constructor(@Inject(APPLICATION) private readonly app: Application) {}

  @Get(':name')
  @DeclaredRoute('GET /dossiers/:name')
  async download(
    @Param('name') name: string,
    @Query('trial') trial: string,
    @Query('user') user: string,
    @Query('expires') expires: string,
    @Query('sig') sig: string,
    @Res() res: Response,
    @CurrentCaller() caller: Caller | undefined,
  ): Promise<void> {
    await this.app.gateway.route(DOSSIER_DOWNLOAD_ROUTE, { name, trial, user, expires, sig }, caller);
    const file = await this.app.dossiers.download({ name, trial, user, expires: Number(expires), sig }, caller);
    res.download(file.path, file.fileName);
  }
}
