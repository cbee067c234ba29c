import { z } from 'zod';
import { IdSchema, OkSchema } from './common.js';
import { op } from './operation.js';

/**
 * The reader's measurements on an image, kept with the image (they are the reader's own annotations, the "reader
 * boxes" a cohort export can carry). Geometry only, in image pixel coordinates (origin top-left, x to the right);
 * what a measurement reads (mm, degrees, mean ± SD, a ratio) follows from the geometry and the image, so it is
 * computed where it is shown and cannot drift from the pixels.
 */
export const AnnotationKindSchema = z.enum(['ruler', 'angle', 'ellipse', 'ctr']);
export type AnnotationKind = z.infer<typeof AnnotationKindSchema>;

export const ImagePointSchema = z.tuple([z.number().finite(), z.number().finite()]);
export type ImagePoint = z.infer<typeof ImagePointSchema>;

/**
 * Points per kind: a ruler's two ends; an angle's three points with the vertex second; an ellipse's bounding box as
 * two opposite corners; a cardiothoracic ratio's cardiac diameter (two points) then thoracic diameter (two points).
 */
export const ANNOTATION_POINTS: Record<AnnotationKind, number> = { ruler: 2, angle: 3, ellipse: 2, ctr: 4 };

export const AnnotationSchema = z.object({
  id: IdSchema,
  instanceId: IdSchema,
  kind: AnnotationKindSchema,
  points: z.array(ImagePointSchema),
  /** The reader who drew it, as the core knows them (never what a client claims). */
  author: z.string(),
  createdAt: z.string(),
});
export type Annotation = z.infer<typeof AnnotationSchema>;

export const AnnotationCreateInputSchema = z
  .object({ instanceId: IdSchema, kind: AnnotationKindSchema, points: z.array(ImagePointSchema).min(2).max(4) })
  .superRefine((v, ctx) => {
    const want = ANNOTATION_POINTS[v.kind];
    if (v.points.length !== want) ctx.addIssue({ code: 'custom', path: ['points'], message: `a ${v.kind} has ${want} points, not ${v.points.length}` });
  });

export const annotationOperations = {
  'annotations:list': op(z.object({ instanceId: IdSchema }), z.array(AnnotationSchema), "The reader's measurements on one image, oldest first."),
  'annotations:create': op(AnnotationCreateInputSchema, AnnotationSchema, 'Store a measurement on an image, attributed to the current reader.'),
  'annotations:delete': op(z.object({ annotationId: IdSchema }), OkSchema, 'Remove a measurement.'),
};
