/** The backbone's meta.json (written by training/ at export): everything the runtime needs to encode and decode. */
import { z } from 'zod';
import { ACTIONS } from '../../domain/events';

export const backboneMetaSchema = z.object({
  schema: z.literal('rolegen.backbone'),
  version: z.literal(1),
  dataset: z.string(),
  attribution: z.object({ source: z.string(), terms: z.string(), text: z.string().optional() }).nullable().optional(),
  maxLen: z.number().int().positive(),
  dModel: z.number().int().positive(),
  /** Codebook sizes of the 4 SID levels (3 semantic levels + a dedup code). */
  vocab: z.tuple([z.number().int().positive(), z.number().int().positive(), z.number().int().positive(), z.number().int().positive()]),
  actions: z.tuple([z.literal(ACTIONS[0]), z.literal(ACTIONS[1]), z.literal(ACTIONS[2]), z.literal(ACTIONS[3])]),
  /** Gap bucket = number of bounds <= the gap in seconds to the previous event; the first event is bucket 0. */
  gapBoundsSeconds: z.array(z.number().min(0)),
  padding: z.literal('left'),
  files: z.object({ encoder: z.string(), head: z.string(), sids: z.string(), parity: z.string().optional() }),
  intents: z.array(z.object({ id: z.number().int().min(0), label: z.string() })),
  /**
   * Integration (a): the encoder takes the reasoner's candidates as a conditioning segment of this many slots
   * (inputs `candidates` [B, slots, 4] and `candidate_mask` [B, slots]). Absent: the encoder has no such inputs.
   */
  candidateSlots: z.number().int().positive().optional(),
  sidStats: z.record(z.string(), z.unknown()).optional(),
  training: z.record(z.string(), z.unknown()).optional(),
});

export type BackboneMeta = z.infer<typeof backboneMetaSchema>;

export function parseBackboneMeta(data: unknown, source: string): BackboneMeta {
  const parsed = backboneMetaSchema.safeParse(data);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new Error(`${source}: ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid model metadata'}`);
}
