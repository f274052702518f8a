import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { z } from 'zod';
import { invalidRequest, notFound, ServeError, unixSeconds } from './http.ts';
import { limitedBody } from './limits.ts';

export interface StoredFile {
  id: string;
  object: 'file';
  bytes: number;
  created_at: number;
  filename: string;
  purpose: string;
  status: 'processed';
}

export interface UploadedFile extends StoredFile {
  /** Where the content lies on disk (trainers read datasets from a path); it is not kept in memory. */
  path: string;
}

const UploadFields = z.object({
  purpose: z.string().min(1, 'purpose is required'),
});

/** Uploaded files, kept on disk under `dir` and described in memory. */
export class FileStore {
  readonly #dir: string;
  readonly #maxBytes: number;
  readonly #files = new Map<string, UploadedFile>();

  /** `maxBytes` bounds a whole upload request, as it bounds every other request body. */
  constructor(dir: string, maxBytes: number) {
    this.#dir = dir;
    this.#maxBytes = maxBytes;
  }

  /** Parses a `multipart/form-data` upload (fields `file` and `purpose`), as `POST /v1/files` receives it. */
  async upload(request: IncomingMessage, url: URL): Promise<StoredFile> {
    const contentType = request.headers['content-type'] ?? '';
    if (!contentType.startsWith('multipart/form-data')) throw invalidRequest('POST /v1/files expects multipart/form-data with fields "file" and "purpose"');
    // The platform's fetch Request already parses multipart bodies, so no parser of our own is needed.
    const body = limitedBody(request, this.#maxBytes);
    let tooLarge: ServeError | undefined;
    body.on('error', (error) => {
      if (error instanceof ServeError) tooLarge = error;
    });
    const web = new Request(url, {
      method: 'POST',
      headers: { 'content-type': contentType },
      body: Readable.toWeb(body) as ReadableStream,
      duplex: 'half',
    } as RequestInit);
    let form: FormData;
    try {
      form = await web.formData();
    } catch (error) {
      throw tooLarge ?? invalidRequest(`could not read the multipart body: ${(error as Error).message}`);
    }
    const fields = UploadFields.safeParse({ purpose: form.get('purpose') ?? undefined });
    if (!fields.success) throw invalidRequest('purpose: a "purpose" field is required (e.g. fine-tune)');
    const file = form.get('file');
    if (file === null || typeof file === 'string') throw invalidRequest('file: a "file" field with the file content is required');
    const content = Buffer.from(await file.arrayBuffer());
    const id = `file-${randomBytes(12).toString('hex')}`;
    await mkdir(this.#dir, { recursive: true });
    const path = join(this.#dir, `${id}.jsonl`);
    await writeFile(path, content);
    const stored: UploadedFile = {
      id,
      object: 'file',
      bytes: content.length,
      created_at: unixSeconds(),
      filename: file.name || 'upload.jsonl',
      purpose: fields.data.purpose,
      status: 'processed',
      path,
    };
    this.#files.set(id, stored);
    return describe(stored);
  }

  get(id: string): UploadedFile {
    const file = this.#files.get(id);
    if (!file) throw notFound(`No such File object: ${id}`);
    return file;
  }

  has(id: string): boolean {
    return this.#files.has(id);
  }

  describe(id: string): StoredFile {
    return describe(this.get(id));
  }

  all(): UploadedFile[] {
    return [...this.#files.values()];
  }
}

function describe({ path: _path, ...file }: UploadedFile): StoredFile {
  return file;
}
