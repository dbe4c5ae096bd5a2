/**
 * The one platform grammar, `os/architecture[/variant]`, used where platforms are parsed: a
 * manifest index's descriptors, an image config, and the `platforms` setting. Platform strings
 * end up in logs, the pull-request comment and the job summary, so a registry must not be able
 * to put `@mentions`, links or newlines there: anything outside the grammar refuses the image.
 */
import { MirrorError } from '../errors.js';
import { quoted } from './names.js';

/** An OCI platform (the fields ar-mirror reads), validated. */
export interface Platform {
  os: string;
  architecture: string;
  variant?: string;
}

/** A platform outside the grammar. */
export class InvalidPlatformError extends MirrorError {}

// Lowercase letters and digits (the architecture may hold `_`, as in x86_64), 32 at most each:
// every value Go, containerd and the OCI spec use (linux, windows, unknown; amd64, arm64, 386,
// ppc64le, s390x; v5 to v8) fits.
const OS = /^[a-z0-9]{1,32}$/;
const ARCHITECTURE = /^[a-z0-9_]{1,32}$/;
const VARIANT = /^[a-z0-9]{1,32}$/;

/** The grammar as one regular expression: the `platforms` setting's check and its JSON Schema pattern. */
export const PLATFORM_PATTERN = '^[a-z0-9]{1,32}/[a-z0-9_]{1,32}(/[a-z0-9]{1,32})?$';
const PLATFORM = new RegExp(PLATFORM_PATTERN);

/** True for `os/arch[/variant]`, e.g. `linux/arm64` or `linux/arm/v7`. */
export function isPlatformText(text: string): boolean {
  return PLATFORM.test(text);
}

/**
 * The platform object of a descriptor or an image config, validated; InvalidPlatformError naming
 * `where` otherwise. An empty `variant` counts as none; other fields (`os.version`, `features`)
 * are not read (they stay in the manifest bytes, which are copied as they are).
 */
export function parsePlatform(value: unknown, where: string): Platform {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InvalidPlatformError(`${where}: platform must be an object with os and architecture`);
  }
  const { os, architecture, variant } = value as Record<string, unknown>;
  const hasVariant = variant !== undefined && variant !== '';
  const ok =
    typeof os === 'string' &&
    OS.test(os) &&
    typeof architecture === 'string' &&
    ARCHITECTURE.test(architecture) &&
    (!hasVariant || (typeof variant === 'string' && VARIANT.test(variant)));
  if (!ok) {
    const shown = [os, architecture, ...(hasVariant ? [variant] : [])].map(quoted).join('/');
    throw new InvalidPlatformError(
      `${where}: platform ${shown} is not os/architecture[/variant] (lowercase letters and digits)`,
    );
  }
  return hasVariant
    ? { os: os as string, architecture: architecture as string, variant: variant as string }
    : { os: os as string, architecture: architecture as string };
}

/** `os/architecture[/variant]`. */
export function formatPlatform(platform: Platform): string {
  return [platform.os, platform.architecture, platform.variant].filter(Boolean).join('/');
}
