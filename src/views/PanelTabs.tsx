/** Accessible tabs (arrow keys move between tabs) for the lower-right panel. */
import { useRef, useState, type KeyboardEvent, type ReactElement, type ReactNode } from 'react';

export interface Tab {
  readonly id: string;
  readonly label: string;
  readonly render: () => ReactNode;
}

export function PanelTabs({ tabs, label }: { readonly tabs: readonly Tab[]; readonly label: string }): ReactElement {
  const [active, setActive] = useState(tabs[0]?.id ?? '');
  const buttons = useRef(new Map<string, HTMLButtonElement>());
  const current = tabs.find((t) => t.id === active) ?? tabs[0];

  const onKeyDown = (event: KeyboardEvent) => {
    const index = tabs.findIndex((t) => t.id === current?.id);
    const step = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
    if (step === 0) return;
    event.preventDefault();
    const next = tabs[(index + step + tabs.length) % tabs.length]!;
    setActive(next.id);
    buttons.current.get(next.id)?.focus();
  };

  return (
    <div className="panel-tabs">
      <div role="tablist" aria-label={label} className="panel-tabs-list" onKeyDown={onKeyDown}>
        {tabs.map((tab) => (
          <button
            key={tab.id}
            ref={(el) => void (el ? buttons.current.set(tab.id, el) : buttons.current.delete(tab.id))}
            role="tab"
            type="button"
            id={`tab-${tab.id}`}
            aria-selected={tab.id === current?.id}
            aria-controls={`tabpanel-${tab.id}`}
            tabIndex={tab.id === current?.id ? 0 : -1}
            onClick={() => setActive(tab.id)}
          >
            {tab.label}
          </button>
        ))}
      </div>
      {current && (
        <div role="tabpanel" id={`tabpanel-${current.id}`} aria-labelledby={`tab-${current.id}`} className="panel-tabs-panel">
          {current.render()}
        </div>
      )}
    </div>
  );
}
