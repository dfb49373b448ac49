import { useCallback, useEffect, useRef, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { I18nextProvider, useTranslation } from 'react-i18next';
import type { i18n } from 'i18next';
import { doctorReport, indexedDbQuotaCheck, type DoctorCheck, type DoctorReport } from '../../../../shared/doctor/report';
import type { MainClient } from '../../platform/main-client';
import { errorText } from '../../ui/errors';

/** The IT screen's key combination (issue 16): rare enough that a clerk does not hit it by accident. */
const isDoctorShortcut = (e: KeyboardEvent): boolean => e.ctrlKey && e.altKey && e.shiftKey && !e.metaKey && e.code === 'KeyD';

/**
 * The doctor's report as main runs it (`doctor:report`, the same checks as `motcua doctor`), plus the one only
 * the renderer can measure: IndexedDB's quota (navigator.storage.estimate).
 */
async function fullReport(main: MainClient): Promise<DoctorReport> {
  const [fromMain, estimate] = await Promise.all([main.call('doctor:report', {}), navigator.storage?.estimate?.().catch(() => undefined)]);
  const quota = indexedDbQuotaCheck(estimate);
  // Placed right after the disk check, where IT looks for space.
  const at = fromMain.checks.findIndex((c) => c.id === 'disk');
  const checks = [...fromMain.checks];
  checks.splice(at < 0 ? checks.length : at + 1, 0, quota);
  return doctorReport(checks, new Date(fromMain.at));
}

function DoctorPanel({ main, onClose }: { main: MainClient; onClose: () => void }) {
  const { t } = useTranslation();
  const [report, setReport] = useState<DoctorReport | null>(null);
  const [error, setError] = useState<string | null>(null);
  // Running from the start: the panel opens on a fresh check.
  const [running, setRunning] = useState(true);
  const [bundle, setBundle] = useState<{ state: 'idle' } | { state: 'writing' } | { state: 'written'; file: string; bytes: number } | { state: 'failed'; message: string }>({ state: 'idle' });
  const heading = useRef<HTMLHeadingElement>(null);

  const load = useCallback(
    () =>
      fullReport(main)
        .then(
          (fresh) => {
            setReport(fresh);
            setError(null);
          },
          (err: unknown) => setError(errorText(t, err)),
        )
        .finally(() => setRunning(false)),
    [main, t],
  );
  // Issue 16: the support bundle (no personal data, no keys) written where IT can pick it up.
  const writeBundle = () => {
    setBundle({ state: 'writing' });
    main.call('diagnostics:support-bundle', {}).then(
      (written) => setBundle({ state: 'written', ...written }),
      (err: unknown) => setBundle({ state: 'failed', message: errorText(t, err) }),
    );
  };
  const runChecks = () => {
    setRunning(true);
    void load();
  };

  useEffect(() => {
    heading.current?.focus();
    void load();
  }, [load]);

  const count = (v: DoctorCheck['verdict']) => report?.checks.filter((c) => c.verdict === v).length ?? 0;
  return (
    <div className="doctor-backdrop">
      <section
        className="doctor-panel"
        role="dialog"
        aria-modal="true"
        aria-labelledby="doctor-heading"
        data-testid="doctor-panel"
        onKeyDown={(e) => {
          if (e.key === 'Escape') onClose();
          // A modal keeps Tab inside it: from the last control back to the first, and the other way.
          if (e.key === 'Tab') {
            const focusable = [...e.currentTarget.querySelectorAll<HTMLElement>('button:not([disabled]), [tabindex="-1"]#doctor-heading')];
            const first = focusable[0];
            const last = focusable[focusable.length - 1];
            if (!first || !last) return;
            if (!e.shiftKey && document.activeElement === last) {
              e.preventDefault();
              first.focus();
            } else if (e.shiftKey && document.activeElement === first) {
              e.preventDefault();
              last.focus();
            }
          }
        }}
      >
        <h1 id="doctor-heading" tabIndex={-1} ref={heading}>
          {t('setup.doctorHeading')}
        </h1>
        <div className="doctor-toolbar">
          <button type="button" onClick={runChecks} disabled={running}>
            {running ? t('setup.doctorRunning') : t('setup.doctorRerun')}
          </button>
          <button type="button" onClick={writeBundle} disabled={bundle.state === 'writing'} data-testid="support-bundle">
            {bundle.state === 'writing' ? t('setup.bundleWriting') : t('setup.bundleWrite')}
          </button>
          <button type="button" onClick={onClose}>
            {t('common.close')}
          </button>
        </div>
        {bundle.state === 'written' && (
          <p role="status" data-testid="support-bundle-written">
            {t('setup.bundleWritten', { file: bundle.file, size: Math.max(1, Math.round(bundle.bytes / 1024)) })}
          </p>
        )}
        {bundle.state === 'failed' && (
          <p className="error" role="alert">
            {t('setup.bundleFailed')} {bundle.message}
          </p>
        )}
        <p role="status" data-testid="doctor-summary">
          {running && !report ? t('setup.doctorRunning') : report ? t('setup.doctorSummary', { at: new Date(report.at).toLocaleString('vi-VN'), pass: count('pass'), warn: count('warn'), fail: count('fail') }) : ''}
        </p>
        {error && (
          <p className="error" role="alert">
            {t('setup.doctorFailed')} {error}
          </p>
        )}
        {report && (
          <ul className="doctor-checks">
            {report.checks.map((c) => (
              <li key={`${c.id}:${c.subject ?? ''}`} className={`doctor-check verdict-${c.verdict}`} data-check={c.id} data-verdict={c.verdict}>
                <span className="doctor-verdict">{t(`setup.verdict_${c.verdict}`)}</span>
                <div>
                  <strong>{c.title}</strong>
                  <p>{c.explanation}</p>
                  {c.action && (
                    <p className="doctor-action">
                      <em>{t('setup.doctorAction')}:</em> {c.action}
                    </p>
                  )}
                </div>
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}

/**
 * Listens for Ctrl+Alt+Shift+D on the whole window (the counter, the first-start screen, a storage failure) and
 * opens the panel in its own root, so no screen has to host it. Focus returns where it was on close.
 */
export function installDoctorShortcut(main: MainClient, i18nInstance: i18n): void {
  const container = document.createElement('div');
  container.id = 'doctor-root';
  document.body.appendChild(container);
  const root = createRoot(container);
  let returnFocus: Element | null = null;
  const close = () => {
    root.render(null);
    if (returnFocus instanceof HTMLElement) returnFocus.focus();
  };
  window.addEventListener('keydown', (e) => {
    if (!isDoctorShortcut(e)) return;
    e.preventDefault();
    returnFocus = document.activeElement;
    root.render(
      <I18nextProvider i18n={i18nInstance}>
        <DoctorPanel main={main} onClose={close} />
      </I18nextProvider>,
    );
  });
}
