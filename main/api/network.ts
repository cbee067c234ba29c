import { z } from 'zod';
import { EmptySchema, IdSchema, IsoDateSchema } from './common.js';
import { JobSchema } from './jobs.js';
import { op } from './operation.js';

/**
 * The DICOM network node: a Storage/Verification SCP that receives from X-ray units and PACSs, query/retrieve and
 * send as an SCU (DIMSE), and the same through DICOMweb (QIDO-RS, WADO-RS, STOW-RS).
 */

/** An application entity title: 1-16 characters of the DICOM default repertoire, no backslash or control codes. */
export const AeTitleSchema = z
  .string()
  .trim()
  .min(1)
  .max(16)
  .regex(/^[\x20-\x5b\x5d-\x7e]+$/, 'letters, digits, spaces and punctuation except "\\"');

/** A node's name, used on the command line (`cxr dicom find PACS`). */
export const NodeNameSchema = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'letters, digits, ".", "_" and "-", starting with a letter or digit');

export const PortSchema = z.number().int().min(1).max(65535);
export const HostSchema = z.string().trim().min(1).max(255);

/** A Study/Series/SOP Instance UID: digits and dots, at most 64 characters. */
export const UidSchema = z
  .string()
  .trim()
  .max(64)
  .regex(/^[0-9]+(\.[0-9]+)*$/, 'a DICOM UID (digits and dots)');

/** A PACS, modality or workstation reached over DIMSE (C-ECHO, C-FIND, C-MOVE, C-GET, C-STORE). */
export const DimseNodeSchema = z.object({
  kind: z.literal('dimse'),
  name: NodeNameSchema,
  aeTitle: AeTitleSchema,
  host: HostSchema,
  port: PortSchema,
  /** How studies are fetched from it: C-MOVE to our receiver (the usual), or C-GET on the same association. */
  retrieveMethod: z.enum(['move', 'get']).default('move'),
});
export type DimseNode = z.infer<typeof DimseNodeSchema>;

/** A PACS that offers DICOMweb only: QIDO-RS, WADO-RS and STOW-RS under one base URL (e.g. .../dicom-web). */
export const DicomwebNodeSchema = z.object({
  kind: z.literal('dicomweb'),
  name: NodeNameSchema,
  url: z.string().trim().url().max(500).regex(/^https?:\/\//, 'an http:// or https:// address'),
});
export type DicomwebNode = z.infer<typeof DicomwebNodeSchema>;

export const RemoteNodeSchema = z.discriminatedUnion('kind', [DimseNodeSchema, DicomwebNodeSchema]);
export type RemoteNode = z.infer<typeof RemoteNodeSchema>;

/** The receiver's settings, each field without its default (what an update may name). */
const receiverFields = {
  /** Off by default: a workstation listens only where a site turns it on. */
  enabled: z.boolean(),
  aeTitle: AeTitleSchema,
  port: PortSchema,
  /** Address to listen on: 0.0.0.0 for every interface (an X-ray unit on the network), 127.0.0.1 for this computer only. */
  bind: HostSchema,
  /** Accept associations from any calling AE title; by default only the configured nodes' AE titles are accepted. */
  acceptAnyCaller: z.boolean(),
  /** Refuse associations addressed to another AE title than ours. */
  checkCalledAeTitle: z.boolean(),
  /** Storage SOP classes accepted besides the chest ones (CR, DX, Secondary Capture). */
  extraStorageClasses: z.array(UidSchema).max(100),
};

export const ReceiverSettingsSchema = z.object({
  enabled: receiverFields.enabled.default(false),
  aeTitle: receiverFields.aeTitle.default('CXRWS'),
  port: receiverFields.port.default(11112),
  bind: receiverFields.bind.default('0.0.0.0'),
  acceptAnyCaller: receiverFields.acceptAnyCaller.default(false),
  checkCalledAeTitle: receiverFields.checkCalledAeTitle.default(true),
  extraStorageClasses: receiverFields.extraStorageClasses.default([]),
});
export type ReceiverSettings = z.infer<typeof ReceiverSettingsSchema>;

const sendOnSignFields = {
  /** Send the signed report to `node` as soon as it is signed. */
  enabled: z.boolean(),
  node: NodeNameSchema.nullable(),
  /** Also send the key image with the AI overlay as a Secondary Capture. */
  secondaryCapture: z.boolean(),
};

export const SendOnSignSchema = z.object({
  enabled: sendOnSignFields.enabled.default(false),
  node: sendOnSignFields.node.default(null),
  secondaryCapture: sendOnSignFields.secondaryCapture.default(false),
});

export const NetworkSettingsSchema = z.object({
  receiver: ReceiverSettingsSchema.default(ReceiverSettingsSchema.parse({})),
  nodes: z.array(RemoteNodeSchema).max(200).default([]),
  sendOnSign: SendOnSignSchema.default(SendOnSignSchema.parse({})),
});
export type NetworkSettings = z.infer<typeof NetworkSettingsSchema>;

/** Only the fields named change (no defaults here: an update of `enabled` must not reset the port). */
export const NetworkSettingsUpdateSchema = z.object({
  receiver: z.object(receiverFields).partial().optional(),
  sendOnSign: z.object(sendOnSignFields).partial().optional(),
});

export const SaveNodeInputSchema = z.object({
  node: RemoteNodeSchema,
  /** The node's name before this edit (renaming); omitted when adding. */
  previousName: NodeNameSchema.optional(),
});
export const NodeRefSchema = z.object({ node: NodeNameSchema });

export const EchoResultSchema = z.object({
  node: z.string(),
  ok: z.boolean(),
  /** Round trip of the association and C-ECHO (or the QIDO-RS request for DICOMweb), in milliseconds. */
  milliseconds: z.number().nonnegative(),
  message: z.string(),
});
export type EchoResult = z.infer<typeof EchoResultSchema>;

/** Study-root C-FIND / QIDO-RS at study level. Names accept * and ? wildcards. */
export const FindInputSchema = z.object({
  node: NodeNameSchema,
  patientId: z.string().trim().max(64).optional(),
  patientName: z.string().trim().max(64).optional(),
  from: IsoDateSchema.optional(),
  to: IsoDateSchema.optional(),
  modality: z.string().trim().max(16).optional(),
  accessionNumber: z.string().trim().max(16).optional(),
  studyInstanceUid: UidSchema.optional(),
  limit: z.number().int().positive().max(1000).default(200),
});
export type FindInput = z.infer<typeof FindInputSchema>;

export const RemoteStudySchema = z.object({
  studyInstanceUid: z.string(),
  patientId: z.string(),
  /** Display form "Family, Given". */
  patientName: z.string(),
  patientBirthDate: z.string().nullable(),
  patientSex: z.string(),
  /** YYYY-MM-DD, or null when the PACS has none. */
  studyDate: z.string().nullable(),
  studyTime: z.string().nullable(),
  accessionNumber: z.string(),
  description: z.string(),
  modalities: z.array(z.string()),
  seriesCount: z.number().int().nonnegative().nullable(),
  instanceCount: z.number().int().nonnegative().nullable(),
  /** The same study in the local index, when it is there already. */
  localStudyId: IdSchema.nullable(),
});
export type RemoteStudy = z.infer<typeof RemoteStudySchema>;

export const FindResultSchema = z.object({
  node: z.string(),
  studies: z.array(RemoteStudySchema),
  /** The node had more matches than `limit`. */
  truncated: z.boolean(),
});
export type FindResult = z.infer<typeof FindResultSchema>;

export const RetrieveInputSchema = z.object({
  node: NodeNameSchema,
  studyInstanceUid: UidSchema,
  /** DIMSE nodes: C-MOVE to our receiver or C-GET; defaults to the node's setting. */
  method: z.enum(['move', 'get']).optional(),
});

export const FetchPriorsInputSchema = z.object({
  /** The open study: its patient's other studies are looked up on the nodes. */
  studyId: IdSchema,
  /** One node; by default every configured node is asked. */
  node: NodeNameSchema.optional(),
});
export const FetchPriorsResultSchema = z.object({
  /** Studies of the patient found remotely that are not in the local index, one retrieve job each. */
  jobs: z.array(JobSchema),
  alreadyLocal: z.number().int().nonnegative(),
  /** Nodes that could not be asked, with the reason. */
  problems: z.array(z.object({ node: z.string(), message: z.string() })),
});

export const SendInputSchema = z.object({
  studyId: IdSchema,
  node: NodeNameSchema,
  /** Also send the key image with the AI overlay as a Secondary Capture (labelled as AI output). */
  secondaryCapture: z.boolean().default(false),
});

export const SentObjectSchema = z.object({
  kind: z.enum(['sr', 'secondary-capture']),
  sopClassUid: z.string(),
  sopInstanceUid: z.string(),
  studyInstanceUid: z.string(),
  ok: z.boolean(),
  /** DIMSE status (hex) or HTTP status, and the peer's comment. */
  status: z.string(),
});
export const SendResultSchema = z.object({
  node: z.string(),
  reportId: IdSchema,
  objects: z.array(SentObjectSchema),
});
export type SendResult = z.infer<typeof SendResultSchema>;

export const ReceiverStateSchema = z.enum(['stopped', 'listening', 'failed']);

export const ReceiverEventSchema = z.object({
  at: z.string(),
  kind: z.enum(['association-rejected', 'stored', 'duplicate', 'quarantined', 'store-failed', 'indexed']),
  callingAeTitle: z.string(),
  /** The peer's address:port (for objects indexed later: where they came from). */
  peer: z.string(),
  sopInstanceUid: z.string().nullable(),
  studyInstanceUid: z.string().nullable(),
  /** The local study once indexed. */
  studyId: IdSchema.nullable(),
  /** Why an association was rejected or an object quarantined; what was stored. */
  detail: z.string(),
});
export type ReceiverEvent = z.infer<typeof ReceiverEventSchema>;

export const ReceiverStatusSchema = z.object({
  state: ReceiverStateSchema,
  aeTitle: z.string(),
  port: z.number().int().nonnegative(),
  bind: z.string(),
  /** Why the receiver could not start (port in use...). */
  error: z.string().nullable(),
  since: z.string().nullable(),
  counts: z.object({
    associations: z.number().int().nonnegative(),
    rejectedAssociations: z.number().int().nonnegative(),
    stored: z.number().int().nonnegative(),
    duplicates: z.number().int().nonnegative(),
    quarantined: z.number().int().nonnegative(),
    indexed: z.number().int().nonnegative(),
    /** Stored objects waiting for the importer. */
    pendingIndex: z.number().int().nonnegative(),
  }),
  /** The latest events, newest first. */
  recent: z.array(ReceiverEventSchema),
});
export type ReceiverStatus = z.infer<typeof ReceiverStatusSchema>;

export const ReceiverStartInputSchema = z.object({
  aeTitle: AeTitleSchema.optional(),
  port: z.number().int().min(0).max(65535).optional(),
  bind: HostSchema.optional(),
  /** `npm start`: start only when the settings say the receiver is enabled. */
  onlyIfEnabled: z.boolean().default(false),
});

export const QuarantineEntrySchema = z.object({
  id: z.string(),
  at: z.string(),
  reason: z.string(),
  /** `receive`: refused before answering; `index`: answered, stored, then the importer could not read it. */
  stage: z.enum(['receive', 'index']),
  callingAeTitle: z.string(),
  peer: z.string(),
  sopInstanceUid: z.string(),
  sopClassUid: z.string(),
  /** The quarantined object on disk (kept for inspection). */
  file: z.string(),
});
export type QuarantineEntry = z.infer<typeof QuarantineEntrySchema>;

export const networkOperations = {
  'network:settings': op(EmptySchema, NetworkSettingsSchema, 'The local AE (receiver), the remote nodes and send-on-sign.'),
  'network:updateSettings': op(NetworkSettingsUpdateSchema, NetworkSettingsSchema, 'Change the receiver or send-on-sign settings; a running receiver restarts with them, and starts or stops with `enabled`.'),
  'network:saveNode': op(SaveNodeInputSchema, z.array(RemoteNodeSchema), 'Add or edit a remote node (DIMSE or DICOMweb).'),
  'network:removeNode': op(NodeRefSchema, z.array(RemoteNodeSchema), 'Remove a remote node.'),
  'network:echo': op(NodeRefSchema, EchoResultSchema, 'Test the connection to a node (C-ECHO, or a QIDO-RS request for DICOMweb).'),
  'network:find': op(FindInputSchema, FindResultSchema, 'Find studies on a node (study-root C-FIND or QIDO-RS).'),
  'network:retrieve': op(RetrieveInputSchema, JobSchema, 'Retrieve a study (C-MOVE to our receiver, C-GET or WADO-RS) and import it; a job with progress and cancel.'),
  'network:fetchPriors': op(FetchPriorsInputSchema, FetchPriorsResultSchema, "Retrieve the open patient's other studies from the nodes."),
  'network:send': op(SendInputSchema, SendResultSchema, 'Send the signed report as DICOM SR (and optionally the AI key image as Secondary Capture) into the study on a node; audited.'),
  'network:receiverStatus': op(EmptySchema, ReceiverStatusSchema, 'Whether the receiver listens, where, and what arrived.'),
  'network:receiverStart': op(ReceiverStartInputSchema, ReceiverStatusSchema, 'Start the receiver (Storage and Verification SCP) in this process.'),
  'network:receiverStop': op(EmptySchema, ReceiverStatusSchema, 'Stop the receiver; objects already answered stay stored and are indexed.'),
  'network:quarantine': op(z.object({ limit: z.number().int().positive().max(1000).default(100) }), z.array(QuarantineEntrySchema), 'Objects refused as malformed or unreadable, with the reason, newest first.'),
};
