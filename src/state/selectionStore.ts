/**
 * The one selection every view shares (user, focused event, hovered event).
 * Cleared when a new snapshot replaces the old one and the user is not in it.
 */
import { create } from 'zustand';

interface SelectionState {
  readonly userId: string | null;
  /** Index into the selected user's events. */
  readonly eventIndex: number | null;
  readonly hoveredEventIndex: number | null;
  selectUser(userId: string | null): void;
  selectEvent(index: number | null): void;
  hoverEvent(index: number | null): void;
}

export const useSelectionStore = create<SelectionState>()((set) => ({
  userId: null,
  eventIndex: null,
  hoveredEventIndex: null,
  selectUser: (userId) => set({ userId, eventIndex: null, hoveredEventIndex: null }),
  selectEvent: (eventIndex) => set({ eventIndex }),
  hoverEvent: (hoveredEventIndex) => set({ hoveredEventIndex }),
}));
