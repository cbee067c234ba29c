import { BRIDGE_TOKEN_HEADER } from '../../main/api/transport.js';
import { UPLOAD_PATH, UploadBatchSchema, UploadedFileSchema, type UploadBatch } from '../../main/api/uploads.js';
import { readLaunchToken } from '../transport/index.js';

/** A file to send, with the path it had under what the reader dropped or picked (folders keep their layout). */
export interface UploadItem {
  file: File;
  path: string;
}

export interface UploadProgress {
  filesDone: number;
  files: number;
  bytesSent: number;
  bytes: number;
}

export interface UploadResult {
  batch: UploadBatch;
  uploaded: number;
  failures: { path: string; reason: string }[];
}

/** Whether this page can upload: browser mode (the bridge); Electron imports files where they are. */
export function canUpload(win: Window = window): boolean {
  return !win.cxr;
}

function authHeaders(): Record<string, string> {
  const token = readLaunchToken();
  return token ? { [BRIDGE_TOKEN_HEADER]: token } : {};
}

/** One file's PUT with upload progress (fetch has none for request bodies). */
function put(url: string, file: File, onBytes: (sent: number) => void, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('PUT', url);
    for (const [k, v] of Object.entries(authHeaders())) xhr.setRequestHeader(k, v);
    xhr.setRequestHeader('Content-Type', 'application/octet-stream');
    xhr.upload.onprogress = (e) => onBytes(e.loaded);
    xhr.onload = () => {
      if (xhr.status === 201 && UploadedFileSchema.safeParse(JSON.parse(xhr.responseText || 'null')).success) resolve();
      else reject(new Error(xhr.responseText || `HTTP ${xhr.status}`));
    };
    xhr.onerror = () => reject(new Error('the connection to the workstation was lost'));
    xhr.onabort = () => reject(new Error('cancelled'));
    signal?.addEventListener('abort', () => xhr.abort(), { once: true });
    xhr.send(file);
  });
}

/**
 * Sends the files to the bridge one after another into a new upload batch (main/api/uploads.ts): a file the bridge
 * refuses is reported with its reason and the others go on. Resolves with the batch folder, to be imported.
 */
export async function uploadFiles(items: UploadItem[], onProgress: (p: UploadProgress) => void, signal?: AbortSignal): Promise<UploadResult> {
  const res = await fetch(`${window.location.origin}${UPLOAD_PATH}`, { method: 'POST', headers: authHeaders(), signal });
  if (res.status !== 201) throw new Error(`${(await res.text().catch(() => '')) || `HTTP ${res.status}`}`);
  const batch = UploadBatchSchema.parse(await res.json());
  const bytes = items.reduce((n, i) => n + i.file.size, 0);
  const failures: UploadResult['failures'] = [];
  let before = 0;
  let filesDone = 0;
  for (const item of items) {
    if (signal?.aborted) break;
    if (item.file.size > batch.maxFileBytes) {
      failures.push({ path: item.path, reason: `over the upload limit of ${batch.maxFileBytes} bytes` });
    } else {
      const url = `${window.location.origin}${UPLOAD_PATH}/${batch.batchId}?path=${encodeURIComponent(item.path)}`;
      try {
        await put(url, item.file, (sent) => onProgress({ filesDone, files: items.length, bytesSent: before + sent, bytes }), signal);
      } catch (err) {
        failures.push({ path: item.path, reason: err instanceof Error ? err.message : String(err) });
      }
    }
    before += item.file.size;
    filesDone++;
    onProgress({ filesDone, files: items.length, bytesSent: before, bytes });
  }
  return { batch, uploaded: filesDone - failures.length, failures };
}

/** The files of a drop, folders walked (the File System entries API), each with its path inside what was dropped. */
export async function droppedItems(data: DataTransfer): Promise<UploadItem[]> {
  const entries = [...data.items].map((i) => i.webkitGetAsEntry()).filter((e): e is FileSystemEntry => e !== null);
  if (!entries.length) return [...data.files].map((file) => ({ file, path: file.name }));
  const out: UploadItem[] = [];
  const walk = async (e: FileSystemEntry): Promise<void> => {
    if (e.isFile) {
      const file = await new Promise<File>((ok, fail) => (e as FileSystemFileEntry).file(ok, fail));
      out.push({ file, path: e.fullPath.replace(/^\/+/, '') });
    } else if (e.isDirectory) {
      const reader = (e as FileSystemDirectoryEntry).createReader();
      // readEntries answers in chunks until an empty one.
      for (;;) {
        const chunk = await new Promise<FileSystemEntry[]>((ok, fail) => reader.readEntries(ok, fail));
        if (!chunk.length) break;
        for (const c of chunk) await walk(c);
      }
    }
  };
  for (const e of entries) await walk(e);
  return out;
}

/** The files of a file picker (a folder picker gives each file's path inside the folder). */
export function pickedItems(files: FileList | null): UploadItem[] {
  return [...(files ?? [])].map((file) => ({ file, path: (file as File & { webkitRelativePath?: string }).webkitRelativePath || file.name }));
}
