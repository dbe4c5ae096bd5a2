/** Where a copy is: what is done of how much. Reported through `CopyOptions.onProgress`. */
export interface Progress {
  phase: 'resolving' | 'blobs' | 'manifests' | 'signatures' | 'verifying' | 'done';
  /** Blobs finished (copied, mounted or found) and known so far. */
  blobs: { done: number; total: number };
  /** Bytes uploaded so far and the bytes of the blobs that need uploading when known. */
  bytes: { done: number; total: number };
}

/** Counts progress and reports each change to an optional listener. */
export interface ProgressTracker {
  phase(phase: Progress['phase']): void;
  addBlobs(count: number): void;
  blobDone(): void;
  addBytes(total: number): void;
  bytes(n: number): void;
  snapshot(): Progress;
}

/** Creates a tracker; without a listener it only counts. */
export function createProgressTracker(listener?: (p: Progress) => void): ProgressTracker {
  const state: Progress = { phase: 'resolving', blobs: { done: 0, total: 0 }, bytes: { done: 0, total: 0 } };
  const emit = () => listener?.(snapshotOf(state));
  return {
    phase(phase) {
      state.phase = phase;
      emit();
    },
    addBlobs(count) {
      state.blobs.total += count;
      emit();
    },
    blobDone() {
      state.blobs.done++;
      emit();
    },
    addBytes(total) {
      state.bytes.total += total;
      emit();
    },
    bytes(n) {
      state.bytes.done += n;
      emit();
    },
    snapshot: () => snapshotOf(state),
  };
}

function snapshotOf(state: Progress): Progress {
  return { phase: state.phase, blobs: { ...state.blobs }, bytes: { ...state.bytes } };
}
