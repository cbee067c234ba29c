import { z } from 'zod';
import { JobSchema } from './jobs.js';
import { IdSchema } from './common.js';

/** Events pushed from the core to subscribers (`subscribe` returns `unsubscribe`). Names are `domain:onDidX`. */
export const events = {
  'jobs:onDidProgress': JobSchema,
  'jobs:onDidFinish': JobSchema,
  'studies:onDidChange': z.object({ studyIds: z.array(IdSchema) }),
} as const;

export type EventMap = typeof events;
export type EventName = keyof EventMap;
export type EventPayload<E extends EventName> = z.infer<EventMap[E]>;
