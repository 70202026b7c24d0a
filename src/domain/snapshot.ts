/**
 * Snapshot v1: the complete record of one offline evaluation, the unit the workbench loads (DESIGN.md).
 * Producers: the snapshot CLI, later the eval CLI, and other tools via schema/snapshot.v1.schema.json.
 */
import { z } from 'zod';
import { ACTIONS } from './events';
import { SEGMENTS } from './segment';

export const SNAPSHOT_SCHEMA_ID = 'rolegen.snapshot';
export const SNAPSHOT_VERSION = 1;

const isoDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a day as YYYY-MM-DD');
const finite = z.number().refine(Number.isFinite, 'expected a finite number');
const probability = z.number().min(0).max(1);
const id = z.string().min(1).max(512);

export const attributionSchema = z.object({
  source: z.string(),
  terms: z.string(),
  /** Verbatim attribution text from the data's SOURCE.md. */
  text: z.string().optional(),
});

export const datasetInfoSchema = z.object({
  name: z.string().min(1),
  format: z.string().min(1),
  resolution: z.enum(['day', 'second']),
  attribution: attributionSchema,
  /** True for generated scale-test data: the UI must say so. */
  synthetic: z.boolean().default(false),
});

export const protocolSchema = z.object({
  split: z.object({
    kind: z.literal('last-purchase-day'),
    description: z.string(),
  }),
  dormantRule: z.object({
    minNonPurchaseEvents: z.number().int().min(0),
    maxPurchaseRate: probability,
  }),
  ks: z.array(z.number().int().positive()).min(1),
});

export const roleDefinitionSchema = z.object({
  id,
  label: z.string(),
  description: z.string(),
  color: z.string().regex(/^#[0-9a-fA-F]{6}$/, 'expected a colour as #rrggbb'),
});

export const intentClusterSchema = z.object({
  id: z.number().int().min(0),
  label: z.string(),
});

export const itemSchema = z.object({
  id,
  title: z.string().optional(),
  categories: z.array(z.string()).optional(),
  brand: z.string().optional(),
  price: finite.optional(),
  /** Semantic ID codes, coarse to fine (backbone issue). */
  sid: z.array(z.number().int().min(0)).optional(),
  /** Intent cluster (SID level 1) where known. */
  intent: z.number().int().min(0).optional(),
});

export const eventSchema = z.object({
  item: id,
  action: z.enum(ACTIONS),
  /** Unix seconds UTC; day-resolution data sits at 00:00 UTC. */
  time: finite,
});

export const purchaseDaySchema = z.object({
  day: isoDay,
  items: z.array(id).min(1),
});

export const userSchema = z.object({
  id,
  segment: z.enum(SEGMENTS),
  /** Every event of the user, time-ordered; same-day order is the file order and means nothing at day resolution. */
  events: z.array(eventSchema),
  target: purchaseDaySchema.optional(),
  validation: purchaseDaySchema.optional(),
});

export const rankedListSchema = z.object({
  user: id,
  items: z.array(id),
  scores: z.array(finite),
});

export const predictionSetSchema = z.object({
  model: z.string().min(1),
  description: z.string().optional(),
  lists: z.array(rankedListSchema),
});

export const eventRoleSchema = z.object({
  role: id,
  confidence: probability,
  evidence: z.object({
    iv: finite.optional(),
    ie: finite.optional(),
    intentBefore: z.number().int().min(0).optional(),
    intentAfter: z.number().int().min(0).optional(),
  }).optional(),
});

export const interventionSchema = z.object({
  kind: z.enum(['insert', 'remove', 'replace', 'none']),
  /** Index of the event the intervention applies after (insert) or to (remove, replace). */
  at: z.number().int().min(-1),
  item: id.optional(),
});

export const counterfactualPathSchema = z.object({
  intervention: interventionSchema,
  events: z.array(eventSchema.omit({ time: true }).extend({ step: z.number().int().min(1) })),
  pConv: probability,
  convertedItem: id.optional(),
  /** Intent cluster the path leads to (the converted item's, else the intervention item's). */
  intent: z.number().int().min(0).optional(),
});

export const candidateSchema = z.object({
  item: id,
  score: finite,
  role: id.optional(),
  /** Index into the same reasoning record's paths. */
  path: z.number().int().min(0).optional(),
});

export const provenanceSchema = z.object({
  reasoner: z.string(),
  modelId: z.string().optional(),
  seed: z.number().int(),
  params: z.record(z.string(), z.unknown()),
  ms: finite.optional(),
});

export const reasoningSchema = z.object({
  user: id,
  /** roles[i] is the role of the user's events[i]; events past its end (the held-out days) have none. */
  roles: z.array(eventRoleSchema),
  intentEvolution: z.array(z.array(probability)),
  paths: z.array(counterfactualPathSchema),
  candidates: z.array(candidateSchema),
  provenance: provenanceSchema,
});

export const metricSchema = z.object({
  model: z.string(),
  /** Cohort the figure is over, e.g. 'all', 'dormant', 'dormant/new-target'. */
  cohort: z.string(),
  name: z.string(),
  k: z.number().int().positive().optional(),
  value: finite,
  ci: z.tuple([finite, finite]).optional(),
  n: z.number().int().min(0).optional(),
});

/** A paired difference between two models over the same users, with its bootstrap interval. */
export const comparisonSchema = z.object({
  model: z.string(),
  baseline: z.string(),
  cohort: z.string(),
  metric: z.string(),
  k: z.number().int().positive().optional(),
  n: z.number().int().min(0),
  difference: finite,
  ci: z.tuple([finite, finite]),
  /** difference / the baseline's value; absent when the baseline is 0. */
  relative: finite.optional(),
});

export const loopRoundSchema = z.object({
  round: z.number().int().min(0),
  params: z.record(z.string(), z.unknown()),
  validation: z.record(z.string(), finite),
  kept: z.boolean(),
  memo: z.string().optional(),
});

export const snapshotSchema = z.object({
  schema: z.literal(SNAPSHOT_SCHEMA_ID),
  version: z.literal(SNAPSHOT_VERSION),
  createdAt: z.string(),
  producer: z.object({ tool: z.string(), version: z.string(), command: z.string().optional() }),
  dataset: datasetInfoSchema,
  protocol: protocolSchema,
  roleTaxonomy: z.array(roleDefinitionSchema).min(1),
  intents: z.array(intentClusterSchema).default([]),
  items: z.array(itemSchema),
  users: z.array(userSchema),
  /** Models that produced this snapshot, as folders relative to the app (e.g. models/cikm2019/), to recompute live. */
  models: z.object({ backbone: z.string().min(1).max(512).optional() }).optional(),
  predictions: z.array(predictionSetSchema).optional(),
  reasoning: z.array(reasoningSchema).optional(),
  metrics: z.array(metricSchema).optional(),
  comparisons: z.array(comparisonSchema).optional(),
  loop: z.array(loopRoundSchema).optional(),
});

export type Snapshot = z.infer<typeof snapshotSchema>;
export type SnapshotInput = z.input<typeof snapshotSchema>;
export type SnapshotItem = z.infer<typeof itemSchema>;
export type SnapshotUser = z.infer<typeof userSchema>;
export type SnapshotEvent = z.infer<typeof eventSchema>;
export type PredictionSet = z.infer<typeof predictionSetSchema>;
export type Reasoning = z.infer<typeof reasoningSchema>;
export type EventRole = z.infer<typeof eventRoleSchema>;
export type CounterfactualPath = z.infer<typeof counterfactualPathSchema>;
export type Metric = z.infer<typeof metricSchema>;
export type ComparisonRecord = z.infer<typeof comparisonSchema>;
export type LoopRound = z.infer<typeof loopRoundSchema>;
export type RoleDefinitionRecord = z.infer<typeof roleDefinitionSchema>;
