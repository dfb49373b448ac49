/**
 * Issue 18 item 2: a time-stamp's findings reach the verify screen as codes, never as English sentences. Every
 * code has a Vietnamese and an English text; the record below is typed by the code union, so a new code without
 * an example here fails the typecheck, and one without a translation fails this test.
 */
import { describe, expect, it } from 'vitest';
import { describeTimestampIssue, type TimestampIssue } from '../../../shared/cms/timestamp';
import { uiEn } from '../../../renderer/src/i18n/ui-en';
import { uiVi } from '../../../renderer/src/i18n/ui-vi';

const example: { readonly [C in TimestampIssue['code']]: Extract<TimestampIssue, { code: C }> } = {
  TSP_UNREADABLE: { code: 'TSP_UNREADABLE', params: { detail: 'DER' } },
  TSP_IMPRINT_MISMATCH: { code: 'TSP_IMPRINT_MISMATCH' },
  TSP_CERTIFICATE_UNREADABLE: { code: 'TSP_CERTIFICATE_UNREADABLE' },
  TSP_TSA_CERTIFICATE_MISSING: { code: 'TSP_TSA_CERTIFICATE_MISSING' },
  TSP_TRUST_ANCHOR_UNREADABLE: { code: 'TSP_TRUST_ANCHOR_UNREADABLE', params: { n: 2 } },
  TSP_CHAIN_UNTRUSTED: { code: 'TSP_CHAIN_UNTRUSTED', failure: null, anchors: 0 },
  TSP_CERTIFICATE_NOT_VALID_AT: { code: 'TSP_CERTIFICATE_NOT_VALID_AT', params: { subject: 'CN=TSA', at: '2026-01-01T00:00:00Z' } },
  TSP_DIGEST_UNSUPPORTED: { code: 'TSP_DIGEST_UNSUPPORTED', params: { algorithm: '1.3.14.3.2.26' } },
  TSP_NO_SIGNED_ATTRIBUTES: { code: 'TSP_NO_SIGNED_ATTRIBUTES' },
  TSP_CONTENT_TYPE_NOT_TSTINFO: { code: 'TSP_CONTENT_TYPE_NOT_TSTINFO' },
  TSP_TSTINFO_CHANGED: { code: 'TSP_TSTINFO_CHANGED' },
  TSP_SIGNING_CERTIFICATE_MISMATCH: { code: 'TSP_SIGNING_CERTIFICATE_MISMATCH' },
  TSP_SIGNATURE_INVALID: { code: 'TSP_SIGNATURE_INVALID' },
  TSP_SIGNATURE_ALGORITHM_UNSUPPORTED: { code: 'TSP_SIGNATURE_ALGORITHM_UNSUPPORTED', params: { algorithm: '1.2.3' } },
  TSP_EKU_NOT_TIMESTAMPING: { code: 'TSP_EKU_NOT_TIMESTAMPING' },
  TSP_EKU_NOT_CRITICAL: { code: 'TSP_EKU_NOT_CRITICAL' },
  TSP_KEY_USAGE_NO_SIGNING: { code: 'TSP_KEY_USAGE_NO_SIGNING' },
};

describe('time-stamp findings as codes', () => {
  it.each(Object.values(example))('$code has a Vietnamese and an English text, and an English sentence for the CLI', (issue) => {
    const vi: Record<string, string> = uiVi.timestampProblems;
    const en: Record<string, string> = uiEn.timestampProblems;
    expect(vi[issue.code]).toMatch(/\S/);
    expect(en[issue.code]).toMatch(/\S/);
    expect(vi[issue.code]).not.toBe(en[issue.code]);
    // Every placeholder the text uses is a parameter the code carries (TSP_CHAIN_UNTRUSTED's reason is built on screen).
    const placeholders = [...(vi[issue.code] ?? '').matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]);
    const params = issue.code === 'TSP_CHAIN_UNTRUSTED' ? ['reason'] : Object.keys(issue.params ?? {});
    expect(placeholders.sort()).toEqual(params.sort());
    expect(describeTimestampIssue(issue)).toMatch(/\S/);
  });
});
