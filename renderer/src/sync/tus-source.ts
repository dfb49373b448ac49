/**
 * Feeds tus-js-client from the chunk rows in IndexedDB. tus-js-client's own readers differ by platform
 * (Blob in the browser, Buffer or stream in Node); a custom `fileReader` whose slices are Uint8Arrays works
 * with both of its HTTP stacks (XMLHttpRequest sends a Uint8Array; Node's stack writes it and reads
 * `size` for Content-Length). It also reads only the chunks a request needs, never the whole file.
 */
import type { CounterDatabase, StoredFile } from '../db/database';
import { readFileRange } from '../db/files';

type SizedBytes = Uint8Array & { size: number };

/** What the engine hands to `new Upload(...)`: a reader over the stored file (also usable as a stream). */
export class StoredFileInput {
  private position = 0;

  constructor(
    readonly db: CounterDatabase,
    readonly file: StoredFile,
  ) {}

  /** Sequential reading, chunk by chunk (the shape of a ReadableStreamDefaultReader). */
  async read(): Promise<{ done: true; value: undefined } | { done: false; value: Uint8Array }> {
    if (this.position >= this.file.size) return { done: true, value: undefined };
    const end = Math.min(this.file.size, this.position + this.file.chunkSize);
    const value = await readFileRange(this.db, this.file, this.position, end);
    this.position = end;
    return { done: false, value };
  }
}

export interface TusFileSource {
  readonly size: number;
  slice(start: number, end: number): Promise<{ value: SizedBytes; done: boolean }>;
  close(): void;
}

class StoredFileSource implements TusFileSource {
  readonly size: number;

  constructor(private readonly input: StoredFileInput) {
    this.size = input.file.size;
  }

  async slice(start: number, end: number): Promise<{ value: SizedBytes; done: boolean }> {
    const bytes = await readFileRange(this.input.db, this.input.file, start, end);
    // Node's HTTP stack takes Content-Length from `size`; the browser's ignores it.
    const value = Object.assign(bytes, { size: bytes.byteLength });
    return { value, done: end >= this.size };
  }

  close(): void {}
}

/** The `fileReader` option for tus-js-client's Upload. */
export const storedFileReader = {
  openFile(input: unknown): Promise<TusFileSource> {
    if (input instanceof StoredFileInput) return Promise.resolve(new StoredFileSource(input));
    return Promise.reject(new Error('storedFileReader reads only StoredFileInput'));
  },
};
