/**
 * Said above figures or rows when the filters last submitted could not be applied (say, an email no user has): what
 * is shown is still what the filters before them found.
 */
export function StaleFilters({ shown, what }: { shown: boolean; what: string }) {
  if (!shown) return null;
  return (
    <p className="hint" data-testid="filters-stale">
      These {what} are still those of the filters applied before; fix the filters above and apply them again.
    </p>
  );
}
