import { type Engine, step } from './copy-engine.js';

/** The cosign tag suffixes: signatures, attestations, SBOMs (`sha256-<hex>.sig`). */
export const COSIGN_SUFFIXES = ['sig', 'att', 'sbom'] as const;

/** Copies one reference (tag or digest) of the source repository to the same reference at the destination. */
export type CopyReference = (reference: string) => Promise<void>;

/**
 * Copies what is attached to `digest`: the cosign tags `sha256-<hex>.sig|.att|.sbom` when they
 * exist, and the OCI 1.1 referrers. When the referrers API is absent (404, as on distribution
 * 2.8), its fallback is the tag `sha256-<hex>` holding an index of referrers, copied like the
 * cosign tags. Returns what was copied (`tag` or `@digest` entries), in a fixed order.
 */
export async function copySignatures(
  engine: Engine,
  digest: string,
  copyRef: CopyReference,
): Promise<string[]> {
  const base = digest.replace(':', '-');
  const copied: string[] = [];
  for (const suffix of COSIGN_SUFFIXES) {
    const tag = `${base}.${suffix}`;
    if (await copyTagIfPresent(engine, tag, copyRef)) copied.push(tag);
  }
  const referrers = await step(`listing referrers of ${digest}`, () =>
    engine.src.referrers(engine.srcRepo, digest),
  );
  if (referrers === undefined) {
    if (await copyTagIfPresent(engine, base, copyRef)) copied.push(base);
    return copied;
  }
  for (const referrer of referrers) {
    // A referrer is pushed by digest only; registries with the referrers API index it by `subject`.
    await step(`copying referrer ${referrer.digest}`, () => copyRef(referrer.digest));
    copied.push(`@${referrer.digest}`);
  }
  return copied;
}

async function copyTagIfPresent(engine: Engine, tag: string, copyRef: CopyReference): Promise<boolean> {
  const found = await step(`looking for ${tag}`, () => engine.src.headManifest(engine.srcRepo, tag));
  if (!found) return false;
  await step(`copying ${tag}`, () => copyRef(tag));
  return true;
}
