import { type ReactNode, useLayoutEffect, useRef, useState } from "react";
import type { LogSnapshot } from "./use-log-snapshot.ts";
import "./log-view.css";

/** Every row has this height, so positions are arithmetic: nothing is ever measured. */
const ROW_HEIGHT = 26;
/** Rows rendered beyond each edge of the view, so a quick scroll shows no blank rows. */
const OVERSCAN = 8;

/**
 * A log rendered as a virtual list: only the rows in view exist in the DOM, so 100,000
 * entries cost the same as 30. Rows have one fixed height, so the list needs no measuring
 * and no layout reads: the visible range is computed from the scroll offset alone. While
 * scrolled to the bottom it follows new entries.
 */
export function VirtualLog<T>({
  snapshot,
  renderRow,
  rowClassName,
  header,
  notice,
  empty,
  testId,
  height = 260,
  columnsClassName = "message-grid",
  minWidth = 560,
}: {
  snapshot: LogSnapshot<T>;
  renderRow: (entry: T, index: number) => ReactNode;
  /** Class of a row's list item (e.g. a section row spans the columns). */
  rowClassName: (entry: T) => string;
  header: ReactNode;
  /** A line above the rows, e.g. why the newest section has no rows. */
  notice?: ReactNode;
  empty: ReactNode;
  testId: string;
  height?: number;
  /** Class giving the header its column layout. */
  columnsClassName?: string;
  /** Narrower than this, the log scrolls sideways (a phone) rather than clip its columns. */
  minWidth?: number;
}) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const following = useRef(true);
  const [scrollTop, setScrollTop] = useState(0);
  const { length } = snapshot;
  const totalHeight = length * ROW_HEIGHT;
  const bottom = Math.max(0, totalHeight - height);
  const top = following.current ? bottom : Math.min(scrollTop, bottom);
  const start = Math.max(0, Math.floor(top / ROW_HEIGHT) - OVERSCAN);
  const end = Math.min(length, Math.ceil((top + height) / ROW_HEIGHT) + OVERSCAN);

  useLayoutEffect(() => {
    // Following: keep the newest rows in view. A write, never a read, of the scroll offset.
    const element = scrollRef.current;
    if (following.current && element && length > 0) element.scrollTop = bottom;
  }, [length, bottom]);

  const rows: ReactNode[] = [];
  for (let index = start; index < end; index += 1) {
    const entry = snapshot.at(index);
    if (entry === undefined) continue;
    rows.push(
      <li
        key={index}
        className={rowClassName(entry)}
        style={{ transform: `translateY(${index * ROW_HEIGHT}px)` }}
      >
        {renderRow(entry, index)}
      </li>,
    );
  }

  return (
    <div className="virtual-log" data-testid={testId}>
      <div className="virtual-log-inner" style={{ minWidth }}>
        <div className={`log-row log-header ${columnsClassName}`} aria-hidden="true">
          {header}
        </div>
        {notice}
        <div
          ref={scrollRef}
          className="log-scroll"
          style={{ height }}
          onScroll={(event) => {
            const offset = event.currentTarget.scrollTop;
            following.current = totalHeight - offset - height < ROW_HEIGHT * 2;
            setScrollTop(offset);
          }}
        >
          {length === 0 ? (
            <div className="log-empty">{empty}</div>
          ) : (
            <ul className="log-list" style={{ height: totalHeight }}>
              {rows}
            </ul>
          )}
        </div>
      </div>
    </div>
  );
}
