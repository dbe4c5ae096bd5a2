import { type Engine, step } from './copy-engine.js';
import { type Descriptor, OCI_INDEX, parseManifest } from './media-types.js';

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
  if (referrers.length > 0) await indexReferrersAtDestination(engine, digest, referrers);
  return copied;
}

/**
 * A destination without the referrers API (404) cannot find the copied referrers by their
 * `subject`, so they are listed in the fallback tag `sha256-<hex>` instead, adding to what that
 * tag already lists (OCI distribution-spec 1.1, "Referrers Tag Schema").
 */
async function indexReferrersAtDestination(
  engine: Engine,
  digest: string,
  referrers: Descriptor[],
): Promise<void> {
  const tag = digest.replace(':', '-');
  await step(`updating the referrers tag ${tag}`, async () => {
    if ((await engine.dst.referrers(engine.dstRepo, digest)) !== undefined) return;
    const listed = await existingReferrers(engine, tag);
    const known = new Set(listed.map((d) => d.digest));
    const added = referrers.filter((r) => !known.has(r.digest));
    if (added.length === 0) return;
    const index = { schemaVersion: 2, mediaType: OCI_INDEX, manifests: [...listed, ...added] };
    const bytes = Buffer.from(JSON.stringify(index));
    await engine.dst.putManifest(engine.dstRepo, tag, { bytes, mediaType: OCI_INDEX });
  });
}

async function existingReferrers(engine: Engine, tag: string): Promise<Descriptor[]> {
  if (!(await engine.dst.headManifest(engine.dstRepo, tag))) return [];
  const current = await engine.dst.getManifest(engine.dstRepo, tag);
  const parsed = parseManifest(current.bytes, current.mediaType);
  // Entries are kept verbatim (artifactType, annotations), not re-derived from the parsed form.
  if (parsed.kind !== 'index') return [];
  return (JSON.parse(current.bytes.toString('utf8')) as { manifests: Descriptor[] }).manifests;
}

async function copyTagIfPresent(engine: Engine, tag: string, copyRef: CopyReference): Promise<boolean> {
  const found = await step(`looking for ${tag}`, () => engine.src.headManifest(engine.srcRepo, tag));
  if (!found) return false;
  await step(`copying ${tag}`, () => copyRef(tag));
  return true;
}
