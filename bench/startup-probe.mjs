/**
 * Preloaded (`node --import`) by bench/startup.ts. Registers a module hook that records every
 * file the CLI loads (its entry point and each chunk), and at exit writes those paths and the
 * Node built-in modules loaded to the file named by AR_MIRROR_PROBE_OUT. The hook runs on the
 * loader's own thread, so it appends to a side file that the exit handler reads back.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { register } from 'node:module';

const out = process.env.AR_MIRROR_PROBE_OUT;
if (out) register(new URL('./startup-probe-hooks.mjs', import.meta.url), { data: `${out}.files` });

process.on('exit', () => {
  if (!out) return;
  const side = `${out}.files`;
  const files = existsSync(side) ? readFileSync(side, 'utf8').split('\n').filter(Boolean) : [];
  const builtins = process.moduleLoadList
    .filter((entry) => entry.startsWith('NativeModule '))
    .map((entry) => entry.slice('NativeModule '.length));
  writeFileSync(out, JSON.stringify({ files, builtins }));
});
