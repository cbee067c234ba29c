import { readFile } from 'node:fs/promises';
import yauzl from 'yauzl';

/** Separator between an archive's path and a member's path in the index (`/data/batch.zip!/img/1.dcm`). */
export const ZIP_MEMBER_SEPARATOR = '!/';

/** Reads the bytes of an indexed file: a file on disk or a member of a .zip archive. */
export async function readIndexedFile(path: string): Promise<Uint8Array> {
  const cut = path.indexOf(`.zip${ZIP_MEMBER_SEPARATOR}`);
  if (cut < 0) return readFile(path);
  const archive = path.slice(0, cut + 4);
  const member = path.slice(cut + 4 + ZIP_MEMBER_SEPARATOR.length);
  return readZipMember(archive, member);
}

function readZipMember(archive: string, member: string): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    yauzl.open(archive, { lazyEntries: true, autoClose: true }, (err, zip) => {
      if (err || !zip) return reject(err ?? new Error(`${archive}: cannot open`));
      let found = false;
      zip.on('entry', (entry: yauzl.Entry) => {
        if (entry.fileName !== member) return zip.readEntry();
        found = true;
        zip.openReadStream(entry, (e, stream) => {
          if (e || !stream) return reject(e ?? new Error(`${archive}: cannot read ${member}`));
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.once('end', () => {
            zip.close();
            resolve(Buffer.concat(chunks));
          });
          stream.once('error', reject);
        });
      });
      zip.once('end', () => {
        if (!found) reject(new Error(`${archive}: no member ${member}`));
      });
      zip.once('error', reject);
      zip.readEntry();
    });
  });
}
