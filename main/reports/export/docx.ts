import { AlignmentType, Document, Footer, HeadingLevel, ImageRun, Packer, PageNumber, Paragraph, TextRun } from 'docx';
import yauzl from 'yauzl';
import { reportLabels } from '../labels.js';
import { hasAiContent, readerSections, type ReportDocument } from '../model.js';
import { aiBlock, deidLines, formatTimestamp, headerLines, signatureLine } from './text.js';

/** Width and height of a PNG from its IHDR chunk (the DOCX needs the size to place the image). */
export function pngSize(png: Uint8Array): { width: number; height: number } {
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  if (png.byteLength < 24 || view.getUint32(0) !== 0x89504e47) throw new Error('not a PNG image');
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

function thumbnail(png: Uint8Array, caption: string): Paragraph[] {
  const { width, height } = pngSize(png);
  const scale = 220 / Math.max(width, height);
  return [
    new Paragraph({
      children: [new ImageRun({ type: 'png', data: Buffer.from(png), transformation: { width: Math.round(width * scale), height: Math.round(height * scale) }, altText: { name: caption, description: caption, title: caption } })],
    }),
    new Paragraph({ children: [new TextRun({ text: caption, size: 16, italics: true })] }),
  ];
}

/** One entry of a zip file, or null (the DOCX package is a zip; yauzl is the independent reader). */
export async function zipEntry(zip: Buffer, name: string): Promise<Buffer | null> {
  const file = await new Promise<yauzl.ZipFile>((resolve, reject) => yauzl.fromBuffer(zip, { lazyEntries: true }, (err, z) => (err ? reject(err) : resolve(z))));
  return new Promise((resolve, reject) => {
    file.on('entry', (entry: yauzl.Entry) => {
      if (entry.fileName !== name) return file.readEntry();
      file.openReadStream(entry, (err, stream) => {
        if (err) return reject(err);
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          file.close();
          resolve(Buffer.concat(chunks));
        });
      });
    });
    file.on('end', () => resolve(null));
    file.on('error', reject);
    file.readEntry();
  });
}

/** The footer: patient ID and "page n of N" with Word's page fields. */
function footer(doc: ReportDocument): Footer {
  const L = reportLabels(doc.language);
  const [before, afterN] = L.page.split('{n}') as [string, string];
  const [between, after] = afterN.split('{total}') as [string, string];
  return new Footer({
    children: [
      new Paragraph({
        alignment: AlignmentType.RIGHT,
        children: [new TextRun({ text: `${L.patientId}: ${doc.patient.id || '-'}    `, size: 16 }), new TextRun({ children: [before, PageNumber.CURRENT, between, PageNumber.TOTAL_PAGES, after], size: 16 })],
      }),
    ],
  });
}

/**
 * DOCX export (Office Open XML via the `docx` package): the same content as the PDF, as editable paragraphs with
 * headings, AI-derived sections marked, thumbnails when chosen, the generated AI section, signature and addenda, and
 * the patient ID with the page number in every page's footer. The core properties carry the title, the author,
 * "AI-assisted" as keyword when applicable, and created/modified times equal to the export time of the model (so a
 * de-identified copy's metadata is shifted like every other date instead of revealing when it was made).
 */
export async function renderDocx(doc: ReportDocument, options: { includeImages?: boolean } = {}): Promise<Buffer> {
  const L = reportLabels(doc.language);
  const body: Paragraph[] = [
    new Paragraph({ heading: HeadingLevel.TITLE, children: [new TextRun({ text: doc.title })] }),
    new Paragraph({ children: [new TextRun({ text: L.state[doc.state], bold: true, color: doc.state === 'final' ? '1B5E20' : 'B71C1C' })] }),
  ];
  const deid = deidLines(doc);
  for (const [i, line] of deid.entries()) body.push(new Paragraph({ children: [new TextRun({ text: line, italics: true, bold: i === 0, size: i === 0 ? 20 : 16 })] }));
  for (const [k, v] of headerLines(doc)) {
    body.push(new Paragraph({ children: [new TextRun({ text: `${k}: `, bold: true }), new TextRun({ text: v })] }));
  }
  for (const s of readerSections(doc)) {
    body.push(
      new Paragraph({
        heading: HeadingLevel.HEADING_2,
        children: [new TextRun({ text: s.title }), ...(s.aiDerived ? [new TextRun({ text: ` ${L.aiSectionMark}`, color: '6A1B9A', size: 16 })] : [])],
      }),
    );
    for (const line of (s.text.trim() || '-').split('\n')) body.push(new Paragraph({ children: [new TextRun({ text: line })] }));
  }
  if (options.includeImages !== false) {
    for (const img of doc.images) {
      if (img.png) body.push(...thumbnail(img.png, `${L.keyImage}${img.viewPosition ? ` (${img.viewPosition})` : ''}`));
      if (img.heatmapPng) body.push(...thumbnail(img.heatmapPng, `${L.heatmap}${img.heatmapLabel ? `: ${img.heatmapLabel}` : ''}`));
    }
  }
  const ai = aiBlock(doc);
  body.push(new Paragraph({ heading: HeadingLevel.HEADING_2, children: [new TextRun({ text: ai.title, color: '6A1B9A' })] }));
  for (const line of ai.lines) body.push(new Paragraph({ children: [new TextRun({ text: line, size: 18 })] }));
  for (const line of ai.details) body.push(new Paragraph({ children: [new TextRun({ text: line, size: 15 })] }));
  body.push(new Paragraph({ alignment: AlignmentType.LEFT, children: [new TextRun({ text: signatureLine(doc), bold: true })] }));
  for (const a of doc.addenda) {
    body.push(new Paragraph({ heading: HeadingLevel.HEADING_2, children: [new TextRun({ text: `${L.addendum} (${a.author}, ${formatTimestamp(a.createdAt)})` })] }));
    for (const line of a.text.split('\n')) body.push(new Paragraph({ children: [new TextRun({ text: line })] }));
  }
  // Built twice (the second time with the corrected core properties): a Document is consumed by packing.
  const make = () =>
    new Document({
    creator: 'CXR Workstation',
    title: doc.title,
    description: `${doc.title} (${L.state[doc.state]})`,
    keywords: [hasAiContent(doc) ? 'AI-assisted' : '', doc.deidentification ? 'de-identified' : ''].filter(Boolean).join(', '),
    lastModifiedBy: doc.deidentification ? 'READER' : (doc.signedBy ?? doc.author),
    // Calibri is Word's default and covers the accents of the four report languages.
    styles: { default: { document: { run: { font: 'Calibri' } } } },
    sections: [{ children: body, footers: { default: footer(doc) } }],
    });
  // The docx package stamps created/modified with the clock; they are rewritten to the model's export time.
  const first = await Packer.toBuffer(make());
  const core = (await zipEntry(first, 'docProps/core.xml'))?.toString('utf8');
  if (!core) throw new Error('DOCX export: the package has no docProps/core.xml');
  const stamp = new Date(doc.generatedAt).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const fixed = core.replace(/(<dcterms:(created|modified)\b[^>]*>)[^<]*(<\/dcterms:\2>)/g, `$1${stamp}$3`);
  return Packer.toBuffer(make(), false, [{ path: 'docProps/core.xml', data: fixed }]);
}
