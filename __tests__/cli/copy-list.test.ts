import { describe, expect, it } from 'vitest';
import { parseCopyList } from '../../src/commands/copy-list.js';
import { UsageError } from '../../src/commands/io.js';

describe('parseCopyList: text', () => {
  it('reads SOURCE [DESTINATION] lines, skipping blanks and comments, with line numbers', () => {
    const text =
      '\uFEFF# mirror list\r\nnginx:1.25\r\n\r\n  quay.io/a/b:1 \t mirror.example/b:1  # pinned later\r\nredis#7\r\n';

    expect(parseCopyList(text, 'list.txt')).toEqual([
      { source: 'nginx:1.25', destination: undefined, where: 'list.txt:2' },
      { source: 'quay.io/a/b:1', destination: 'mirror.example/b:1', where: 'list.txt:4' },
      { source: 'redis#7', destination: undefined, where: 'list.txt:5' },
    ]);
  });

  it('refuses a line with more than two fields', () => {
    expect(() => parseCopyList('a b c', 'l')).toThrowError(
      new UsageError('l:1: expected SOURCE [DESTINATION], got 3 fields'),
    );
  });
});

describe('parseCopyList: JSON', () => {
  it('reads scan --json, skipping first-party references', () => {
    const report = {
      references: [
        { file: 'Dockerfile', image: 'docker.io/library/node:20', thirdParty: true },
        { file: 'k8s.yaml', image: 'us-docker.pkg.dev/p/r/app:1', thirdParty: false },
      ],
      diagnostics: [],
    };

    expect(parseCopyList(JSON.stringify(report), 'scan.json')).toEqual([
      { source: 'docker.io/library/node:20', destination: undefined, where: 'scan.json[1]' },
    ]);
  });

  it('reads migrate --dry-run --json copies with their destinations', () => {
    const plan = {
      copies: [{ source: 'a.io/x:1', destination: 'b.io/m/a.io/x', references: [] }],
      skipped: [],
    };

    expect(parseCopyList(JSON.stringify(plan), 'p.json')).toEqual([
      { source: 'a.io/x:1', destination: 'b.io/m/a.io/x', where: 'p.json[1]' },
    ]);
  });

  it('reads a pulls-style array of objects (source, image or canonical) and of strings', () => {
    const pulls = [
      { image: 'nginx:1', count: 3 },
      { canonical: 'docker.io/library/redis:7', raw: 'redis:7' },
      { source: 'quay.io/s:1', image: 'ignored:1' },
      'ghcr.io/a/b:2',
    ];

    expect(parseCopyList(JSON.stringify({ pulls }), 'pulls.json').map((e) => e.source)).toEqual([
      'nginx:1',
      'docker.io/library/redis:7',
      'quay.io/s:1',
      'ghcr.io/a/b:2',
    ]);
  });

  it.each([
    ['{"images": 3}', 'x.json: expected a JSON array of images'],
    ['[{"name": "nginx"}]', 'x.json[1]: no "source", "image" or "canonical" field'],
    ['[{"image": 7}]', 'x.json[1].image: expected an image reference'],
    ['[{"image": "a:1", "destination": {}}]', 'x.json[1] destination: expected an image reference'],
    ['[[1]]', 'x.json[1]: expected an image string or an object'],
    ['[{"image": "a"', 'x.json: not valid JSON'],
    [`["${'a'.repeat(3000)}"]`, 'x.json[1]: longer than 2048 characters'],
  ])('refuses %s', (text, message) => {
    expect(() => parseCopyList(text, 'x.json')).toThrow(message);
  });

  it('refuses a list longer than 100,000 images', () => {
    const text = 'a:1\n'.repeat(100_001);

    expect(() => parseCopyList(text, 'big')).toThrow(
      'big: 100001 images; at most 100000 per list (split it)',
    );
  });
});
