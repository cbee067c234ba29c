import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import yauzl from 'yauzl';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pdftoppm, pdftotext } from '../../../test/helpers/systemTools.js';
import { deidentifyReport } from '../deidentify.js';
import { sampleAiUse, sampleReportDocument } from '../fixtures.js';
import type { ReportDocument } from '../model.js';
import { renderDocx } from './docx.js';
import { renderPdf } from './pdf.js';
import { renderText } from './text.js';

const poppler = [pdftotext(), pdftoppm()];
const popplerSkip = poppler.some((t) => t.skip);
const requirePoppler = () => poppler.forEach((t) => t.require());

/** Reads every entry of a zip into memory (an independent reader of the DOCX container). */
async function unzip(buffer: Buffer): Promise<Map<string, Buffer>> {
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) =>
    yauzl.fromBuffer(buffer, { lazyEntries: true }, (err, z) => (err ? reject(err) : resolve(z))),
  );
  const out = new Map<string, Buffer>();
  await new Promise<void>((resolve, reject) => {
    zip.on('entry', (entry: yauzl.Entry) => {
      zip.openReadStream(entry, (err, stream) => {
        if (err) return reject(err);
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          out.set(entry.fileName, Buffer.concat(chunks));
          zip.readEntry();
        });
      });
    });
    zip.on('end', resolve);
    zip.on('error', reject);
    zip.readEntry();
  });
  return out;
}

/** The text of a WordprocessingML body: each <w:p> one line, the <w:t> runs joined, entities decoded. */
function docxParagraphs(xml: string): string[] {
  return [...xml.matchAll(/<w:p[ >][\s\S]*?<\/w:p>/g)].map((p) =>
    [...p[0].matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)]
      .map((t) => t[1]!)
      .join('')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&apos;/g, "'")
      .replace(/&amp;/g, '&'),
  );
}

let png: Buffer;
let heat: Buffer;
let doc: ReportDocument;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cxr-export-'));
  // A synthetic key image (grey gradient) and a red "heatmap" so the PDF page shows both.
  const w = 128;
  const grey = Buffer.alloc(w * w);
  for (let y = 0; y < w; y++) for (let x = 0; x < w; x++) grey[y * w + x] = (x + y) % 256;
  png = await sharp(grey, { raw: { width: w, height: w, channels: 1 } }).png().toBuffer();
  heat = await sharp({ create: { width: 96, height: 64, channels: 3, background: { r: 220, g: 30, b: 30 } } }).png().toBuffer();
  const base = sampleReportDocument();
  doc = { ...base, images: [{ ...base.images[0]!, png, heatmapPng: heat }] };
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('plain text export', () => {
  it('holds the header, every section, the AI section and details, the signature and addenda', () => {
    const text = renderText(doc);
    expect(text).toContain('Paciente: Conceição, João');
    expect(text).toContain('ACHADOS [contém texto gerado por IA]');
    expect(text).toContain('IMPRESSÃO DIAGNÓSTICA\nPneumonia do lobo inferior direito.');
    expect(text).toContain('APOIO À DECISÃO POR IA\nModelo: ChestX-ray14 DenseNet-121 (demo) (cxr14-densenet121-demo 1.0.0).');
    expect(text).toContain('Uso previsto, segundo o pacote do modelo: “Demonstration and testing only. Trained on 420 images. Not for clinical use.”');
    expect(text).toContain('Imagem 1: analisada em 2024-05-20 07:50 UTC, limiares: calibration #3.');
    expect(text).toContain('Achados mostrados ao leitor: Consolidation (provável, direito); Effusion (possível, direito); Cardiomegaly (possível).');
    expect(text).toContain('Leitor: aceitos: Consolidation; editados: Effusion; rejeitados: Cardiomegaly; não revisados: nenhum.');
    expect(text).toContain('Registrado na assinatura do laudo (2024-05-20 08:31 UTC)');
    expect(text).toContain('Consolidation: 81.2%, limiar 42.0% (calibration), apontado; Effusion: 55.1%');
    expect(text).toContain('Hernia: 1.2%, limiar nenhum (none)');
    expect(text).toContain('Assinado eletronicamente por Dra. Inês Araújo, 2024-05-20 08:31 UTC');
    expect(text).toContain('ADENDO (Dra. Inês Araújo, 2024-05-20 09:15 UTC)\nAdendo: resultado comunicado ao Dr. Ramírez.');
  });

  it('says the AI was not used only when no image was analysed, and names no model then', () => {
    const plain = renderText({ ...doc, ai: sampleAiUse({ images: [] }), sections: doc.sections.map((s) => ({ ...s, aiDerived: false })) });
    expect(plain).toContain('APOIO À DECISÃO POR IA\nNão utilizada: nenhuma imagem deste exame foi analisada pela IA.');
    expect(plain).not.toContain('cxr14-densenet121-demo');
    // The AI ran and the reader accepted nothing: the report says what ran and what was shown, never "not used".
    const shownOnly = sampleAiUse();
    shownOnly.images[0]!.labels = shownOnly.images[0]!.labels.map((l) => ({ ...l, decision: 'unreviewed' as const, readerText: null }));
    const text = renderText({ ...doc, ai: shownOnly });
    expect(text).not.toContain('Não utilizada');
    expect(text).toContain('Leitor: aceitos: nenhum; editados: nenhum; rejeitados: nenhum; não revisados: Consolidation, Effusion, Cardiomegaly.');
  });

  it('prints the AI details appendix exactly as the viewer showed it when the record has it', () => {
    const ai = sampleAiUse();
    ai.images[0] = { ...ai.images[0]!, details: { title: 'Detalhes da IA', lines: ['Consolidação: probabilidade IA 0,81, limiar 0,42 (calibração do serviço); apontado (provável).'] } };
    const text = renderText({ ...doc, ai });
    expect(text).toContain('Detalhes da IA\nConsolidação: probabilidade IA 0,81, limiar 0,42 (calibração do serviço); apontado (provável).\n');
    expect(text).not.toContain('Consolidation: 81.2%');
  });

  it('says why nothing was shown when the quality gate withheld the findings', () => {
    const gated = sampleAiUse();
    gated.images[0] = { ...gated.images[0]!, withheld: 'lateral view', labels: [] };
    const text = renderText({ ...doc, ai: gated, state: 'draft', signedBy: null, signedAt: null, addenda: [] });
    expect(text).toContain('Nenhum achado mostrado (controle de qualidade/incidência): lateral view.');
    expect(text).not.toContain('Detalhes da IA');
  });

  it('shows the state and "not signed" for a draft', () => {
    const draft = renderText({ ...doc, state: 'draft', signedBy: null, signedAt: null, addenda: [] });
    expect(draft.split('\n')[1]).toBe('RASCUNHO');
    expect(draft).toContain('Não assinado (RASCUNHO)');
  });

  it('keeps no NUL, ESC or bidi-override character typed into any field', () => {
    const hostile = renderText({
      ...doc,
      title: 'Laudo\u0000 \u202etxt.exe',
      sections: [{ name: 'findings', title: 'Achados\u001b[2J', text: 'ok\u0007 \u2066x\u2069 \u0085', aiDerived: false }],
      addenda: [{ id: 1, text: 'a\u0000b', author: 'Dr\u202e X', createdAt: '2024-05-20T09:15:00.000Z' }],
    });
    expect(hostile).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
    expect(hostile).toContain('ACHADOS[2J');
  });
});

describe.skipIf(popplerSkip)('PDF export read back with poppler', () => {
  it('extracts the accented text, AI marks, signature and addenda, and embeds both thumbnails and the fonts', async () => {
    requirePoppler();
    const pdf = await renderPdf(doc);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const file = join(dir, 'report.pdf');
    writeFileSync(file, pdf);
    // Lines wrap where the page ends: compare with whitespace folded.
    const text = execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
    for (const expected of [
      'Laudo de radiografia de tórax',
      'DEFINITIVO',
      'Conceição, João',
      'Hospital São José',
      'Achados [contém texto gerado por IA]',
      'Coração de dimensões normais. Señal ñ, façade',
      'Imagem-chave (PA)',
      'Mapa de calor IA: Consolidation',
      'Apoio à decisão por IA',
      'Not for clinical use.',
      'Leitor: aceitos: Consolidation; editados: Effusion; rejeitados: Cardiomegaly',
      'Consolidation: 81.2%, limiar 42.0% (calibration), apontado',
      'Assinado eletronicamente por Dra. Inês Araújo, 2024-05-20 08:31 UTC',
      'Adendo: resultado comunicado ao Dr. Ramírez.',
      'ID do paciente: PAT-00042',
      'Página 1 de 1',
    ]) {
      expect(text).toContain(expected);
    }
    const images = execFileSync('pdfimages', ['-list', file], { encoding: 'utf8' });
    const rows = images.split('\n').slice(2).filter((l) => l.trim());
    // gradient (gray) + heatmap (rgb), each once
    expect(rows.map((r) => r.trim().split(/\s+/).slice(3, 5).join('x')).sort()).toEqual(['128x128', '96x64']);
    const fonts = execFileSync('pdffonts', [file], { encoding: 'utf8' });
    expect(fonts).toMatch(/DejaVuSans\s/);
    expect(fonts).toMatch(/DejaVuSans-Bold/);
    const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
    expect(info).toMatch(/Keywords:\s+AI-assisted/);
  });

  it('renders page 1 to PNG with the heatmap thumbnail visibly red', async () => {
    const file = join(dir, 'page.pdf');
    writeFileSync(file, await renderPdf(doc));
    execFileSync('pdftoppm', ['-r', '50', '-png', '-f', '1', '-l', '1', file, join(dir, 'page')]);
    const pngFile = readdirSync(dir).find((f) => f.startsWith('page') && f.endsWith('.png'))!;
    const { data, info } = await sharp(join(dir, pngFile)).raw().toBuffer({ resolveWithObject: true });
    let red = 0;
    for (let i = 0; i < data.length; i += info.channels) if (data[i]! > 180 && data[i + 1]! < 80 && data[i + 2]! < 80) red++;
    // The 96x64 heatmap is fitted into a 220pt box: at 50 dpi that is roughly 150x100 px of red.
    expect(red).toBeGreaterThan(5000);
  });

  it('puts the patient ID and "page n of N" on every page of a long report', async () => {
    requirePoppler();
    const long = { ...doc, sections: doc.sections.map((s) => (s.name === 'findings' ? { ...s, text: Array.from({ length: 160 }, (_, i) => `Linha ${i + 1} dos achados.`).join('\n') } : s)) };
    const file = join(dir, 'long.pdf');
    writeFileSync(file, await renderPdf(long));
    const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [file], { encoding: 'utf8' }))![1]);
    expect(pages).toBeGreaterThanOrEqual(3);
    for (let p = 1; p <= pages; p++) {
      const text = execFileSync('pdftotext', ['-enc', 'UTF-8', '-f', String(p), '-l', String(p), file, '-'], { encoding: 'utf8' });
      expect(text, `page ${p}`).toContain('ID do paciente: PAT-00042');
      expect(text, `page ${p}`).toContain(`Página ${p} de ${pages}`);
    }
  });

  it('a de-identified PDF says what was cleaned, carries the pseudonym on every page, and dates its metadata like the text', async () => {
    requirePoppler();
    const deid = deidentifyReport(doc, { secret: 's' });
    const file = join(dir, 'deid.pdf');
    writeFileSync(file, await renderPdf(deid));
    const text = execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
    expect(text).toContain('Cópia anonimizada.');
    expect(text).toContain(`ID do paciente: ${deid.patient.id}`);
    expect(text).not.toContain('PAT-00042');
    const info = execFileSync('pdfinfo', ['-isodates', file], { encoding: 'utf8' });
    expect(info).toMatch(new RegExp(`CreationDate:\\s+${deid.generatedAt.slice(0, 19)}`));
    expect(info).not.toContain('2024-05-21');
  });

  it('leaves thumbnails out when asked', async () => {
    const file = join(dir, 'noimg.pdf');
    writeFileSync(file, await renderPdf(doc, { includeImages: false }));
    const rows = execFileSync('pdfimages', ['-list', file], { encoding: 'utf8' }).split('\n').slice(2).filter((l) => l.trim());
    expect(rows).toEqual([]);
  });
});

describe('DOCX export read back by unzipping', () => {
  it('is a valid OOXML package whose paragraphs hold the report, with both thumbnails as PNG media', async () => {
    const zip = await unzip(await renderDocx(doc));
    expect(zip.has('[Content_Types].xml')).toBe(true);
    const xml = zip.get('word/document.xml')!.toString('utf8');
    const paragraphs = docxParagraphs(xml);
    expect(paragraphs[0]).toBe('Laudo de radiografia de tórax');
    expect(paragraphs).toContain('DEFINITIVO');
    expect(paragraphs).toContain('Paciente: Conceição, João');
    expect(paragraphs).toContain('Achados [contém texto gerado por IA]');
    expect(paragraphs).toContain('Coração de dimensões normais. Señal ñ, façade, Ã.');
    expect(paragraphs).toContain('Imagem-chave (PA)');
    expect(paragraphs).toContain('Leitor: aceitos: Consolidation; editados: Effusion; rejeitados: Cardiomegaly; não revisados: nenhum.');
    expect(paragraphs).toContain('Assinado eletronicamente por Dra. Inês Araújo, 2024-05-20 08:31 UTC');
    expect(paragraphs).toContain('Adendo: resultado comunicado ao Dr. Ramírez.');
    const media = [...zip.keys()].filter((k) => k.startsWith('word/media/'));
    expect(media).toHaveLength(2);
    const sizes = await Promise.all(media.map(async (m) => (await sharp(zip.get(m)!).metadata()).width));
    expect(sizes.sort()).toEqual([128, 96].sort());
    const core = zip.get('docProps/core.xml')!.toString('utf8');
    expect(core).toContain('<cp:keywords>AI-assisted</cp:keywords>');
    // created/modified are the model's export time, not the clock's
    expect(core).toMatch(/<dcterms:created[^>]*>2024-05-21T10:00:00Z<\/dcterms:created>/);
    expect(core).toMatch(/<dcterms:modified[^>]*>2024-05-21T10:00:00Z<\/dcterms:modified>/);
    const footer = [...zip.keys()].find((k) => /^word\/footer\d*\.xml$/.test(k))!;
    const footerXml = zip.get(footer)!.toString('utf8');
    expect(footerXml).toContain('ID do paciente: PAT-00042');
    expect(footerXml).toMatch(/PAGE/);
    expect(footerXml).toMatch(/NUMPAGES/);
  });

  it('a de-identified DOCX has its created date shifted like every other date, and no thumbnail of unknown burn-in', async () => {
    const deid = deidentifyReport({ ...doc, images: [{ ...doc.images[0]!, burnedIn: null }] }, { secret: 's' });
    const zip = await unzip(await renderDocx(deid));
    const core = zip.get('docProps/core.xml')!.toString('utf8');
    const created = /<dcterms:created[^>]*>([^<]+)</.exec(core)![1]!;
    expect(created).toBe(deid.generatedAt.replace(/\.\d{3}Z$/, 'Z'));
    expect(created.slice(0, 10)).not.toBe('2024-05-21');
    expect([...zip.keys()].filter((k) => k.startsWith('word/media/'))).toEqual([]);
    const paragraphs = docxParagraphs(zip.get('word/document.xml')!.toString('utf8'));
    expect(paragraphs.some((p) => p.startsWith('Imagem(ns)-chave omitida(s) (1)'))).toBe(true);
  });
});
