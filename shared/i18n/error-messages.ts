import type { ErrorCode, ErrorDetails } from '../errors';
import { messagesApp } from './messages-app';
import { messagesFiles } from './messages-files';
import { messagesCapture } from './messages-capture';
import { messagesApplicant } from './messages-applicant';
import { messagesDossier } from './messages-dossier';
import { messagesDossierCode } from './messages-dossier-code';
import { messagesCalendar } from './messages-calendar';
import { messagesSigning } from './messages-signing';
import { messagesCertificates } from './messages-certificates';
import { messagesSignedPdf } from './messages-signed-pdf';
import { messagesStorage } from './messages-storage';
import { messagesPrinting } from './messages-printing';
import { messagesSync } from './messages-sync';
import { messagesDevices } from './messages-devices';
import { messagesCentral } from './messages-central';
import { messagesAudit } from './messages-audit';
import { messagesUpdates } from './messages-updates';

/**
 * What each error tells the clerk: what happened and what to do. Placeholders {{name}} are filled from
 * the error's details. Vietnamese first; English is the second locale. One file per topic, the same topics
 * (and order) as the sections of shared/errors.ts.
 */
export const errorMessages = {
  vi: { ...messagesApp.vi, ...messagesFiles.vi, ...messagesCapture.vi, ...messagesApplicant.vi, ...messagesDossier.vi, ...messagesDossierCode.vi, ...messagesCalendar.vi, ...messagesSigning.vi, ...messagesCertificates.vi, ...messagesSignedPdf.vi, ...messagesStorage.vi, ...messagesPrinting.vi, ...messagesSync.vi, ...messagesDevices.vi, ...messagesCentral.vi, ...messagesAudit.vi, ...messagesUpdates.vi },
  en: { ...messagesApp.en, ...messagesFiles.en, ...messagesCapture.en, ...messagesApplicant.en, ...messagesDossier.en, ...messagesDossierCode.en, ...messagesCalendar.en, ...messagesSigning.en, ...messagesCertificates.en, ...messagesSignedPdf.en, ...messagesStorage.en, ...messagesPrinting.en, ...messagesSync.en, ...messagesDevices.en, ...messagesCentral.en, ...messagesAudit.en, ...messagesUpdates.en },
} as const satisfies Record<'vi' | 'en', Record<ErrorCode, string>>;

export type Locale = keyof typeof errorMessages;

/** The message for an error, with its details filled in. Unknown placeholders are left visible. */
export function describeError(locale: Locale, code: ErrorCode, details: ErrorDetails = {}): string {
  const template: string = errorMessages[locale][code];
  return template.replace(/\{\{(\w+)\}\}/g, (whole, key: string) => (key in details ? String(details[key]) : whole));
}
