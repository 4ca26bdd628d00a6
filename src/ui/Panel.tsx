import { type ReactNode, useMemo } from "react";
import { setCollapsed, useCollapsed } from "../stores/panel-layout-store.ts";
import { PanelContext } from "./panel-context.ts";
import "./panel.css";

/**
 * One panel of a card (or of the page): a heading whose button collapses and expands the body.
 * The heading stays a heading (named by its title) and the button inside it is named by the same
 * title, with `aria-expanded` saying which way it is. A collapsed body is hidden, not unmounted:
 * its stores keep collecting (a log keeps counting) and it comes back as it was left.
 */
export function Panel({
  cardId,
  panelKey,
  title,
  className,
  headingId,
  headingLevel = 3,
  labelled = false,
  label,
  testId,
  children,
}: {
  /** The card the panel belongs to ("page" for page-level panels): collapsing is per card. */
  cardId: string;
  /** Short stable key of the panel within its card, e.g. "frame-log" (saved with scenarios). */
  panelKey: string;
  title: string;
  /** Classes added to `panel`. */
  className?: string;
  /** The heading's id (default: derived from the card and key), e.g. for aria-labelledby. */
  headingId?: string;
  headingLevel?: 2 | 3;
  /** Whether the section is labelled by its heading (a named region). Default false. */
  labelled?: boolean;
  /** The section's own accessible name, when it differs from the title. */
  label?: string;
  testId?: string;
  children: ReactNode;
}) {
  const collapsed = useCollapsed(cardId, panelKey);
  const id = headingId ?? `${cardId}-${panelKey}-title`;
  const bodyId = `${cardId}-${panelKey}-body`;
  const info = useMemo(() => ({ panelKey, title, collapsed }), [panelKey, title, collapsed]);
  const Heading = headingLevel === 2 ? "h2" : "h3";

  return (
    <section
      className={className ? `panel ${className}` : "panel"}
      data-panel={panelKey}
      data-collapsed={collapsed ? "" : undefined}
      data-testid={testId}
      aria-labelledby={labelled && !label ? id : undefined}
      aria-label={label}
    >
      <Heading id={id} className="panel-heading">
        <button
          type="button"
          className="panel-toggle"
          aria-expanded={!collapsed}
          aria-controls={bodyId}
          title={collapsed ? "Show this panel" : "Collapse this panel"}
          onClick={() => setCollapsed(cardId, panelKey, !collapsed)}
        >
          <span className="panel-chevron" aria-hidden="true" />
          {title}
        </button>
      </Heading>
      <div id={bodyId} className="panel-body" hidden={collapsed}>
        <PanelContext.Provider value={info}>{children}</PanelContext.Provider>
      </div>
    </section>
  );
}
