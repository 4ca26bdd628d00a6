import { useVirtualizer } from "@tanstack/react-virtual";
import { type ReactNode, useEffect, useRef } from "react";
import type { LogSnapshot } from "./use-log-snapshot.ts";

const ROW_HEIGHT = 26;

/**
 * A log rendered as a virtual list: only the rows in view exist in the DOM, so 100,000
 * entries cost the same as 30. While scrolled to the bottom it follows new entries.
 */
export function VirtualLog<T>({
  snapshot,
  renderRow,
  header,
  empty,
  testId,
  height = 260,
  columnsClassName = "message-grid",
  rowsAreGrids = true,
}: {
  snapshot: LogSnapshot<T>;
  renderRow: (entry: T, index: number) => ReactNode;
  header: ReactNode;
  empty: ReactNode;
  testId: string;
  height?: number;
  /** Class giving the header (and, with `rowsAreGrids`, each row) its column layout. */
  columnsClassName?: string;
  /** False when `renderRow` returns its own grid element (e.g. a button per row). */
  rowsAreGrids?: boolean;
}) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const following = useRef(true);
  const virtualizer = useVirtualizer({
    count: snapshot.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 8,
  });

  useEffect(() => {
    // Rows have one fixed height, so the end is known without measuring the DOM: a write
    // of scrollTop is the only layout this costs per animation frame.
    const element = scrollRef.current;
    if (following.current && element && snapshot.length > 0) {
      element.scrollTop = snapshot.length * ROW_HEIGHT;
    }
  }, [snapshot]);

  return (
    <div className="virtual-log" data-testid={testId}>
      <div className={`log-row log-header ${columnsClassName}`} aria-hidden="true">
        {header}
      </div>
      <div
        ref={scrollRef}
        className="log-scroll"
        style={{ height }}
        onScroll={(event) => {
          const element = event.currentTarget;
          following.current =
            snapshot.length * ROW_HEIGHT - element.scrollTop - height < ROW_HEIGHT * 2;
        }}
      >
        {snapshot.length === 0 ? (
          <div className="log-empty">{empty}</div>
        ) : (
          <ul className="log-list" style={{ height: virtualizer.getTotalSize() }}>
            {virtualizer.getVirtualItems().map((item) => {
              const entry = snapshot.at(item.index);
              if (entry === undefined) return null;
              return (
                <li
                  key={item.key}
                  className={rowsAreGrids ? `log-row ${columnsClassName}` : "log-row log-row-plain"}
                  style={{ transform: `translateY(${item.start}px)` }}
                >
                  {renderRow(entry, item.index)}
                </li>
              );
            })}
          </ul>
        )}
      </div>
    </div>
  );
}
