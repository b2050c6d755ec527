import { Controller, Get, Inject, Param, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import type { Application, Caller } from '@radledger/application';
import { NotFoundError } from '@radledger/platform';
import { CurrentCaller, DeclaredRoute } from '../auth/auth.decorators.js';
import { APPLICATION } from '../ledger/ledger.tokens.js';

/** Dossier downloads through the signed, expiring link `exportDossier` answered (the link is the authorisation). */
@Controller('dossiers')
export class DossiersController {
  constructor(@Inject(APPLICATION) private readonly app: Application) {}

  @Get(':name')
  @DeclaredRoute('GET /dossiers/:name')
  async download(
    @Param('name') name: string,
    @Query('user') user: string,
    @Query('expires') expires: string,
    @Query('sig') sig: string,
    @Res() res: Response,
    @CurrentCaller() caller: Caller | undefined,
  ): Promise<void> {
    await this.app.gateway.route('GET /dossiers/:name', { name, user, expires, sig }, caller);
    const path = this.app.dossiers.resolveDownload(name, user, Number(expires), sig);
    // One answer for a wrong, expired or foreign link: nothing about which it was.
    if (!path) throw new NotFoundError('dossier: no such download (the link is wrong, expired, or not yours)');
    res.download(path, name);
  }
}
