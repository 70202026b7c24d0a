/** The default functional-role taxonomy (DESIGN.md). Snapshots carry their own; this is what the CLI writes. */

export interface RoleDefinition {
  readonly id: string;
  readonly label: string;
  readonly description: string;
  /** CSS colour used by the views. */
  readonly color: string;
}

export const DEFAULT_ROLE_TAXONOMY: readonly RoleDefinition[] = [
  { id: 'converter', label: 'Converter', color: '#d62728',
    description: 'The purchase itself, or the cart/favourite of the item that is then bought.' },
  { id: 'trigger', label: 'Trigger', color: '#ff7f0e',
    description: 'Opens an intent episode (a new intent cluster) and removing it lowers P(target) by more than theta.' },
  { id: 'explorer', label: 'Explorer', color: '#2ca02c',
    description: 'Moves the intent distribution toward the target cluster without opening it.' },
  { id: 'comparator', label: 'Comparator', color: '#1f77b4',
    description: 'Same intent cluster as the target, a different item, in the episode that precedes conversion.' },
  { id: 'complement', label: 'Complement', color: '#9467bd',
    description: 'Another intent cluster that co-converts with the target cluster (positive PMI in purchase baskets).' },
  { id: 'distractor', label: 'Distractor', color: '#7f7f7f',
    description: 'Negligible instrumental effect and no move of intent toward the target.' },
];
