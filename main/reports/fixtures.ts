import type { AiLabelUse, ReportAiUse } from '../api/reports.js';
import type { ReportDocument } from './model.js';

const label = (l: Partial<AiLabelUse> & Pick<AiLabelUse, 'label' | 'probability'>): AiLabelUse => ({
  threshold: 0.5,
  thresholdSource: 'calibration',
  called: false,
  certainty: null,
  laterality: null,
  shownText: null,
  decision: 'unreviewed',
  readerText: null,
  ...l,
});

/**
 * What the AI did in the sample: the demo pack ran on the key image under calibration #3; it called Consolidation
 * (probable, right; accepted), Effusion (possible, right; edited by the reader) and Cardiomegaly (possible; rejected).
 */
export function sampleAiUse(overrides: Partial<ReportAiUse> = {}): ReportAiUse {
  return {
    frozenAt: '2024-05-20T08:31:00.000Z',
    imagesInStudy: 1,
    images: [
      {
        instanceId: 11,
        analysisId: 4,
        packId: 'cxr14-densenet121-demo',
        packVersion: '1.0.0',
        packTitle: 'ChestX-ray14 DenseNet-121 (demo)',
        intendedUse: 'Demonstration and testing only. Trained on 420 images. Not for clinical use.',
        analysedAt: '2024-05-20T07:50:00.000Z',
        thresholdVersion: 'calibration #3',
        withheld: null,
        labels: [
          label({ label: 'Consolidation', probability: 0.8123, threshold: 0.42, called: true, certainty: 'probable', laterality: 'right', shownText: 'Opacidade no lobo inferior direito, compatível com consolidação.', decision: 'accepted' }),
          label({ label: 'Effusion', probability: 0.5512, threshold: 0.37, called: true, certainty: 'possible', laterality: 'right', shownText: 'Possível derrame pleural à direita.', decision: 'edited', readerText: 'Pequeno derrame pleural à direita.' }),
          label({ label: 'Cardiomegaly', probability: 0.47, threshold: 0.45, called: true, certainty: 'possible', shownText: 'Possível cardiomegalia.', decision: 'rejected' }),
          label({ label: 'Pneumothorax', probability: 0.031, threshold: 0.3 }),
          label({ label: 'Hernia', probability: 0.012, threshold: null, thresholdSource: 'none' }),
        ],
      },
    ],
    ...overrides,
  };
}

/**
 * A complete report model with accents in every field that can hold them, for tests of the exporters and for
 * `cxr report --sample`-style smoke checks. Not patient data: the names are invented.
 */
export function sampleReportDocument(overrides: Partial<ReportDocument> = {}): ReportDocument {
  return {
    id: 7,
    title: 'Laudo de radiografia de tórax',
    language: 'pt',
    state: 'final',
    sections: [
      { name: 'patient', title: 'Paciente e exame', text: 'Paciente: Conceição, João (ID PAT-00042)', aiDerived: false },
      { name: 'indication', title: 'Indicação clínica', text: 'Tosse e febre há três dias. Paciente João Conceição, nascido em 1961-03-09.', aiDerived: false },
      { name: 'technique', title: 'Técnica', text: 'Radiografia de tórax, incidência PA (CR), 1 imagem(ns).', aiDerived: false },
      { name: 'findings', title: 'Achados', text: 'Opacidade no lobo inferior direito, compatível com consolidação.\nCoração de dimensões normais. Señal ñ, façade, Ã.', aiDerived: true },
      { name: 'impression', title: 'Impressão diagnóstica', text: 'Pneumonia do lobo inferior direito. Comparar com exame de 2024-05-17.', aiDerived: false },
    ],
    ai: sampleAiUse(),
    addenda: [{ id: 1, text: 'Adendo: resultado comunicado ao Dr. Ramírez.', author: 'Dra. Inês Araújo', createdAt: '2024-05-20T09:15:00.000Z' }],
    author: 'Dra. Inês Araújo',
    createdAt: '2024-05-20T08:00:00.000Z',
    updatedAt: '2024-05-20T08:30:00.000Z',
    signedBy: 'Dra. Inês Araújo',
    signedAt: '2024-05-20T08:31:00.000Z',
    patient: { name: 'Conceição, João', id: 'PAT-00042', sex: 'M', birthDate: '1961-03-09', ageYears: 63 },
    study: {
      studyInstanceUid: '1.2.826.0.1.3680043.8.498.1001',
      date: '2024-05-20',
      time: '07:45:00',
      description: 'Tórax PA',
      accessionNumber: 'ACC-7781',
      institution: 'Hospital São José',
      referringPhysician: 'Ramírez, Tomás',
      indication: 'Tosse e febre',
    },
    images: [
      {
        instanceId: 11,
        sopInstanceUid: '1.2.826.0.1.3680043.8.498.1001.2.1',
        sopClassUid: '1.2.840.10008.5.1.4.1.1.1',
        seriesInstanceUid: '1.2.826.0.1.3680043.8.498.1001.2',
        modality: 'CR',
        viewPosition: 'PA',
        format: 'dicom',
        fileName: 'image-0001.dcm',
        burnedIn: 'NO',
        png: null,
        heatmapPng: null,
        heatmapLabel: 'Consolidation',
      },
    ],
    deidentification: null,
    generatedAt: '2024-05-21T10:00:00.000Z',
    ...overrides,
  };
}
