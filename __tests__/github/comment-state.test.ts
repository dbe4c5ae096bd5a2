import { describe, expect, it } from 'vitest';
import { decodeRecord, EMPTY_RECORD, encodeRecord } from '../../src/github/comment-state.js';
import type { SummaryRow } from '../../src/github/summary.js';

const DIGEST = `sha256:${'ab'.repeat(32)}`;
const row = (n: number, extra: Partial<SummaryRow> = {}): SummaryRow => ({
  source: `docker.io/library/app${n}:1`,
  destination: `us-docker.pkg.dev/p/m/docker.io/library/app${n}:1`,
  digest: DIGEST,
  platforms: ['linux/amd64', 'linux/arm/v7'],
  size: 1024,
  status: 'copied, committed',
  commit: { oid: 'c'.repeat(40), url: `https://github.test/o/r/commit/${'c'.repeat(40)}` },
  ...extra,
});
const block = (value: unknown) =>
  `<!-- ar-mirror -->\n<!-- ar-mirror-state ${Buffer.from(JSON.stringify(value)).toString('base64')} -->\nvisible`;

describe('encodeRecord and decodeRecord', () => {
  it('round-trips a record through the hidden block', () => {
    const record = {
      rows: [row(1), row(2, { removed: true, detail: 'x | y' })],
      refusedWorkflowFiles: ['.github/workflows/ci.yml'],
    };

    expect(decodeRecord(`<!-- ar-mirror -->\n${encodeRecord(record)}\n### ar-mirror`)).toEqual(record);
  });

  it('encodes a record read back to the very same block, whatever order its fields came in', () => {
    const { commit, ...rest } = row(3, { detail: 'd', removed: true });
    const shuffled = { removed: true, commit, ...Object.fromEntries(Object.entries(rest).reverse()) };
    const record = { rows: [shuffled as SummaryRow], refusedWorkflowFiles: [] };

    const once = encodeRecord(record);

    expect(encodeRecord(decodeRecord(`<!-- ar-mirror -->\n${once}`))).toBe(once);
    expect(once).toBe(
      encodeRecord({ rows: [row(3, { detail: 'd', removed: true })], refusedWorkflowFiles: [] }),
    );
  });

  it('keeps the block under its size bound by dropping removed rows first, then the oldest', () => {
    const rows = Array.from({ length: 120 }, (_, n) => row(n, n === 60 ? { removed: true } : {}));

    const encoded = encodeRecord({ rows, refusedWorkflowFiles: [] }, 8000);

    expect(encoded.length).toBeLessThanOrEqual(8000 + 30);
    const kept = decodeRecord(encoded).rows.map((r) => r.source);
    expect(kept).not.toContain('docker.io/library/app60:1');
    expect(kept.at(-1)).toBe('docker.io/library/app119:1');
    expect(kept[0]).not.toBe('docker.io/library/app0:1');
  });

  it('reads nothing from a missing, oversized, non-base64 or non-JSON block', () => {
    expect(decodeRecord(undefined)).toEqual(EMPTY_RECORD);
    expect(decodeRecord('<!-- ar-mirror -->\nno state')).toEqual(EMPTY_RECORD);
    expect(decodeRecord(block({ v: 1, rows: [row(1)], pad: 'x'.repeat(40 * 1024) }))).toEqual(EMPTY_RECORD);
    expect(decodeRecord(block({ v: 1, rows: [row(1)], pad: 'x'.repeat(30 * 1024) })).rows).toHaveLength(1);
    expect(decodeRecord('<!-- ar-mirror-state bm90IGpzb24= -->')).toEqual(EMPTY_RECORD);
    expect(decodeRecord(block({ v: 2, rows: [row(1)] }))).toEqual(EMPTY_RECORD);
  });

  it('drops every row or path that ar-mirror would not have written', () => {
    const hostile: unknown[] = [
      row(1, { source: '@org/team' }),
      row(2, { destination: '![x](http://evil)' }),
      row(3, { digest: '../../other' }),
      row(4, { platforms: ['<img src=x>'] }),
      row(5, { status: 'copied <b>' }),
      row(6, { commit: { oid: 'c'.repeat(40), url: 'javascript:alert(1)' } }),
      row(7, { size: -1 }),
      { ...row(8), removed: 'yes' },
      'not an object',
      row(9),
    ];
    const record = decodeRecord(
      block({
        v: 1,
        rows: hostile,
        refusedWorkflowFiles: [
          '.github/workflows/ci.yml',
          'src/app.ts',
          '.github/workflows/../../x',
          '.github/workflows/a\nb',
        ],
      }),
    );

    // A platform that is not one (a masked `linux/amd64/***`, or worse) is dropped, not its row.
    expect(record.rows.map((r) => [r.source, r.platforms])).toEqual([
      ['docker.io/library/app4:1', []],
      ['docker.io/library/app9:1', row(9).platforms],
    ]);
    expect(record.refusedWorkflowFiles).toEqual(['.github/workflows/ci.yml']);
  });
});
