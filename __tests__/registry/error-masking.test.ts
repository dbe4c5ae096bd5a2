/**
 * Issue 7, rule 2 at the source: an error body a registry sends is masked before it is cut and
 * put into a RegistryError's message, so a secret is never half-shown where the cut falls.
 */
import { describe, expect, it } from 'vitest';
import { checkResponse, type RegistryError } from '../../src/registry/transport/errors.js';
import { processSecrets } from '../../src/secrets.js';
import { reply } from './transport-fakes.js';

const req = { method: 'GET', url: 'https://r.example/v2/lib/app/manifests/1' };

async function errorFor(errors: object[]): Promise<RegistryError> {
  const res = { ...reply(403, {}, JSON.stringify({ errors })), url: req.url };
  return (await checkResponse(req, res, 200).catch((e: unknown) => e)) as RegistryError;
}

describe('RegistryError from a hostile error body', () => {
  it('masks a registered secret even where the message is cut inside it', async () => {
    const secret = `cut-${'s'.repeat(40)}-secret`;
    processSecrets.add(secret);

    const err = await errorFor([{ code: 'DENIED', message: `${'x'.repeat(190)} ${secret}` }]);

    expect(err.message).toBe(`${req.method} ${req.url}: 403 DENIED (${'x'.repeat(190)} ***)`);
  });

  it('masks Authorization values it was never told about', async () => {
    const err = await errorFor([
      { code: 'DENIED', message: 'got Basic dW5rbm93bjpwYXNz and Bearer abc.def' },
    ]);

    expect(err.message).toBe(`${req.method} ${req.url}: 403 DENIED (got Basic *** and Bearer ***)`);
  });

  it('masks and cuts the codes too', async () => {
    const err = await errorFor([
      { code: `Bearer ${'t'.repeat(50)}` },
      ...Array.from({ length: 50 }, () => ({ code: 'DENIED' })),
    ]);

    expect(err.message).toBe(`${req.method} ${req.url}: 403 Bearer ***, ${'DENIED, '.repeat(11)}…`);
  });
});
