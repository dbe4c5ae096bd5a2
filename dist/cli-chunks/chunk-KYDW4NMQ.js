import { createRequire as __arMirrorCreateRequire } from 'node:module';
const require = __arMirrorCreateRequire(import.meta.url);

// src/cloud/json.ts
function asObject(value) {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? value : void 0;
}
function asText(value, max = 1024) {
  return typeof value === "string" && value.length <= max ? value : void 0;
}
function asList(value, max = 1e3) {
  return Array.isArray(value) ? value.slice(0, max) : [];
}
function asTextList(value, max = 1e3, maxLength = 1024) {
  return asList(value, max).map((item) => asText(item, maxLength)).filter((item) => item !== void 0);
}
function pick(value, path) {
  let current = value;
  for (const key of path.split(".")) {
    const object = asObject(current);
    if (!object || !Object.hasOwn(object, key)) return void 0;
    current = object[key];
  }
  return current;
}
async function collectPages(fetchPage, limits) {
  const items = [];
  const seen = /* @__PURE__ */ new Set();
  let token;
  for (let pages = 1; ; pages++) {
    const page = await fetchPage(token);
    const room = limits.maxItems - items.length;
    items.push(...page.items.slice(0, room));
    const next = page.nextPageToken;
    const more = next !== void 0 && next !== "" && next.length <= 4096 && !seen.has(next);
    if (!more) return { items, truncated: page.items.length > room, pages };
    if (items.length >= limits.maxItems || pages >= limits.maxPages) return { items, truncated: true, pages };
    seen.add(next);
    token = next;
  }
}

export {
  asObject,
  asText,
  asList,
  asTextList,
  pick,
  collectPages
};
