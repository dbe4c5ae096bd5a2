/**
 * What is attached to an image: the cosign tags `sha256-<hex>.sig|.att|.sbom`, and the OCI 1.1
 * referrers (or, without the referrers API, the fallback tag `sha256-<hex>` holding an index of
 * them). Resolved with the image, before anything is written; pushed after it.
 */
import { MirrorError } from '../errors.js';
import type { Digest } from '../reference/digest.js';
import { type Engine, step } from './copy-engine.js';
import type { Resolved } from './copy-one.js';
import { type Descriptor, OCI_INDEX, parseManifest } from './media-types.js';
import { digestTag, type ManifestReference, type Tag } from './names.js';

/** The cosign tag suffixes: signatures, attestations, SBOMs (`sha256-<hex>.sig`). */
export const COSIGN_SUFFIXES = ['sig', 'att', 'sbom'] as const;

/** Resolves one reference of the source repository to the same reference at the destination. */
export type ResolveReference = (reference: ManifestReference) => Promise<Resolved>;

/** What to copy for an image's signatures, resolved. */
export interface SignaturePlan {
  digest: Digest;
  /** Each attached reference, labelled as it is reported (`sha256-<hex>.sig`, `@sha256:…`). */
  items: { label: string; resolved: Resolved }[];
  /** The referrers listed by the source's referrers API; undefined when it has none. */
  referrers: Descriptor[] | undefined;
}

/**
 * Resolves what is attached to `digest`: the cosign tags that exist, then the referrers (each
 * must name `digest` as its subject), or the fallback tag when the referrers API is absent.
 */
export async function resolveSignatures(
  engine: Engine,
  digest: Digest,
  resolve: ResolveReference,
): Promise<SignaturePlan> {
  const items: SignaturePlan['items'] = [];
  for (const suffix of COSIGN_SUFFIXES) {
    const tag = digestTag(digest, suffix);
    const found = await resolveTagIfPresent(engine, tag, resolve);
    if (found) items.push({ label: tag, resolved: found });
  }
  const referrers = await step(`listing referrers of ${digest}`, () =>
    engine.src.referrers(engine.srcRepo, digest),
  );
  if (referrers === undefined) {
    const tag = digestTag(digest);
    const found = await resolveTagIfPresent(engine, tag, resolve);
    if (found) items.push({ label: tag, resolved: found });
    return { digest, items, referrers };
  }
  for (const referrer of referrers) {
    const resolved = await step(`resolving referrer ${referrer.digest}`, async () => {
      const r = await resolve(referrer.digest);
      checkSubject(r, digest);
      return r;
    });
    items.push({ label: `@${referrer.digest}`, resolved });
  }
  return { digest, items, referrers };
}

/** A referrer must be attached to the image it was listed for, not to something else at the destination. */
function checkSubject(resolved: Resolved, digest: Digest): void {
  if (!resolved.root) return;
  const subject = parseManifest(resolved.root.bytes, resolved.root.mediaType).subject?.digest;
  if (subject !== digest) {
    throw new MirrorError(`its subject is ${subject ?? 'missing'}, not the image ${digest}`);
  }
}

/**
 * Pushes a resolved plan (each item with `push`), then, for a destination without the
 * referrers API, lists the referrers in the fallback tag. Returns the labels, in a fixed order.
 */
export async function pushSignatures(
  engine: Engine,
  plan: SignaturePlan,
  push: (resolved: Resolved) => Promise<void>,
): Promise<string[]> {
  for (const item of plan.items) await step(`copying ${item.label}`, () => push(item.resolved));
  if (plan.referrers && plan.referrers.length > 0) {
    await indexReferrersAtDestination(engine, plan.digest, plan.referrers);
  }
  return plan.items.map((item) => item.label);
}

/**
 * A destination without the referrers API (404) cannot find the copied referrers by their
 * `subject`, so they are listed in the fallback tag `sha256-<hex>` instead, adding to what that
 * tag already lists (OCI distribution-spec 1.1, "Referrers Tag Schema").
 */
async function indexReferrersAtDestination(
  engine: Engine,
  digest: Digest,
  referrers: Descriptor[],
): Promise<void> {
  const tag = digestTag(digest);
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

async function existingReferrers(engine: Engine, tag: Tag): Promise<Descriptor[]> {
  if (!(await engine.dst.headManifest(engine.dstRepo, tag))) return [];
  const current = await engine.dst.getManifest(engine.dstRepo, tag);
  const parsed = parseManifest(current.bytes, current.mediaType);
  return parsed.kind === 'index' ? parsed.manifests : [];
}

async function resolveTagIfPresent(
  engine: Engine,
  tag: Tag,
  resolve: ResolveReference,
): Promise<Resolved | undefined> {
  const found = await step(`looking for ${tag}`, () => engine.src.headManifest(engine.srcRepo, tag));
  if (!found) return undefined;
  return step(`resolving ${tag}`, () => resolve(tag));
}
