import { Controller, Get, Inject, Param, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { AccessControl, type Application, type Caller } from '@radledger/application';
import { operationsByField, type Role } from '@radledger/domain';
import { NotFoundError } from '@radledger/platform';
import { CurrentCaller, DeclaredRoute } from '../auth/auth.decorators.js';
import { APPLICATION } from '../ledger/ledger.tokens.js';

/** One answer for a wrong, expired, foreign or no-longer-authorised link: nothing about which it was. */
const NO_SUCH_DOWNLOAD = 'dossier: no such download (the link is wrong, expired, or not yours)';

/**
 * Dossier downloads through the signed, expiring link `exportDossier` answered. The link names
 * its user and trial (HMAC); at download time that user must still hold a grant that may export
 * the trial's dossier (exportDossier's roles and scope, a refusal recorded as AccessDenied), and a
 * bearer token, when the browser sends one, must be that user's.
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
    await this.app.gateway.route('GET /dossiers/:name', { name, trial, user, expires, sig }, caller);
    const path = this.app.dossiers.resolveDownload(name, trial, user, Number(expires), sig);
    if (!path || (caller && caller.userId !== user)) throw new NotFoundError(NO_SUCH_DOWNLOAD);
    const account = await this.app.identity.user(user);
    if (!account || account.locked) throw new NotFoundError(NO_SUCH_DOWNLOAD);
    // exportDossier's roles reaching this trial now (no rate-limit token taken: downloading is not exporting).
    const roles = operationsByField.get('exportDossier')!.access.roles as readonly Role[];
    if (!roles.some((role) => AccessControl.reaches(account.grants, role, { trialIds: [trial] }, false))) {
      const linkUser: Caller = { userId: account.userId, printedName: account.printedName, grants: account.grants, authMethod: 'session', issuedAt: new Date() };
      await this.app.identity.record(linkUser, 'GET /dossiers/:name', 'SCOPE_MISSING');
      throw new NotFoundError(NO_SUCH_DOWNLOAD);
    }
    res.download(path, name);
  }
}
