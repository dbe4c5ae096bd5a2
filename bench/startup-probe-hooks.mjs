/** Module hooks of bench/startup-probe.mjs: appends the path of every file module loaded. */
import { appendFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

let side;

export function initialize(path) {
  side = path;
  writeFileSync(side, '');
}

export async function load(url, context, next) {
  if (side && url.startsWith('file:')) appendFileSync(side, `${fileURLToPath(url)}\n`);
  return next(url, context);
}
