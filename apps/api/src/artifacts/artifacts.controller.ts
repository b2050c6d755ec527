import { Controller, Get, Inject, Param, Post, Query, Req, Res } from '@nestjs/common';
import type { Application, Caller } from '@radledger/application';
import type { Request, Response } from 'express';
import multer from 'multer';
import type { ArtifactStore } from '@radledger/artifacts';
import { assertSha256Hex } from '@radledger/artifacts';
import { ValidationError } from '@radledger/platform';
import type { AppConfig } from '../config/app.config.js';
import { CurrentCaller, DeclaredRoute } from '../auth/auth.decorators.js';
import { APP_CONFIG, APPLICATION, ARTIFACT_STORE } from '../ledger/ledger.tokens.js';
import { parseArtifactKind, takeInArtifact } from './artifact-intake.js';

/**
 * Binary artifacts (images, masks, ONNX models) go in here, not through GraphQL: the answer is
 * the sha256 that the mutations then name. Raw bodies (any content type but multipart) and
 * multipart/form-data (field `file`) are both accepted, up to RADLEDGER_MAX_UPLOAD_BYTES.
 */
@Controller('artifacts')
export class ArtifactsController {
  constructor(
    @Inject(ARTIFACT_STORE) private readonly artifacts: ArtifactStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(APPLICATION) private readonly app: Application,
  ) {}

  @Post()
  @DeclaredRoute('POST /artifacts')
  async upload(@Req() req: Request, @Query('kind') kindParam: unknown, @CurrentCaller() caller: Caller | undefined) {
    await this.app.gateway.route('POST /artifacts', {}, caller);
    const kind = parseArtifactKind(kindParam);
    const body = req.is('multipart/form-data') ? await this.readMultipart(req) : await this.readRaw(req);
    const intake = await takeInArtifact(body, kind, this.config.imageLimits);
    const stored = await this.artifacts.put(intake.bytes, { maxBytes: this.config.maxUploadBytes });
    return {
      sha256: stored.sha256,
      size: stored.size,
      created: stored.created,
      format: intake.format,
      ...(intake.dicom ? { dicom: intake.dicom } : {}),
      ...(intake.model ? { model: intake.model } : {}),
      ...(intake.reference ? { reference: intake.reference } : {}),
    };
  }

  /** Downloads an artifact (re-hashed on read by the store). */
  @Get(':sha256')
  @DeclaredRoute('GET /artifacts/:sha256')
  async download(@Param('sha256') sha256: string, @Res() res: Response, @CurrentCaller() caller: Caller | undefined) {
    assertSha256Hex(sha256, 'sha256');
    // Only within the trials and sites of the records that name these bytes.
    await this.app.gateway.route('GET /artifacts/:sha256', { sha256 }, caller);
    const bytes = await this.artifacts.get(sha256);
    res.setHeader('content-type', 'application/octet-stream');
    res.setHeader('x-content-sha256', sha256);
    res.send(bytes);
  }

  private async readRaw(req: Request): Promise<Uint8Array> {
    const limit = this.config.maxUploadBytes;
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > limit) throw tooLarge(limit, declared);
    const chunks: Buffer[] = [];
    let total = 0;
    for await (const chunk of req as AsyncIterable<Buffer>) {
      total += chunk.length;
      if (total > limit) throw tooLarge(limit, total);
      chunks.push(chunk);
    }
    return Buffer.concat(chunks, total);
  }

  private readMultipart(req: Request): Promise<Uint8Array> {
    const parse = multer({ storage: multer.memoryStorage(), limits: { fileSize: this.config.maxUploadBytes, files: 1, fields: 4 } }).single('file');
    return new Promise((resolve, reject) => {
      parse(req, {} as Response, (error: unknown) => {
        if (error) {
          const code = (error as { code?: string }).code;
          if (code === 'LIMIT_FILE_SIZE') reject(tooLarge(this.config.maxUploadBytes, this.config.maxUploadBytes + 1));
          else reject(new ValidationError('UPLOAD_INVALID', `file: ${(error as Error).message}`, { field: 'file' }));
          return;
        }
        const file = (req as Request & { file?: { buffer: Buffer } }).file;
        if (!file) reject(new ValidationError('UPLOAD_INVALID', 'file: multipart upload has no field named "file"', { field: 'file' }));
        else resolve(file.buffer);
      });
    });
  }
}

function tooLarge(maxBytes: number, received: number): ValidationError {
  return new ValidationError('ARTIFACT_TOO_LARGE', `body: expected at most ${maxBytes} bytes, received at least ${received}`, { field: 'body', maxBytes });
}
