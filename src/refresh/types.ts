/** The data refresh works on: the mirror references it follows, the ones it only reports, and what it found upstream. */
import type { DestinationSettings } from '../plan/types.js';
import type { ImageReference } from '../reference/types.js';
import type { ImageOccurrence } from '../scan/types.js';

/** What decides which mirror references refresh follows. */
export interface RefreshSettings extends DestinationSettings {
  /** When non-empty, only images matching one of these globs (`registry/repository` or with `:tag`) are followed. Default: all. */
  only?: string[];
  /** Images matching these globs are never followed. Default: none. */
  ignore?: string[];
}

/** One mirror repository and tag that refresh follows: every occurrence pinning it, and the upstream it came from. */
export interface FollowedImage {
  /** The upstream repository and tag (no digest). */
  source: ImageReference;
  /** The mirror repository (`host/path`), without tag or digest. */
  mirror: string;
  tag: string;
  /** The distinct digests the occurrences pin, in order of appearance. */
  pinned: string[];
  occurrences: ImageOccurrence[];
}

/** Why a mirror reference is reported but not moved. */
export type ReportReason = 'digest-only' | 'not-pinned' | 'variable-tag' | 'not-rewritable' | 'unmappable';

/** A mirror reference refresh does not move, and why. */
export interface ReportedReference {
  occurrence: ImageOccurrence;
  reason: ReportReason;
  detail: string;
}

/** What refresh found for one followed image. */
export type RefreshStatus = 'current' | 'moved' | 'too-new' | 'failed' | 'would-move';

/** One followed image after the upstream lookup (and the copy, when it moved). */
export interface RefreshedImage extends FollowedImage {
  status: RefreshStatus;
  /** The digest the mirror tag now holds (moved), or would (would-move, too-new). */
  newDigest?: string;
  /** Creation times by digest (old pins and the new one), when the images record them. */
  created: Record<string, string>;
  /** Platforms of the new digest. */
  platforms: string[];
  /** Why, for failed and too-new. */
  detail?: string;
}
