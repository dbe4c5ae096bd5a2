import { describe, expect, it } from 'vitest';
import { mergeRecord } from '../../src/action/record.js';
import type { SummaryRow } from '../../src/github/summary.js';
import { parseReference } from '../../src/reference/index.js';
import type { ImageOccurrence } from '../../src/scan/types.js';

const DIGEST = `sha256:${'a'.repeat(64)}`;
const COMMIT = { oid: 'b'.repeat(40), url: `https://github.test/o/r/commit/${'b'.repeat(40)}` };

function row(status: string, extra: Partial<SummaryRow> = {}): SummaryRow {
  return {
    source: 'docker.io/library/nginx:1.27',
    destination: 'us-docker.pkg.dev/p/m/docker.io/library/nginx:1.27',
    digest: DIGEST,
    platforms: ['linux/amd64'],
    size: 0,
    status,
    ...extra,
  };
}

function headWith(image: string): ImageOccurrence[] {
  return [
    {
      file: '.github/workflows/ci.yml',
      kind: 'workflow-container',
      start: { line: 6, column: 16 },
      end: { line: 6, column: 16 + image.length },
      raw: image,
      reference: parseReference(image),
      target: { type: 'none', reason: 'test' },
    },
  ];
}

describe('mergeRecord', () => {
  it('keeps what an earlier run did for the same image: copied, its bytes, the committed lines, the link', () => {
    const first = row('copied, committed, suggested', { size: 131_482, commit: COMMIT });
    const again = row('already mirrored, suggested');

    const merged = mergeRecord(
      { rows: [first], refusedWorkflowFiles: [] },
      [again],
      [],
      headWith('nginx:1.27'),
    );

    expect(merged.rows).toEqual([row('copied, committed, suggested', { size: 131_482, commit: COMMIT })]);
  });

  it('drops an earlier "left as is" once a later run wrote the line, in the usual word order', () => {
    const first = row('copied, suggested, left as is', { size: 10 });
    const again = row('already mirrored, committed', { commit: COMMIT });

    const merged = mergeRecord(
      { rows: [first], refusedWorkflowFiles: [] },
      [again],
      [],
      headWith('nginx:1.27'),
    );

    expect(merged.rows[0]!.status).toBe('copied, committed, suggested');
  });

  it('takes this run’s view alone for another digest or an outcome without one', () => {
    const first = row('copied, committed', { size: 10, commit: COMMIT });
    const moved = row('copied, committed', { digest: `sha256:${'c'.repeat(64)}`, size: 5 });
    const failed: SummaryRow = { ...row('failed'), digest: undefined, size: undefined, detail: 'boom' };
    const head = headWith('nginx:1.27');

    expect(mergeRecord({ rows: [first], refusedWorkflowFiles: [] }, [moved], [], head).rows).toEqual([
      { ...moved, commit: COMMIT },
    ]);
    expect(mergeRecord({ rows: [first], refusedWorkflowFiles: [] }, [failed], [], head).rows).toEqual([
      { ...failed, commit: COMMIT },
    ]);
  });
});
