import { z } from 'zod';

/** Row ids in the local index. */
export const IdSchema = z.number().int().positive();

/** ISO date (YYYY-MM-DD); DICOM DA values are converted on import. */
export const IsoDateSchema = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD');

/**
 * A path served by the resource handler of whichever transport is in use (custom protocol in Electron, HTTP GET on
 * the bridge), e.g. `/files/instances/12/thumbnail.png`. Pixels and files never travel inside JSON.
 */
export const ResourcePathSchema = z.string().startsWith('/files/');

/** The languages of the UI, the findings text and the reports: declared here once. */
export const LanguageSchema = z.enum(['en', 'fr', 'es', 'pt']);
export type Language = z.infer<typeof LanguageSchema>;

export const EmptySchema = z.object({}).strict();
export const OkSchema = z.object({ ok: z.literal(true) });
