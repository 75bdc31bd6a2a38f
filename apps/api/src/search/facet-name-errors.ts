import { isReservedField } from '@miroir/core';

// Meilisearch 1.50's `invalid_facet_search_facet_name` lists the facet-searchable attributes:
//   Attribute `x` is not facet-searchable. Available facet-searchable attributes patterns are:
//   `a, b, <..hidden-attributes>`. To make it facet-searchable add it to the `filterableAttributes`…
// Nodes behind Miroir also have `_miroir_shard` filterable (so facet-searchable), which a client
// never sees (docs/design.md#reserved-attributes): it is removed from the list, and so is the hidden-attributes marker when
// `_miroir_shard` was the only facet-searchable attribute hidden by `displayedAttributes`.

const LIST = /Available facet-searchable attributes patterns are: `([^`]*)`\./;
const HIDDEN = '<..hidden-attributes>';
const NONE = 'This index does not have configured facet-searchable attributes.';

/** The index settings that decide what the message lists (raw, as a node returns them). */
export interface FacetNameSettings {
  readonly filterableAttributes?: unknown;
  readonly displayedAttributes?: unknown;
}

/**
 * The patterns Meilisearch 1.50 lists as facet-searchable: the plain filterable patterns and those
 * of object rules whose features enable facetSearch (it lists `*` patterns too, though only an
 * exact name makes an attribute facet-searchable).
 */
function facetSearchablePatterns(filterable: unknown): string[] {
  if (!Array.isArray(filterable)) return [];
  const out: string[] = [];
  for (const entry of filterable as unknown[]) {
    if (typeof entry === 'string') out.push(entry);
    else if (typeof entry === 'object' && entry !== null) {
      const rule = entry as { attributePatterns?: unknown; features?: { facetSearch?: unknown } };
      if (rule.features?.facetSearch === true && Array.isArray(rule.attributePatterns)) {
        for (const p of rule.attributePatterns as unknown[]) if (typeof p === 'string') out.push(p);
      }
    }
  }
  return out.filter((n) => !isReservedField(n));
}

/** Whether a client-visible facet-searchable attribute is hidden by `displayedAttributes`. */
export function clientHasHiddenFacetSearchable(settings: FacetNameSettings): boolean {
  const displayed = settings.displayedAttributes;
  if (!Array.isArray(displayed) || displayed.includes('*')) return false;
  return facetSearchablePatterns(settings.filterableAttributes).some((n) => !displayed.includes(n));
}

/** Whether a node's message carries the hidden-attributes marker (then settings decide it). */
export function hasHiddenMarker(message: string): boolean {
  return LIST.exec(message)?.[1]?.split(', ').includes(HIDDEN) ?? false;
}

/**
 * A node's facet-name error as one Meilisearch node holding the client's data words it:
 * `attribute` (when given) replaces the name the node was asked about, reserved names leave the
 * list, and the hidden marker stays only when `keepHidden`.
 */
export function clientFacetNameMessage(message: string, opts: { keepHidden: boolean; asked?: string; attribute?: string }): string {
  let out = message;
  if (opts.asked !== undefined && opts.attribute !== undefined) {
    out = out.replace(`Attribute \`${opts.asked}\``, () => `Attribute \`${opts.attribute}\``);
  }
  const m = LIST.exec(out);
  if (!m) return out;
  const names = m[1]!.split(', ').filter((n) => !isReservedField(n) && (opts.keepHidden || n !== HIDDEN));
  const list = names.every((n) => n === HIDDEN) ? NONE : `Available facet-searchable attributes patterns are: \`${names.join(', ')}\`.`;
  return out.replace(LIST, () => list);
}
