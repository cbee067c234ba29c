import { z } from 'zod';
import { JobSchema } from './jobs.js';
import { IdSchema } from './common.js';
import { ReceiverEventSchema, ReceiverStatusSchema } from './network.js';
import { ReaderSchema } from './reader.js';

/** Events pushed from the core to subscribers (`subscribe` returns `unsubscribe`). Names are `domain:onDidX`. */
export const events = {
  'jobs:onDidProgress': JobSchema,
  'jobs:onDidFinish': JobSchema,
  'studies:onDidChange': z.object({ studyIds: z.array(IdSchema) }),
  /** A report was signed (final): the network node sends it where a site asked for send-on-sign. */
  'reports:onDidSign': z.object({ reportId: IdSchema, studyId: IdSchema, signedBy: z.string() }),
  'network:onDidReceive': ReceiverEventSchema,
  'network:onDidChangeReceiver': ReceiverStatusSchema,
  /** The reader the workstation acts and signs as changed (Settings, or `cxr reader`). */
  'reader:onDidChange': ReaderSchema,
} as const;

export type EventMap = typeof events;
export type EventName = keyof EventMap;
export type EventPayload<E extends EventName> = z.infer<EventMap[E]>;
