import PDFDocument from 'pdfkit';
import { reportLabels } from '../labels.js';
import type { ReportDocument } from '../model.js';
import { reportFontPaths } from './fonts.js';
import { aiLines, formatTimestamp, headerLines, signatureLine } from './text.js';

const MARGIN = 50;
const THUMB = 220;

/**
 * PDF export (A4, DejaVu Sans embedded so accented text renders and extracts as typed): title and state, the
 * de-identification notice when applicable, patient/study header, sections (AI-derived ones marked), the key image
 * and heatmap thumbnails when chosen, the AI notice with findings and model provenance, the signature and addenda.
 * The document's metadata (keywords) says "AI-assisted" when any content came from the AI.
 */
export function renderPdf(doc: ReportDocument, options: { includeImages?: boolean } = {}): Promise<Buffer> {
  const L = reportLabels(doc.language);
  const fonts = reportFontPaths();
  const ai = aiLines(doc);
  const pdf = new PDFDocument({
    size: 'A4',
    margin: MARGIN,
    lang: doc.language,
    info: {
      Title: doc.title,
      Author: doc.deidentified ? 'READER' : (doc.signedBy ?? doc.author),
      Subject: `${doc.title} (${L.state[doc.state]})`,
      Keywords: [ai.length ? 'AI-assisted' : '', doc.deidentified ? 'de-identified' : ''].filter(Boolean).join(', '),
      Creator: 'CXR Workstation',
      CreationDate: new Date(doc.generatedAt),
    },
  });
  pdf.registerFont('body', fonts.regular);
  pdf.registerFont('bold', fonts.bold);
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    pdf.on('data', (c: Buffer) => chunks.push(c));
    pdf.on('end', () => resolve(Buffer.concat(chunks)));
    pdf.on('error', reject);
  });
  const width = pdf.page.width - 2 * MARGIN;

  pdf.font('bold').fontSize(16).text(doc.title, { width });
  pdf.font('bold').fontSize(10).fillColor(doc.state === 'final' ? '#1b5e20' : '#b71c1c').text(L.state[doc.state]);
  pdf.fillColor('black');
  if (doc.deidentified) pdf.moveDown(0.3).font('body').fontSize(9).fillColor('#555555').text(L.deidentified).fillColor('black');
  pdf.moveDown(0.6);

  pdf.fontSize(9);
  for (const [k, v] of headerLines(doc)) {
    pdf.font('bold').text(`${k}: `, { continued: true }).font('body').text(v);
  }
  pdf.moveDown(0.8);

  for (const s of doc.sections) {
    if (s.name === 'patient') continue;
    pdf.font('bold').fontSize(11).text(s.title, { continued: s.aiDerived });
    if (s.aiDerived) pdf.font('body').fontSize(8).fillColor('#6a1b9a').text(`  ${L.aiSectionMark}`).fillColor('black');
    pdf.font('body').fontSize(10).text(s.text.trim() || '-', { width });
    pdf.moveDown(0.6);
  }

  const images = options.includeImages === false ? [] : doc.images.filter((i) => i.png || i.heatmapPng);
  for (const img of images) {
    if (pdf.y + THUMB + 40 > pdf.page.height - MARGIN) pdf.addPage();
    const top = pdf.y;
    let x = MARGIN;
    for (const [png, caption] of [
      [img.png, `${L.keyImage}${img.viewPosition ? ` (${img.viewPosition})` : ''}`],
      [img.heatmapPng, `${L.heatmap}${img.heatmapLabel ? `: ${img.heatmapLabel}` : ''}`],
    ] as const) {
      if (!png) continue;
      pdf.image(Buffer.from(png), x, top, { fit: [THUMB, THUMB] });
      pdf.font('body').fontSize(8).text(caption, x, top + THUMB + 4, { width: THUMB });
      x += THUMB + 20;
    }
    pdf.x = MARGIN;
    pdf.y = top + THUMB + 24;
    pdf.moveDown(0.5);
  }

  if (ai.length) {
    pdf.moveDown(0.3).font('bold').fontSize(9).fillColor('#6a1b9a').text(ai[0]!, { width });
    pdf.font('body').fontSize(8.5);
    for (const line of ai.slice(1)) pdf.text(line, { width });
    pdf.fillColor('black').moveDown(0.8);
  }

  pdf.font('bold').fontSize(10).text(signatureLine(doc), { width });
  for (const a of doc.addenda) {
    pdf.moveDown(0.8).font('bold').fontSize(10).text(`${L.addendum} (${a.author}, ${formatTimestamp(a.createdAt)})`, { width });
    pdf.font('body').fontSize(10).text(a.text, { width });
  }
  pdf.end();
  return done;
}
