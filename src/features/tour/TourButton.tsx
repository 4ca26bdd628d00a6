/**
 * The page-level `Tour` button. Kept apart from the panel, which is loaded only when the button
 * is first pressed (its stops and their scenarios are not in the page's first bundle).
 */
export function TourButton({ open, onToggle }: { open: boolean; onToggle(): void }) {
  return (
    <button type="button" aria-expanded={open} aria-controls="tour-panel" onClick={onToggle}>
      Tour
    </button>
  );
}
