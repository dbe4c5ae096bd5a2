import { describe, expect, it } from 'vitest';
import {
  createRedactor,
  MIN_SECRET_LENGTH,
  maskOutsideText,
  redactDeep,
  registerCredential,
  secretForms,
} from '../src/secrets.js';

const base64 = (text: string) => Buffer.from(text).toString('base64');

describe('secretForms', () => {
  it('lists the raw, JSON-escaped, URL-encoded, form-encoded and base64 forms', () => {
    expect(secretForms('p/a"s s+w=\u00ff')).toEqual([
      'p/a"s s+w=\u00ff',
      'p/a\\"s s+w=\u00ff',
      'p%2Fa%22s%20s%2Bw%3D%C3%BF',
      'p%2Fa%22s+s%2Bw%3D%C3%BF',
      'cC9hInMgcyt3PcO/',
      'cC9hInMgcyt3PcO_',
    ]);
  });

  it('leaves out values too short to mask', () => {
    expect(secretForms('a'.repeat(MIN_SECRET_LENGTH - 1))).toEqual([]);
  });
});

describe('createRedactor', () => {
  it('masks the password, user:password and the Basic header built from them', () => {
    const redactor = createRedactor();
    registerCredential((v) => redactor.add(v), { username: 'bot', password: 's3cret-pw' });

    const text = `Basic ${base64('bot:s3cret-pw')} bot:s3cret-pw s3cret-pw ${encodeURIComponent('s3cret-pw')}`;

    expect(redactor.redact(text)).toBe('Basic *** *** *** ***');
  });

  it('masks a secret inside JSON output and keeps the JSON valid', () => {
    const redactor = createRedactor();
    redactor.add('pa"ss\\word');

    const out = redactor.redact(JSON.stringify({ error: 'denied: pa"ss\\word' }));

    expect(JSON.parse(out)).toEqual({ error: 'denied: ***' });
  });

  it('masks regular-expression characters literally', () => {
    const redactor = createRedactor();
    redactor.add('a.b*c');

    expect(redactor.redact('a.b*c axbbc')).toBe('*** axbbc');
  });
});

describe('maskOutsideText', () => {
  it('masks before it cuts, so a secret across the cut leaves no prefix behind', () => {
    const redactor = createRedactor();
    redactor.add('0123456789abcdef');

    const out = maskOutsideText(`${'x'.repeat(195)}0123456789abcdef`, 200, redactor);

    expect(out).toBe(`${'x'.repeat(195)}***`);
  });

  it('masks Authorization values and credential fields it was never told about', () => {
    const out = maskOutsideText(
      'header Basic dXNlcjpwYXNz, Bearer eyJh.bc-d_e, {"access_token":"ya29.x"} password=hunter22',
      500,
      createRedactor(),
    );

    expect(out).toBe('header Basic ***, Bearer ***, {"access_token":"***"} password=***');
  });
});

describe('redactDeep', () => {
  it('redacts every string of plain objects and arrays', () => {
    const redactor = createRedactor();
    redactor.add('hunter22');

    const out = redactDeep({ a: ['x hunter22'], b: { c: 'hunter22', n: 1 }, d: undefined }, redactor);

    expect(out).toEqual({ a: ['x ***'], b: { c: '***', n: 1 }, d: undefined });
  });
});
