import { createWriteStream } from 'node:fs';
import { createRequire } from 'node:module';

interface YazlZipFile {
  addBuffer(buffer: Buffer, name: string, options?: { mtime?: Date; mode?: number }): void;
  end(): void;
  outputStream: NodeJS.ReadableStream;
}

// yazl is CommonJS without type declarations; this is the part of its API we use.
const yazl = createRequire(import.meta.url)('yazl') as { ZipFile: new () => YazlZipFile };

/**
 * Writes a zip of `entries` (forward-slash names, in the order given). A fixed date and mode keep the zip
 * byte-identical between two builds of the same inputs, whichever machine or file system built them.
 */
export function writeZip(zipPath: string, entries: Iterable<[string, Buffer]>): Promise<void> {
  const zip = new yazl.ZipFile();
  const mtime = new Date('2020-01-01T00:00:00Z');
  for (const [name, buffer] of entries) zip.addBuffer(buffer, name, { mtime, mode: 0o100644 });
  zip.end();
  return new Promise((resolvePromise, reject) => {
    const output = createWriteStream(zipPath);
    output.on('close', () => resolvePromise());
    output.on('error', reject);
    zip.outputStream.on('error', reject);
    zip.outputStream.pipe(output);
  });
}
