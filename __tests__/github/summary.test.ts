import { describe, expect, it } from 'vitest';
import {
  fitSummary,
  formatBytes,
  renderComment,
  renderFindings,
  renderJobSummary,
  renderTable,
} from '../../src/github/summary.js';
import { HOSTILE, isInert } from '../support/hostile-markdown.js';

const digest = `sha256:${'0123456789abcdef'.repeat(4)}`;

describe('cells', () => {
  it('renders hostile details, notes and phases inert, one table row each', () => {
    const rows = HOSTILE.map((text) => ({
      source: 'docker.io/library/nginx:1.27',
      destination: '',
      platforms: [],
      status: 'failed',
      detail: text,
    }));
    const summary = renderJobSummary(
      { rows, notes: HOSTILE },
      HOSTILE.map((phase) => ({ phase, ms: 1 })),
    );

    expect(isInert(summary)).toBe(true);
    const lines = summary.split('\n');
    expect(lines.filter((line) => line.startsWith('| `docker.io'))).toHaveLength(HOSTILE.length);
    for (const line of lines.filter((l) => l.startsWith('| `docker.io'))) {
      expect((line.match(/(?<!\\)\|/g) ?? []).length, line).toBe(8);
    }
    expect(lines.filter((line) => line.startsWith('- '))).toHaveLength(HOSTILE.length);
  });

  it('links a commit only through a safe URL', () => {
    const row = { source: 'redis:7', destination: 'm/redis:7', platforms: [], status: 'copied, committed' };
    const oid = 'abcdef0123456789abcdef0123456789abcdef01';
    expect(renderTable([{ ...row, commit: { oid, url: 'https://github.test/o/r/commit/abc' } }])).toContain(
      '| [`abcdef0`](https://github.test/o/r/commit/abc) |',
    );
    expect(renderTable([{ ...row, commit: { oid, url: 'javascript:alert(1)' } }])).toContain('| `abcdef0` |');
  });

  it('marks a row whose reference has since been removed', () => {
    const row = {
      source: 'redis:7',
      destination: 'm/redis:7',
      platforms: [],
      status: 'copied',
      removed: true,
    };
    expect(renderTable([row])).toContain('| copied; no longer referenced by the pull request |');
  });

  it('formats sizes in binary units', () => {
    expect([0, 1023, 1536, 5 * 1024 * 1024, 3.25 * 1024 ** 3].map(formatBytes)).toEqual([
      '0 B',
      '1023 B',
      '1.5 KiB',
      '5.0 MiB',
      '3.3 GiB',
    ]);
  });
});

describe('renderTable', () => {
  it('renders one row per image with short digest, platforms, size and status', () => {
    const table = renderTable([
      {
        source: 'docker.io/library/nginx:1.27',
        destination: 'europe-docker.pkg.dev/p/r/docker.io/library/nginx:1.27',
        digest,
        platforms: ['linux/amd64', 'linux/arm64/v8'],
        size: 1536,
        status: 'copied',
      },
      {
        source: 'quay.io/x/y:1',
        destination: 'europe-docker.pkg.dev/p/r/quay.io/x/y:1',
        platforms: [],
        status: 'failed',
        detail: 'denied | no access',
      },
    ]);

    expect(table).toBe(
      [
        '| Source | Destination | Digest | Platforms | Size | Status | Commit |',
        '|---|---|---|---|---|---|---|',
        '| `docker.io/library/nginx:1.27` | `europe-docker.pkg.dev/p/r/docker.io/library/nginx:1.27` | `sha256:0123456789ab` | linux/amd64, linux/arm64/v8 | 1.5 KiB | copied | — |',
        '| `quay.io/x/y:1` | `europe-docker.pkg.dev/p/r/quay.io/x/y:1` | — | — | — | failed: denied \\| no access | — |',
      ].join('\n'),
    );
  });

  it('says so when there is nothing to report', () => {
    expect(renderTable([])).toBe('_No new third-party image references._');
  });
});

describe('renderTable', () => {
  it('shows an image that is not mirrored with a dash, not an empty code span', () => {
    const table = renderTable([
      {
        source: 'quay.io/x/y:1',
        destination: '',
        platforms: [],
        status: 'skipped',
        detail: 'not in allow-registries',
      },
    ]);
    expect(table.split('\n')[2]).toBe(
      '| `quay.io/x/y:1` | — | — | — | — | skipped: not in allow-registries | — |',
    );
  });
});

describe('renderComment and renderJobSummary', () => {
  const report = {
    rows: [{ source: 'redis:7', destination: 'm/redis:7', digest, platforms: [], status: 'existing' }],
    commit: {
      oid: 'abcdef0123456789abcdef0123456789abcdef01',
      url: 'https://github.test/o/r/commit/abcdef0',
    },
    notes: ['Workflow files need a token with the workflows permission; suggestions were posted instead.'],
  };

  it('renders the comment without the marker (the client adds it) and links the follow-up commit', () => {
    expect(renderComment(report)).toBe(
      [
        '### ar-mirror',
        '',
        '| Source | Destination | Digest | Platforms | Size | Status | Commit |',
        '|---|---|---|---|---|---|---|',
        '| `redis:7` | `m/redis:7` | `sha256:0123456789ab` | — | — | existing | — |',
        '',
        'Follow-up commit: [`abcdef0`](https://github.test/o/r/commit/abcdef0)',
        '- Workflow files need a token with the workflows permission; suggestions were posted instead.',
      ].join('\n'),
    );
  });

  it('lists every follow-up commit of the record in the comment, instead of this run’s', () => {
    const second = {
      oid: '0123456789abcdef0123456789abcdef01234567',
      url: 'https://github.test/o/r/commit/0123456',
    };

    const comment = renderComment({ ...report, commits: [report.commit, second] });

    expect(comment).toContain(
      'Follow-up commits: [`abcdef0`](https://github.test/o/r/commit/abcdef0), [`0123456`](https://github.test/o/r/commit/0123456)',
    );
    expect(renderComment({ ...report, commits: [] })).not.toContain('Follow-up commit');
  });

  it('adds timings to the job summary and leaves the marker out', () => {
    const summary = renderJobSummary({ rows: [] }, [
      { phase: 'Scanning', ms: 120 },
      { phase: 'Copying', ms: 15_250 },
    ]);

    expect(summary).toBe(
      [
        '### ar-mirror',
        '',
        '_No new third-party image references._',
        '',
        '| Phase | Time |',
        '|---|---|',
        '| Scanning | 0.1 s |',
        '| Copying | 15.3 s |',
      ].join('\n'),
    );
  });
});

describe('fitSummary', () => {
  it('keeps a summary that fits and cuts a longer one at a line end, in bytes, with a note', () => {
    const lines = Array.from({ length: 50 }, (_, i) => `| \`→ image-${i}\` |`).join('\n');

    const cut = fitSummary(lines, 400);

    expect(fitSummary('short\n', 400)).toBe('short\n');
    expect(Buffer.byteLength(cut, 'utf8')).toBeLessThanOrEqual(400);
    expect(cut).toMatch(
      /^\| `→ image-0` \|\n[\s\S]*\| `→ image-\d+` \|\n\n_The rest of this summary was cut/,
    );
    expect(cut).not.toContain('\uFFFD');
  });
});

describe('renderFindings', () => {
  it('lists the findings that did not fit as annotations, rendered inert, and nothing when all fit', () => {
    const findings = HOSTILE.map((text, i) => ({
      level: 'warning' as const,
      title: 'Third-party image',
      message: `${text} is pulled from a third-party registry`,
      file: `deploy/${text}.yaml`,
      startLine: i + 1,
    }));

    const listed = renderFindings(findings);

    expect(renderFindings([])).toBe('');
    expect(listed.startsWith('\n\n**Findings not shown as annotations**\n\n')).toBe(true);
    expect(listed.split('\n').filter((line) => line.startsWith('- warning: `'))).toHaveLength(HOSTILE.length);
    expect(isInert(listed), listed).toBe(true);
  });
});
