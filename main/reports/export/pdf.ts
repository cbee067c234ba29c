import PDFDocument from 'pdfkit';
import { reportLabels } from '../labels.js';
import { hasAiContent, readerSections, type ReportDocument } from '../model.js';
import { reportFontPaths } from './fonts.js';
import { aiBlock, deidLines, formatTimestamp, headerLines, signatureLine } from './text.js';

const MARGIN = 50;
const FOOTER = 28;
const THUMB = 220;

/**
 * PDF export (A4, DejaVu Sans embedded so accented text renders and extracts as typed): title and state, the
 * de-identification statement when applicable, patient/study header, the reader's sections (AI-derived ones marked),
 * the key image and heatmap thumbnails when chosen, the generated AI section with its details, the signature and
 * addenda; every page carries the patient ID and "page n of N" in its footer. The metadata (keywords) says
 * "AI-assisted" when the AI ran or wrote any of it.
 */
export function renderPdf(doc: ReportDocument, options: { includeImages?: boolean } = {}): Promise<Buffer> {
  const L = reportLabels(doc.language);
  const fonts = reportFontPaths();
  const created = new Date(doc.generatedAt);
  const pdf = new PDFDocument({
    size: 'A4',
    margins: { top: MARGIN, left: MARGIN, right: MARGIN, bottom: MARGIN + FOOTER },
    bufferPages: true,
    lang: doc.language,
    info: {
      Title: doc.title,
      Author: doc.deidentification ? 'READER' : (doc.signedBy ?? doc.author),
      Subject: `${doc.title} (${L.state[doc.state]})`,
      Keywords: [hasAiContent(doc) ? 'AI-assisted' : '', doc.deidentification ? 'de-identified' : ''].filter(Boolean).join(', '),
      Creator: 'CXR Workstation',
      CreationDate: created,
      ModDate: created,
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
  const deid = deidLines(doc);
  if (deid.length) {
    pdf.moveDown(0.3).font('bold').fontSize(9).fillColor('#555555').text(deid[0]!, { width });
    pdf.font('body').fontSize(8);
    for (const line of deid.slice(1)) pdf.text(line, { width });
    pdf.fillColor('black');
  }
  pdf.moveDown(0.6);

  pdf.fontSize(9);
  for (const [k, v] of headerLines(doc)) {
    pdf.font('bold').text(`${k}: `, { continued: true }).font('body').text(v);
  }
  pdf.moveDown(0.8);

  for (const s of readerSections(doc)) {
    pdf.font('bold').fontSize(11).text(s.title, { continued: s.aiDerived });
    if (s.aiDerived) pdf.font('body').fontSize(8).fillColor('#6a1b9a').text(`  ${L.aiSectionMark}`).fillColor('black');
    pdf.font('body').fontSize(10).text(s.text.trim() || '-', { width });
    pdf.moveDown(0.6);
  }

  const images = options.includeImages === false ? [] : doc.images.filter((i) => i.png || i.heatmapPng);
  for (const img of images) {
    if (pdf.y + THUMB + 40 > pdf.page.height - pdf.page.margins.bottom) pdf.addPage();
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

  const ai = aiBlock(doc);
  pdf.moveDown(0.3).font('bold').fontSize(10).fillColor('#6a1b9a').text(ai.title, { width });
  pdf.font('body').fontSize(8.5);
  for (const line of ai.lines) pdf.text(line, { width });
  if (ai.details.length) {
    pdf.moveDown(0.3).fontSize(7.5);
    for (const line of ai.details) pdf.text(line, { width });
  }
  pdf.fillColor('black').moveDown(0.8);

  pdf.font('bold').fontSize(10).text(signatureLine(doc), { width });
  for (const a of doc.addenda) {
    pdf.moveDown(0.8).font('bold').fontSize(10).text(`${L.addendum} (${a.author}, ${formatTimestamp(a.createdAt)})`, { width });
    pdf.font('body').fontSize(10).text(a.text, { width });
  }

  // Every page: patient ID and page n of N, so a loose page is never anonymous or out of order.
  const range = pdf.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    pdf.switchToPage(i);
    const bottom = pdf.page.margins.bottom;
    pdf.page.margins.bottom = 0; // writing in the footer band must not start a new page
    const y = pdf.page.height - MARGIN - 10;
    pdf.font('body').fontSize(8).fillColor('#444444');
    pdf.text(`${L.patientId}: ${doc.patient.id || '-'}`, MARGIN, y, { width: width / 2, lineBreak: false });
    pdf.text(L.page.replace('{n}', String(i - range.start + 1)).replace('{total}', String(range.count)), MARGIN + width / 2, y, { width: width / 2, align: 'right', lineBreak: false });
    pdf.page.margins.bottom = bottom;
  }
  pdf.end();
  return done;
}
