/**
 * Small readers for hostile JSON answers: each takes `unknown` and gives a typed value or
 * undefined, with lengths and counts bounded, so clients never trust a field's type or size.
 */

/** The value as a plain object, or undefined. */
export function asObject(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/** A string of at most `max` characters (default 1024), or undefined. */
export function asText(value: unknown, max = 1024): string | undefined {
  return typeof value === 'string' && value.length <= max ? value : undefined;
}

/** An array cut to `max` items (default 1000); anything else gives []. */
export function asList(value: unknown, max = 1000): unknown[] {
  return Array.isArray(value) ? value.slice(0, max) : [];
}

/** The strings of an array (each at most `maxLength`), at most `max` of them. */
export function asTextList(value: unknown, max = 1000, maxLength = 1024): string[] {
  return asList(value, max)
    .map((item) => asText(item, maxLength))
    .filter((item): item is string => item !== undefined);
}

/** The field at a dotted path (`resource.labels.cluster_name`) of a nested object, or undefined. */
export function pick(value: unknown, path: string): unknown {
  let current: unknown = value;
  for (const key of path.split('.')) {
    const object = asObject(current);
    if (!object || !Object.hasOwn(object, key)) return undefined;
    current = object[key];
  }
  return current;
}

/** Bounds of one paged listing. */
export interface PageLimits {
  /** Pages fetched at most. */
  maxPages: number;
  /** Items kept at most; the listing stops once it has them. */
  maxItems: number;
}

/** What a paged listing collected, and whether a bound (not the end of the list) stopped it. */
export interface Paged<T> {
  items: T[];
  truncated: boolean;
  pages: number;
}

/**
 * Follows `nextPageToken`s until the list ends or a bound is reached. A server that repeats a
 * token (or sends an absurd one) cannot keep the loop going.
 */
export async function collectPages<T>(
  fetchPage: (pageToken: string | undefined) => Promise<{ items: T[]; nextPageToken: string | undefined }>,
  limits: PageLimits,
): Promise<Paged<T>> {
  const items: T[] = [];
  const seen = new Set<string>();
  let token: string | undefined;
  for (let pages = 1; ; pages++) {
    const page = await fetchPage(token);
    const room = limits.maxItems - items.length;
    items.push(...page.items.slice(0, room));
    const next = page.nextPageToken;
    const more = next !== undefined && next !== '' && next.length <= 4096 && !seen.has(next);
    if (!more) return { items, truncated: page.items.length > room, pages };
    if (items.length >= limits.maxItems || pages >= limits.maxPages) return { items, truncated: true, pages };
    seen.add(next);
    token = next;
  }
}
