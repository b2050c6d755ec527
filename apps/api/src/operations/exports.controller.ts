import { Controller, Get, Inject, Param, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { EXPORT_DOWNLOAD_ROUTE, type Application, type Caller } from '@radledger/application';
import { CurrentCaller, DeclaredRoute } from '../auth/auth.decorators.js';
import { APPLICATION } from '../ledger/ledger.tokens.js';

/**
 * Downloads of stored exports (exportInterop, exportDicomSr) through the signed, expiring link
 * the mutation answered. The application checks the link and that its user still sees what the
 * file holds; every refusal is the same NOT_FOUND.
 */
@Controller('exports')
export class ExportsController {
  constructor(@Inject(APPLICATION) private readonly app: Application) {}

  @Get(':exportId/:sha256')
  @DeclaredRoute('GET /exports/:exportId/:sha256')
  async download(
    @Param('exportId') exportId: string,
    @Param('sha256') sha256: string,
    @Query('user') user: string,
    @Query('expires') expires: string,
    @Query('sig') sig: string,
    @Res() res: Response,
    @CurrentCaller() caller: Caller | undefined,
  ): Promise<void> {
    await this.app.gateway.route(EXPORT_DOWNLOAD_ROUTE, { exportId, sha256, user, expires, sig }, caller);
    const file = await this.app.exports.download({ exportId, sha256, user, expires: Number(expires), sig }, caller);
    res.download(file.path, file.fileName, { headers: { 'content-type': file.mediaType } });
  }
}
