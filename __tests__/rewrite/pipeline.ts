import { createHash } from 'node:crypto';
import { type EditPlan, planCopies, planEdits } from '../../src/plan/index.js';
import { applyEdits, type Extractor, type RewriteResult } from '../../src/rewrite/index.js';
import { extractFile } from '../../src/scan/index.js';
import type { FinderContext } from '../../src/scan/types.js';

/** Test destination: a local registry prefix, so the port mapping is exercised too. */
export const MIRROR = '127.0.0.1:5000/mirror';

/** Every directory has a Chart.yaml, so values files are read as Helm values. */
const CONTEXT: FinderContext = { hasSibling: (name) => name === 'Chart.yaml' };

/** The real finders, picked by path exactly as the scan picks them. */
export const extract: Extractor = (file, content) => extractFile(file, content, CONTEXT);

/** What a copy would report: the source's own digest, else a stable digest derived from its name. */
export function copyDigest(source: string): string {
  const at = source.indexOf('@');
  return at >= 0 ? source.slice(at + 1) : `sha256:${createHash('sha256').update(source).digest('hex')}`;
}

/** Scan → plan → (pretend) copy → edits for one file, then applyEdits with the real finders. */
export function rewriteFile(
  file: string,
  content: string,
  options: { pinDigest?: boolean; pathTemplate?: string } = {},
): { plan: EditPlan; result: RewriteResult } {
  const copies = planCopies(extract(file, content).occurrences, {
    destination: MIRROR,
    ...(options.pathTemplate ? { pathTemplate: options.pathTemplate } : {}),
  });
  const results = new Map(copies.jobs.map((job) => [job.source, { digest: copyDigest(job.source) }]));
  const plan = planEdits(copies.jobs, results, { pinDigest: options.pinDigest ?? true });
  const edits = plan.files.find((f) => f.file === file)?.edits ?? [];
  return { plan, result: applyEdits(file, content, edits, extract) };
}
