import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatVietnamDateTime } from '../../../../shared/domain/appointment';
import { signatureCertificates, verifyPdfSignatures, type PdfSignatureReport, type PdfVerificationReport, type VerifyIssue } from '../../../../shared/pdf/verify-pdf';
import type { IpcResponse } from '../../../../shared/ipc/contract';

type Revocation = IpcResponse<'trust:revocation'> | 'checking' | 'failed';
import { useServices } from '../../app/services';
import { errorText } from '../../ui/errors';
import { AppError } from '../../../../shared/errors';
import type { TimestampIssue } from '../../../../shared/cms/timestamp';
import { pathIssue } from '../../../../shared/pdf/verify-problems';

/**
 * Checks the signatures of any PDF — the app's own or one a citizen brings — and shows what Circular
 * 15/2025/TT-BKHCN asks a verifier to show: signer, issuer, time, integrity, coverage, chain, validity.
 */
export function VerifyScreen() {
  const { t } = useTranslation();
  const { main } = useServices();
  const [report, setReport] = useState<{ name: string; report: PdfVerificationReport } | null>(null);
  const [revocations, setRevocations] = useState<readonly Revocation[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const check = async (file: File | undefined) => {
    if (!file) return;
    setBusy(true);
    setError(null);
    setReport(null);
    setRevocations([]);
    try {
      const bytes = new Uint8Array(await file.arrayBuffer());
      const { anchorsDer } = await main.call('trust:anchors', {});
      setReport({ name: file.name, report: verifyPdfSignatures(bytes, { trustAnchorsDer: anchorsDer }) });
      // Revocation needs the network (CRL/OCSP), so it is asked of main after the report is on screen.
      const chains = signatureCertificates(bytes);
      setRevocations(chains.map(() => 'checking'));
      const answers = await Promise.all(
        chains.map((chainDer): Promise<Revocation> => (chainDer ? main.call('trust:revocation', { chainDer }).catch((): Revocation => 'failed') : Promise.resolve('failed'))),
      );
      setRevocations(answers);
    } catch (err) {
      setError(errorText(t, err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="verify-heading">
      <h2 id="verify-heading">{t('verify.heading')}</h2>
      <p>{t('verify.intro')}</p>
      <label className="add-files wide">
        <span className="plus" aria-hidden="true">
          +
        </span>
        <span>{t('verify.pick')}</span>
        <input className="visually-hidden" type="file" accept="application/pdf,.pdf" data-testid="verify-file" autoFocus onChange={(e) => void check(e.currentTarget.files?.[0])} />
      </label>
      {busy && <p role="status">{t('verify.checking')}</p>}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {report && <ReportView name={report.name} report={report.report} revocations={revocations} />}
    </section>
  );
}

function ReportView({ name, report, revocations }: { name: string; report: PdfVerificationReport; revocations: readonly Revocation[] }) {
  const { t } = useTranslation();
  // A certificate revoked since signing leaves the signatures intact but is not "all valid" to a clerk.
  const anyRevoked = revocations.some((r) => typeof r === 'object' && r.status === 'revoked');
  const verdict = report.signatures.length === 0 ? 'none' : !report.valid ? 'invalid' : anyRevoked ? 'revoked' : 'valid';
  return (
    <div className="verify-report" data-verdict={verdict}>
      <p className={`verdict verdict-${verdict}`} role="status">
        <strong>{name}</strong>: {t(`verify.verdict.${verdict}`, { count: report.signatures.length })}
      </p>
      {report.signatures.map((signature, index) => (
        <SignatureView key={signature.byteRange.join('-')} index={index} signature={signature} last={index === report.signatures.length - 1} revocation={revocations[index]} />
      ))}
    </div>
  );
}

function SignatureView({ index, signature, last, revocation }: { index: number; signature: PdfSignatureReport; last: boolean; revocation: Revocation | undefined }) {
  const { t } = useTranslation();
  const yes = (ok: boolean) => <span className={ok ? 'ok' : 'bad'}>{ok ? '✓' : '✗'}</span>;
  // The verifier's findings, as codes translated here; a clerk needs them only when something is wrong.
  const say = (issue: VerifyIssue): string => t(`verifyProblems.${issue.code}`, { ...(issue.params ?? {}) });
  const sayTimestamp = (issue: TimestampIssue): string =>
    issue.code === 'TSP_CHAIN_UNTRUSTED'
      ? t('timestampProblems.TSP_CHAIN_UNTRUSTED', { reason: issue.failure ? say(pathIssue(issue.failure)) : t(issue.anchors ? 'timestampProblems.TSP_TSA_CERTIFICATE_MISSING' : 'timestampProblems.TSP_CHAIN_NO_ANCHORS') })
      : t(`timestampProblems.${issue.code}`, { ...(issue.params ?? {}) });
  const sound = signature.integrity === 'valid' && signature.chain.trusted && signature.certificateValidAtSigningTime && (signature.coversWholeDocument || !last);
  return (
    <article className="signature" data-index={index}>
      <h3>{t('verify.signature', { n: index + 1 })}</h3>
      <dl>
        <dt>{t('verify.signer')}</dt>
        <dd>{signature.signer?.subject ?? '—'}</dd>
        <dt>{t('verify.issuer')}</dt>
        <dd>{signature.signer?.issuer ?? '—'}</dd>
        <dt>{t('verify.time')}</dt>
        <dd>{signature.claimedSigningTime ? formatVietnamDateTime(new Date(signature.claimedSigningTime)) : t('verify.unknown')}</dd>
        <dt>{t('verify.timestamp')}</dt>
        <dd>
          {signature.timestamp ? (
            <>
              {yes(signature.timestamp.valid && signature.timestamp.chain.trusted)} {formatVietnamDateTime(new Date(signature.timestamp.time))} — {signature.timestamp.tsa ?? '?'}
              {signature.timestamp.issues.length > 0 && (
                <ul className="timestamp-problems" data-testid={`timestamp-problems-${index}`}>
                  {signature.timestamp.issues.map((issue, k) => (
                    <li key={`${issue.code}-${k}`} data-code={issue.code}>
                      {sayTimestamp(issue)}
                    </li>
                  ))}
                </ul>
              )}
            </>
          ) : (
            t('verify.noTimestamp')
          )}
        </dd>
        <dt>{t('verify.integrity')}</dt>
        <dd>
          {yes(signature.integrity === 'valid')} {t(`verify.integrityStates.${signature.integrity}`)}
        </dd>
        <dt>{t('verify.coverage')}</dt>
        <dd>
          {yes(signature.coversWholeDocument || !last)} {signature.coversWholeDocument ? t('verify.wholeDocument') : t('verify.partOfDocument')}
        </dd>
        <dt>{t('verify.changesAfter')}</dt>
        <dd>
          {yes(signature.changesAfter === 'none' || signature.changesAfter === 'signatures-only')} {t(`verify.changes.${signature.changesAfter}`)}
        </dd>
        <dt>{t('verify.chain')}</dt>
        <dd>
          {yes(signature.chain.trusted)} {signature.chain.trusted ? t('verify.trusted') : t('verify.untrusted', { reason: signature.chain.issue ? say(signature.chain.issue) : '' })}
        </dd>
        <dt>{t('verify.revocation')}</dt>
        <dd data-testid={`revocation-${index}`}>
          {revocation === undefined || revocation === 'checking' ? (
            t('verify.revocationChecking')
          ) : revocation === 'failed' ? (
            t('verify.revocationStates.unknown')
          ) : (
            <>
              {revocation.status !== 'unknown' && yes(revocation.status === 'good')} {t(`verify.revocationStates.${revocation.status}`)}
              {revocation.source && ` (${revocation.source.toUpperCase()}${revocation.thisUpdate ? `, ${formatVietnamDateTime(new Date(revocation.thisUpdate))}` : ''})`}
              {/* Why CRL/OCSP was not asked: an untrusted chain or an address the fetch policy refuses. */}
              {revocation.problems && revocation.problems.length > 0 && (
                <ul className="revocation-problems" data-testid={`revocation-problems-${index}`}>
                  {revocation.problems.map((p, k) => (
                    <li key={k} data-code={p.code}>
                      {errorText(t, new AppError(p.code, p.details))}
                    </li>
                  ))}
                </ul>
              )}
            </>
          )}
        </dd>
        <dt>{t('verify.validity')}</dt>
        <dd>
          {yes(signature.certificateValidAtSigningTime)}{' '}
          {signature.signer ? t('verify.validFromTo', { from: formatVietnamDateTime(new Date(signature.signer.notBefore)), to: formatVietnamDateTime(new Date(signature.signer.notAfter)) }) : '—'}
        </dd>
      </dl>
      {!sound && signature.issues.length > 0 && (
        <details className="problems" open>
          <summary>{t('verify.technical')}</summary>
          <ul>
            {signature.issues.map((issue, k) => (
              <li key={`${issue.code}-${k}`} data-code={issue.code}>
                {say(issue)}
              </li>
            ))}
          </ul>
        </details>
      )}
    </article>
  );
}
