import {
  type CSSProperties,
  type ReactNode,
  useEffect,
  useLayoutEffect,
  useRef,
  useState,
} from "react";
import type { LogSnapshot } from "./use-log-snapshot.ts";
import "./log-view.css";

/**
 * Every row has one height, so positions are arithmetic: no row is ever measured. It is the
 * --log-row-height design token (taller in presenter mode), read through a ResizeObserver on a
 * ruler of that height; this is its value until the observer reports.
 */
const ROW_HEIGHT = 26;
/** Rows rendered beyond each edge of the view, so a quick scroll shows no blank rows. */
const OVERSCAN = 8;

/**
 * A log rendered as a virtual list: only the rows in view exist in the DOM, so 100,000
 * entries cost the same as 30. Rows have one fixed height, so the list needs no measuring
 * and no layout reads: the visible range is computed from the scroll offset alone. While
 * scrolled to the bottom it follows new entries.
 *
 * The user can make the view taller or shorter (its bottom edge is a CSS `resize: vertical`
 * handle); a ResizeObserver reports the new height, so the list renders the rows that fit
 * without reading layout on scroll or render.
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
  /** The view's initial height in px at normal type size (scaled by --log-scale). */
  height?: number;
  /** Class giving the header its column layout. */
  columnsClassName?: string;
  /**
   * Narrower than this (px at normal type size, scaled by --log-scale), the log scrolls
   * sideways (a phone, a presenter's half screen) rather than clip its columns.
   */
  minWidth?: number;
}) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const rulerRef = useRef<HTMLDivElement>(null);
  const following = useRef(true);
  const [scrollTop, setScrollTop] = useState(0);
  const [viewHeight, setViewHeight] = useState(height);
  const [rowHeight, setRowHeight] = useState(ROW_HEIGHT);
  const { length } = snapshot;
  const totalHeight = length * rowHeight;
  const bottom = Math.max(0, totalHeight - viewHeight);
  const top = following.current ? bottom : Math.min(scrollTop, bottom);
  const start = Math.max(0, Math.floor(top / rowHeight) - OVERSCAN);
  const end = Math.min(length, Math.ceil((top + viewHeight) / rowHeight) + OVERSCAN);

  useEffect(() => {
    const view = scrollRef.current;
    const ruler = rulerRef.current;
    if (!view || !ruler || typeof ResizeObserver === "undefined") return;
    // Sizes come to us after layout, when they change: a resize by the user, presenter mode
    // switched (tokens), never a scroll.
    const observer = new ResizeObserver((entries) => {
      for (const entry of entries) {
        const size = entry.contentRect.height;
        if (size <= 0) continue; // hidden (a collapsed panel): keep the last known size
        if (entry.target === ruler) setRowHeight(Math.round(size));
        else setViewHeight(size);
      }
    });
    observer.observe(view);
    observer.observe(ruler);
    return () => observer.disconnect();
  }, []);

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
        style={{ height: rowHeight, transform: `translateY(${index * rowHeight}px)` }}
      >
        {renderRow(entry, index)}
      </li>,
    );
  }

  return (
    <div
      className="virtual-log"
      data-testid={testId}
      // A property, not min-width itself, so that a log's stylesheet can narrow it (frame-log.css).
      style={{ "--log-min-width": `${minWidth}px` } as CSSProperties}
    >
      <div className="log-row-ruler" ref={rulerRef} aria-hidden="true" />
      <div className="virtual-log-inner">
        <div className={`log-row log-header ${columnsClassName}`} aria-hidden="true">
          {header}
        </div>
        {notice}
        <div
          ref={scrollRef}
          className="log-scroll"
          // Set once: after that the user's resize handle owns the height.
          style={{ height: `calc(${height}px * var(--log-scale))` }}
          onScroll={(event) => {
            const offset = event.currentTarget.scrollTop;
            following.current = totalHeight - offset - viewHeight < rowHeight * 2;
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
