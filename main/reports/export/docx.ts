import { AlignmentType, Document, HeadingLevel, ImageRun, Packer, Paragraph, TextRun } from 'docx';
import { reportLabels } from '../labels.js';
import type { ReportDocument } from '../model.js';
import { aiLines, formatTimestamp, headerLines, signatureLine } from './text.js';

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

/**
 * DOCX export (Office Open XML via the `docx` package): the same content as the PDF, as editable paragraphs with
 * headings, AI-derived sections marked, thumbnails when chosen, AI notice, signature and addenda. The core
 * properties carry the title, the author and "AI-assisted" as keyword when applicable.
 */
export async function renderDocx(doc: ReportDocument, options: { includeImages?: boolean } = {}): Promise<Buffer> {
  const L = reportLabels(doc.language);
  const ai = aiLines(doc);
  const body: Paragraph[] = [
    new Paragraph({ heading: HeadingLevel.TITLE, children: [new TextRun({ text: doc.title })] }),
    new Paragraph({ children: [new TextRun({ text: L.state[doc.state], bold: true, color: doc.state === 'final' ? '1B5E20' : 'B71C1C' })] }),
  ];
  if (doc.deidentified) body.push(new Paragraph({ children: [new TextRun({ text: L.deidentified, italics: true })] }));
  for (const [k, v] of headerLines(doc)) {
    body.push(new Paragraph({ children: [new TextRun({ text: `${k}: `, bold: true }), new TextRun({ text: v })] }));
  }
  for (const s of doc.sections) {
    if (s.name === 'patient') continue;
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
  if (ai.length) {
    body.push(new Paragraph({ children: [new TextRun({ text: ai[0]!, bold: true, color: '6A1B9A' })] }));
    for (const line of ai.slice(1)) body.push(new Paragraph({ children: [new TextRun({ text: line, size: 18 })] }));
  }
  body.push(new Paragraph({ alignment: AlignmentType.LEFT, children: [new TextRun({ text: signatureLine(doc), bold: true })] }));
  for (const a of doc.addenda) {
    body.push(new Paragraph({ heading: HeadingLevel.HEADING_2, children: [new TextRun({ text: `${L.addendum} (${a.author}, ${formatTimestamp(a.createdAt)})` })] }));
    for (const line of a.text.split('\n')) body.push(new Paragraph({ children: [new TextRun({ text: line })] }));
  }
  const document = new Document({
    creator: 'CXR Workstation',
    title: doc.title,
    description: `${doc.title} (${L.state[doc.state]})`,
    keywords: [ai.length ? 'AI-assisted' : '', doc.deidentified ? 'de-identified' : ''].filter(Boolean).join(', '),
    lastModifiedBy: doc.deidentified ? 'READER' : (doc.signedBy ?? doc.author),
    // Calibri is Word's default and covers the accents of the four report languages.
    styles: { default: { document: { run: { font: 'Calibri' } } } },
    sections: [{ children: body }],
  });
  return Packer.toBuffer(document);
}
