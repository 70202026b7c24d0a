/** What every format reader returns: canonical events and items plus a full account of the rows read. */
import type { CanonicalEvent, ItemAttributes, TimeResolution } from '../domain/events';
import type { MalformedReport } from './malformed';
import type { FileSummary } from './table';

export interface RawReadResult {
  readonly format: string;
  readonly resolution: TimeResolution;
  /** In file order; the dataset step orders them per user. */
  readonly events: CanonicalEvent[];
  /** Every item with at least one event, in first-seen order, with attributes where the format has them. */
  readonly items: ItemAttributes[];
  readonly malformed: MalformedReport;
  /** Data rows over all files (header and blank lines excluded; malformed and skipped included). */
  readonly rows: number;
  /** Known event types that are not one of the four actions, by raw type: counted, never silently dropped. */
  readonly skipped: Readonly<Record<string, number>>;
  readonly files: readonly FileSummary[];
  /** Other things a user should know about the input (e.g. feature rows of items without events). */
  readonly notes: readonly string[];
}

interface MutableItem {
  id: string;
  categories?: readonly string[];
  brand?: string;
  price?: number;
  title?: string;
}

/** Items in first-seen order; later rows fill attributes the first row left empty (REES46 rows repeat them). */
export class ItemTable {
  private readonly byId = new Map<string, MutableItem>();

  see(id: string, attributes?: Omit<ItemAttributes, 'id'>): void {
    let item = this.byId.get(id);
    if (!item) {
      item = { id };
      this.byId.set(id, item);
    }
    if (!attributes) return;
    if (item.categories === undefined && attributes.categories !== undefined) item.categories = attributes.categories;
    if (item.brand === undefined && attributes.brand !== undefined) item.brand = attributes.brand;
    if (item.price === undefined && attributes.price !== undefined) item.price = attributes.price;
    if (item.title === undefined && attributes.title !== undefined) item.title = attributes.title;
  }

  has(id: string): boolean {
    return this.byId.has(id);
  }

  items(): ItemAttributes[] {
    return [...this.byId.values()];
  }
}
