import { describe, expect, it } from 'vitest';
import { decideMode } from '../../src/action/decide-mode.js';

describe('decideMode', () => {
  it('keeps the configured mode for same-repository pull requests', () => {
    expect(decideMode('commit', 'pull_request', false)).toEqual({ mode: 'commit' });
    expect(decideMode('suggest', 'pull_request', false)).toEqual({ mode: 'suggest' });
  });

  it('falls back to report for forks and pull_request_target, saying why', () => {
    const fork = decideMode('commit', 'pull_request', true);
    expect(fork.mode).toBe('report');
    expect(fork.reason).toMatch(/^this pull request comes from a fork/);
    const target = decideMode('copy', 'pull_request_target', false);
    expect(target.mode).toBe('report');
    expect(target.reason).toMatch(/^pull_request_target runs with this repository's secrets/);
  });

  it('only reports on a closed pull request, saying why', () => {
    const closed = decideMode('commit', 'pull_request', false, true);
    expect(closed.mode).toBe('report');
    expect(closed.reason).toMatch(/^this pull request is closed/);
  });

  it('needs no reason when report was asked for', () => {
    expect(decideMode('report', 'pull_request_target', true)).toEqual({ mode: 'report' });
  });
});
