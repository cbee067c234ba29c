import { z } from 'zod';
import { op } from './operation.js';

/**
 * Who the workstation acts as: every audit entry, every measurement and every signature names this reader. The core
 * decides it (the `reader.name` setting, else the operating-system account); no operation takes a name from a client.
 */
export const ReaderSchema = z.object({
  name: z.string(),
  /** `setting`: the reader name set on this workstation; `os-account`: no name is set, the OS login is used. */
  source: z.enum(['setting', 'os-account']),
});
export type Reader = z.infer<typeof ReaderSchema>;

export const ReaderSetInputSchema = z.object({
  /** The reader's name as reports print it; null goes back to the OS account. */
  name: z.string().trim().min(1).max(200).nullable(),
});

export const readerOperations = {
  'reader:get': op(z.object({}), ReaderSchema, 'The reader the workstation acts and signs as (the reader.name setting, else the OS account).'),
  'reader:set': op(ReaderSetInputSchema, ReaderSchema, 'Set (or clear) the reader.name setting; audited, naming the old and the new reader.'),
};
