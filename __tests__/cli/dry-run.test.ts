/** The terminal rendering of a dry run's preview: repository text never reaches the terminal raw. */
import { describe, expect, it } from 'vitest';
import { renderPreview } from '../../src/commands/dry-run.js';

describe('renderPreview', () => {
  it('escapes control characters from files and drops the CR of CRLF lines', () => {
    const text = renderPreview({
      files: [
        {
          file: 'k8s/web.yaml',
          diff: '--- a/k8s/web.yaml\n+++ b/k8s/web.yaml\n@@ -1,2 +1,2 @@\n # \u001b]0;owned\u0007 title\r\n-image: nginx:1\r\n+image: mirror/nginx:1\r\n',
        },
      ],
      notRewritten: [
        {
          reference: 'a\u001b[2J.yaml:1:1',
          image: 'docker.io/library/redis:7',
          reason: 'built from \u202evariables',
        },
      ],
    });

    expect(text).toBe(
      'copied but not rewritten:\n' +
        '  a\\u001b[2J.yaml:1:1 docker.io/library/redis:7: built from \\u202evariables\n' +
        '--- a/k8s/web.yaml\n+++ b/k8s/web.yaml\n@@ -1,2 +1,2 @@\n # \\u001b]0;owned\\u0007 title\n-image: nginx:1\n+image: mirror/nginx:1\n',
    );
  });
});
