import { useEffect, useMemo, useRef, useState } from 'react';
import { useLiveQuery } from 'dexie-react-hooks';
import { useTranslation } from 'react-i18next';
import { formatVietnamDate, formatVietnamDateTime, type WorkingRules } from '../../../../shared/domain/appointment';
import { toVietnamDateTime, toVietnamIso } from '../../../../shared/domain/time';
import { LEGAL_BASIS_2025, legalBasisOf } from '../../../../shared/domain/legal-basis';
import { stoppableStatuses } from '../../../../shared/domain/dossier-stop';
import { defaultTimeLimitRulesConfig, notificationChannels, validateExtension, vietnamDateOf, type NotificationChannel } from '../../../../shared/domain/time-limit-rules';
import { AppError } from '../../../../shared/errors';
import { printedForm } from '../../../../shared/pdf/forms';
import { formUnit, useClerkName } from '../../app/clerk';
import { useServices } from '../../app/services';
import { useCatalog, useWorkingCalendar, workingRulesFor } from '../../app/reference-data';
import { printedFormsOf, recordPrintedForm } from '../../db/counter-desk';
import { queueCounterEventSpooled } from '../../db/dossier-spool';
import type { PrintedFormRow } from '../../db/database';
import { errorText } from '../../ui/errors';
import { FormOutput } from '../../ui/FormOutput';
import { PrintButton } from '../../ui/PrintButton';
import { dossierStatusNames } from '../../../../shared/sync/protocol';
import { holderOf, inProcessing, type TrackedDossier } from '../board/board-data';
import { mau05Handovers } from './history';
import { DossierFiles } from './DossierFiles';
import { ResultDocuments } from './ResultDocuments';
import { SupplementReceipt } from './SupplementReceipt';
import { stopDossier } from './stop-dossier';
import { reprintBytes } from './reprint';
import { formatIsoDateVietnamese, parseVietnameseDate } from '../../ui/dates';


/** The first working day after `from`'s date, "YYYY-MM-DD": the new date the form proposes first. */
function firstWorkingDateAfter(from: Date, rules: WorkingRules): string {
  let day = from.getTime() + 86_400_000;
  for (let i = 0; i < 400 && rules.isNonWorkingDay(toVietnamDateTime(new Date(day))); i++) day += 86_400_000;
  return vietnamDateOf(new Date(day));
}

/** One dossier: return its result, apologise for a delay, print its control slip, reprint its forms. */
export function DossierPanel({ tracked, now, onClose }: { tracked: TrackedDossier; now: Date; onClose: () => void }) {
  const { t } = useTranslation();
  const { db, main, config, loadFonts, centralDossier } = useServices();
  const clerk = useClerkName();
  const calendar = useWorkingCalendar();
  const workingRules = useMemo(() => workingRulesFor(calendar), [calendar]);
  const procedure = useCatalog().find((p) => p.code === tracked.dossier.procedure.code);
  const { dossier, state } = tracked;
  const printed = useLiveQuery(() => printedFormsOf(db, { dossierId: dossier.id }), [db, dossier.id]) ?? [];
  const [receivedBy, setReceivedBy] = useState(holderOf(tracked));
  const [method, setMethod] = useState<'counter' | 'post'>('counter');
  const [reason, setReason] = useState('');
  const basis = legalBasisOf(dossier);
  const noticeDays = (config.timeLimits ?? defaultTimeLimitRulesConfig).extensionNoticeDays;
  // The proposed new date (Art. 19.6): a working day after the appointment in force, chosen by the clerk.
  const [newDate, setNewDate] = useState(() => firstWorkingDateAfter(new Date(Math.max(new Date(state.appointmentAt).getTime(), now.getTime())), workingRules));
  const [channel, setChannel] = useState<NotificationChannel>('phone');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [output, setOutput] = useState<{ pdf: Uint8Array; label: string; fileName: string } | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const outputRef = useRef<HTMLDivElement>(null);
  // The dossier's own form set: a 2018-era dossier keeps printing its 2018 forms (legal-basis.ts).
  const [stopDate, setStopDate] = useState(() => formatIsoDateVietnamese(toVietnamIso(now).slice(0, 10)));
  const [stopReason, setStopReason] = useState('');
  const stopDay = parseVietnameseDate(stopDate);
  // A document opened with "Xem" shows below the forms: bring it into sight.
  useEffect(() => {
    if (output) outputRef.current?.scrollIntoView?.({ block: 'nearest' });
  }, [output]);

  const run = async (work: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await work();
    } catch (err) {
      setError(errorText(t, err));
    } finally {
      setBusy(false);
    }
  };

  const returnResult = () =>
    run(async () => {
      const at = new Date();
      await queueCounterEventSpooled(db, main, dossier.id, { kind: 'result-returned', eventId: crypto.randomUUID(), at: at.toISOString(), clerk, receivedBy: receivedBy.trim(), method }, (s) => ({
        ...s,
        status: 10,
        returned: { at: at.toISOString(), receivedBy: receivedBy.trim(), method },
      }));
      setDone(t('desk.returned', { name: receivedBy.trim() }));
    });

  const proposal = (at: Date) =>
    validateExtension({ basis, appointmentAt: new Date(state.appointmentAt), proposedAt: at, newDate, extensionsSoFar: tracked.apologies, noticeDays }, workingRules);
  let preview: { at: Date } | { error: string };
  try {
    preview = { at: proposal(now) };
  } catch (err) {
    preview = { error: errorText(t, err) };
  }

  const apologise = () =>
    run(async () => {
      if (!reason.trim()) throw new AppError('EXTENSION_REASON_REQUIRED');
      const at = new Date();
      // Checked again at the moment of issue: the 1-day rule depends on the clock, the once-only rule on the events.
      const newAppointment = proposal(at);
      const form = printedForm(basis, 'apology');
      const label = `${form.label} — ${dossier.code}`;
      const pdf = await form.build(
        {
          unit: formUnit(config),
          date: at,
          addressee: `Ông (bà) ${holderOf(tracked)}`,
          dossierCode: dossier.code,
          procedureName: dossier.procedure.name,
          receivedAt: new Date(dossier.receivedAt),
          appointmentAt: new Date(state.appointmentAt),
          reason: reason.trim(),
          newAppointmentAt: newAppointment,
          signerTitle: 'CHỦ TỊCH',
        },
        await loadFonts(),
      );
      const appointmentAt = newAppointment.toISOString();
      await queueCounterEventSpooled(
        db,
        main,
        dossier.id,
        { kind: 'apology-issued', eventId: crypto.randomUUID(), at: at.toISOString(), clerk, reason: reason.trim(), newAppointmentAt: appointmentAt, legalBasis: basis, notifiedVia: channel },
        (s) => ({ ...s, appointmentAt }),
      );
      await recordPrintedForm(db, { formId: 'mau04', label, dossierId: dossier.id, pdf, clerk }, at);
      setOutput({ pdf, label, fileName: `mau04-xin-loi-${dossier.code}.pdf` });
      // Issued once: an empty reason keeps a second click from apologising twice by mistake.
      setReason('');
      setDone(t('timeLimits.extended', { time: formatVietnamDateTime(newAppointment), channel: t(`timeLimits.channels.${channel}`) }));
    });

  const controlSlip = () =>
    run(async () => {
      const at = new Date();
      const form = printedForm(basis, 'control');
      const label = `${form.label} — ${dossier.code}`;
      const pdf = await form.build(
        { unit: formUnit(config), date: at, dossierCode: dossier.code, decidingAgency: procedure?.agency ?? config.organisationName, handovers: mau05Handovers(tracked, config.unit.name, clerk) },
        await loadFonts(),
      );
      // mau05 in 2018, mau06 in 2025: the stored id is the number printed on the paper.
      await recordPrintedForm(db, { formId: form.id, label, dossierId: dossier.id, pdf, clerk }, at);
      setOutput({ pdf, label, fileName: `${form.id}-kiem-soat-${dossier.code}.pdf` });
    });

  const stop = () =>
    run(async () => {
      if (!stopDay) return;
      const at = new Date();
      // Today: the moment it is recorded; an earlier day (a letter): that day.
      const requestedAt = stopDay === toVietnamIso(at).slice(0, 10) ? at : new Date(`${stopDay}T00:00:00+07:00`);
      const result = await stopDossier(
        { db, main, fonts: loadFonts },
        { dossier, state, requestedAt, reason: stopReason, clerk, unit: formUnit(config), decidingAgency: procedure?.agency ?? config.organisationName, now: at },
      );
      setStopReason('');
      setOutput({ pdf: result.pdf, label: result.label, fileName: `${result.formId}-dung-giai-quyet-${dossier.code}.pdf` });
      setDone(t('forms2025.stopDone', { code: dossier.code }));
    });

  // Issue 17: the bytes are no longer kept once the central holds the dossier; the receipt is rebuilt from its copy.
  const rebuild = (form: PrintedFormRow) =>
    run(async () => {
      const pdf = await reprintBytes({ config, fonts: loadFonts, ...(centralDossier ? { centralDossier } : {}), ...(procedure ? { procedure } : {}) }, dossier, form);
      setOutput({ pdf, label: form.label, fileName: `${form.formId}-${dossier.code}.pdf` });
      setDone(t('minimisation.rebuilt', { label: form.label }));
    });

  const closed = tracked.supplementClosedAt;
  const canApologise = inProcessing.includes(state.status) && !closed;
  const deadline = new Date(state.appointmentAt);
  return (
    <aside className="dossier-panel" aria-labelledby="panel-heading">
      <div className="panel-head">
        <h3 id="panel-heading">
          {t('desk.dossier')} <span className="code">{dossier.code}</span>
        </h3>
        <button type="button" onClick={onClose}>
          {t('common.close')}
        </button>
      </div>
      <dl className="facts">
        <dt>{t('queue.columns.applicant')}</dt>
        <dd>{holderOf(tracked)}</dd>
        <dt>{t('queue.columns.procedure')}</dt>
        <dd>{dossier.procedure.name}</dd>
        <dt>{t('desk.status')}</dt>
        <dd>{closed ? t('timeLimits.closedStatus') : dossierStatusNames[state.status]}</dd>
        <dt>{t('queue.columns.received')}</dt>
        <dd>{formatVietnamDateTime(new Date(dossier.receivedAt))}</dd>
        <dt>{t('queue.columns.appointment')}</dt>
        <dd>{formatVietnamDateTime(new Date(state.appointmentAt))}</dd>
        {state.returned && (
          <>
            <dt>{t('desk.returnedTo')}</dt>
            <dd>
              {state.returned.receivedBy} · {t(`desk.methods.${state.returned.method}`)} · {formatVietnamDateTime(new Date(state.returned.at))}
            </dd>
          </>
        )}
      </dl>
      {dossier.minimisedAt && (
        <p className="muted" role="note" data-minimised>
          {t('minimisation.minimisedNote', { date: formatVietnamDate(new Date(dossier.minimisedAt)) })}
        </p>
      )}
      {done && (
        <p className="notice-ok" role="status">
          {done}
        </p>
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {state.status === 5 && closed && (
        <p className="notice" role="note" data-closed="supplement-window">
          {t('timeLimits.closedNotice', { closedAt: formatVietnamDateTime(closed) })}
        </p>
      )}
      {state.status === 5 && !closed && (
        <>
          <p className="notice">{t(basis === LEGAL_BASIS_2025 ? 'timeLimits.supplementRequested' : 'desk.supplementRequested', { items: tracked.history.filter((c) => c.status === 5).at(-1)?.supplementItems.join('; ') ?? '' })}</p>
          <SupplementReceipt
            tracked={tracked}
            now={now}
            workingRules={workingRules}
            {...(procedure ? { procedure } : {})}
            onDone={(result) => {
              const time = formatVietnamDateTime(result.newAppointmentAt);
              // 2025: the time limit restarted (Art. 19.5); 2018: the appointment moved by the pause.
              setDone(result.rule === 'pause' ? t('desk.supplementDone', { time }) : t(result.rule === 'restart' ? 'timeLimits.restartDone' : 'timeLimits.restartFirstAllowance', { time }));
              setOutput({ pdf: result.receiptPdf, label: result.receiptLabel, fileName: `mau01-bo-sung-${dossier.code}.pdf` });
            }}
          />
        </>
      )}
      {(state.status === 9 || state.status === 10) && <ResultDocuments dossierId={dossier.id} code={dossier.code} returned={state.status === 10} onView={setOutput} />}
      {state.status === 9 && (
        <form
          className="panel-form"
          aria-label={t('desk.returnHeading')}
          onSubmit={(e) => {
            e.preventDefault();
            void returnResult();
          }}
        >
          <h4>{t('desk.returnHeading')}</h4>
          <label>
            <span>{t('desk.receivedBy')}</span>
            <input name="received-by" value={receivedBy} onChange={(e) => setReceivedBy(e.target.value)} />
          </label>
          <fieldset className="kind">
            <legend>{t('desk.method')}</legend>
            {(['counter', 'post'] as const).map((m) => (
              <label key={m}>
                <input type="radio" name="method" checked={method === m} onChange={() => setMethod(m)} /> {t(`desk.methods.${m}`)}
              </label>
            ))}
          </fieldset>
          <button type="submit" className="primary" disabled={busy || !receivedBy.trim()}>
            {t('desk.returnResult')}
          </button>
        </form>
      )}
      {tracked.refusedExtension && (
        <p className="error" role="alert" data-extension="refused-by-central">
          {errorText(t, new AppError(tracked.refusedExtension.code, tracked.refusedExtension.details))}
        </p>
      )}
      {canApologise && tracked.apologies > 0 && (
        <p className={basis === LEGAL_BASIS_2025 ? 'error' : 'muted'} role="note" data-extension="used">
          {basis === LEGAL_BASIS_2025 ? errorText(t, new AppError('EXTENSION_ALREADY_USED', { deadline: formatVietnamDate(deadline) })) : t('desk.apologyOnce')}
        </p>
      )}
      {canApologise && tracked.apologies === 0 && (
        <form
          className="panel-form"
          aria-label={t('timeLimits.extensionHeading')}
          onSubmit={(e) => {
            e.preventDefault();
            void apologise();
          }}
        >
          <h4>{t('timeLimits.extensionHeading')}</h4>
          <p className="muted">
            {basis === LEGAL_BASIS_2025
              ? t('timeLimits.deadlineRule', { deadline: formatVietnamDateTime(deadline), days: noticeDays })
              : t('timeLimits.deadline2018', { deadline: formatVietnamDateTime(deadline) })}
          </p>
          <label>
            <span>{t('desk.apologyReason')}</span>
            <textarea name="apology-reason" rows={2} value={reason} onChange={(e) => setReason(e.target.value)} />
          </label>
          <label>
            <span>{t('timeLimits.newDate')}</span>
            <input name="extension-date" type="date" value={newDate} min={vietnamDateOf(deadline)} onChange={(e) => {
                // A refusal about the previous date no longer applies.
                setError(null);
                setNewDate(e.target.value);
              }}
            />
          </label>
          <fieldset className="kind">
            <legend>{t('timeLimits.channel')}</legend>
            {notificationChannels.map((c) => (
              <label key={c}>
                <input type="radio" name="notified-via" checked={channel === c} onChange={() => setChannel(c)} /> {t(`timeLimits.channels.${c}`)}
              </label>
            ))}
          </fieldset>
          <p className="muted">{t('timeLimits.channelNote')}</p>
          <p className={'at' in preview ? 'muted' : 'error'} data-extension-preview>
            {'at' in preview ? t('timeLimits.newAppointment', { time: formatVietnamDateTime(preview.at) }) : preview.error}
          </p>
          <button type="submit" disabled={busy}>
            {t('timeLimits.issue')}
          </button>
        </form>
      )}
      {state.status === 8 && state.stopped && (
        <p className="notice" role="note">
          {t('forms2025.stoppedNote', { time: formatVietnamDateTime(new Date(state.stopped.at)), reason: state.stopped.reason })}
        </p>
      )}
      {stoppableStatuses.includes(state.status) && (
        <form
          className="panel-form"
          aria-label={t('forms2025.stopHeading')}
          onSubmit={(e) => {
            e.preventDefault();
            void stop();
          }}
        >
          <h4>{t('forms2025.stopHeading')}</h4>
          <p className="muted">{t('forms2025.stopExplain')}</p>
          <label>
            <span>{t('forms2025.stopRequestedAt')}</span>
            <input name="stop-requested-at" inputMode="numeric" value={stopDate} onChange={(e) => setStopDate(e.target.value)} aria-invalid={!stopDay} />
          </label>
          {!stopDay && <p className="error">{t('forms2025.dateInvalid')}</p>}
          <label>
            <span>{t('forms2025.stopReason')}</span>
            <textarea name="stop-reason" rows={2} value={stopReason} onChange={(e) => setStopReason(e.target.value)} />
          </label>
          <button type="submit" disabled={busy || !stopReason.trim() || !stopDay}>
            {t('forms2025.stopSubmit')}
          </button>
        </form>
      )}
      <div className="actions">
        <button type="button" disabled={busy} onClick={() => void controlSlip()}>
          {t('forms2025.controlSlip', { number: printedForm(basis, 'control').label })}
        </button>
      </div>
      <div ref={outputRef}>{output && <FormOutput key={output.label} pdf={output.pdf} fileName={output.fileName} label={output.label} />}</div>
      <DossierFiles dossierId={dossier.id} />
      <h4>{t('desk.printedHistory')}</h4>
      {printed.length === 0 ? (
        <p className="muted">{t('desk.noPrinted')}</p>
      ) : (
        <ul className="printed">
          {printed.map((f: PrintedFormRow) => {
            const kept = f.pdf;
            return (
              <li key={f.id} data-form-kept={kept ? 'yes' : 'no'}>
                {f.label} · {formatVietnamDateTime(new Date(f.createdAt))} · {f.clerk}{' '}
                {kept ? (
                  <>
                    <PrintButton pdf={kept} label={f.label} ariaLabel={t('printing.reprintLabel', { label: f.label })}>
                      {t('desk.reprint')}
                    </PrintButton>{' '}
                    <button type="button" onClick={() => setOutput({ pdf: kept, label: f.label, fileName: `${f.formId}-${dossier.code}.pdf` })}>
                      {t('desk.view')}
                    </button>
                  </>
                ) : (
                  <>
                    <span className="muted">({t('minimisation.notKept')})</span>{' '}
                    <button type="button" disabled={busy} aria-label={t('minimisation.rebuildLabel', { label: f.label })} onClick={() => void rebuild(f)}>
                      {t('minimisation.rebuild')}
                    </button>
                  </>
                )}
              </li>
            );
          })}
        </ul>
      )}
    </aside>
  );
}
