import type { uiVi } from './ui-vi';

type Shape<T> = { readonly [K in keyof T]: T[K] extends string ? string : Shape<T[K]> };

/** English UI strings (second locale). Typed against the Vietnamese ones so no key is missing. */
export const uiEn: Shape<typeof uiVi> = {
  app: { title: 'One-stop dossier reception', language: 'Tiếng Việt' },
  nav: { intake: 'Receive dossier', queue: 'Sync queue', shortcutHint: 'Alt+1 / Alt+2' },
  sync: {
    online: 'Connected to central',
    offline: 'Central unreachable',
    unknown: 'Checking connection…',
    waiting: '{{count}} dossiers waiting',
    bytesLeft: '{{size}} left',
    syncNow: 'Sync now',
    lastContact: 'Last contact: {{time}}',
  },
  steps: { procedure: 'Procedure', applicant: 'Applicant', components: 'Components', sign: 'Sign and accept', receipt: 'Receipt' },
  procedure: {
    heading: 'Choose the procedure',
    search: 'Search by name or code',
    timeLimit: 'Time limit: {{amount}} {{unit}}',
    sameDay: 'Time limit: same day',
    units: { 'working-days': 'working days', days: 'days', hours: 'working hours' },
    components: '{{count}} components',
  },
  applicant: {
    heading: 'Applicant',
    fullName: 'Full name',
    idNumber: 'ID card number',
    phone: 'Phone',
    address: 'Address',
    invalid: {
      fullName: 'Enter the full name.',
      idNumber: 'The ID number has 12 digits (or 9 for an old ID).',
      phone: 'The phone number has 9–12 digits.',
      address: 'Enter the address.',
    },
  },
  components: {
    heading: 'Attach the dossier components',
    required: 'Required',
    optional: 'Optional',
    present: 'Present',
    missing: 'Missing',
    addFiles: 'Add files (JPEG, PNG, PDF)',
    remove: 'Remove {{name}}',
    pages: '{{count}} pages',
    lowDpi: 'Resolution below 200 dpi',
  },
  sign: {
    heading: 'Sign and accept the dossier',
    summary: '{{count}} PDF files will be built, signed with the unit certificate, saved locally and sent to the central.',
    certificate: 'Signing certificate: {{subject}} (issued by {{issuer}}, expires {{notAfter}})',
    locked: 'The signing key is locked: {{label}}',
    password: 'Key file password',
    unlock: 'Unlock',
    accept: 'Sign and accept',
    progress: {
      code: 'Allocating the dossier code…',
      assemble: 'Building PDF: {{name}}',
      sign: 'Signing: {{name}}',
      save: 'Saving the dossier locally…',
      receipt: 'Preparing the receipt…',
    },
  },
  receipt: {
    heading: 'Dossier accepted',
    code: 'Dossier code',
    appointment: 'Result due',
    download: 'Download / print the receipt (PDF)',
    newDossier: 'Receive a new dossier',
    queued: 'The dossier is saved on this computer and queued for the central.',
  },
  queue: {
    heading: 'Sync queue',
    empty: 'No dossiers yet.',
    columns: { code: 'Dossier code', applicant: 'Applicant', procedure: 'Procedure', received: 'Received', state: 'State', detail: 'Detail' },
    states: { waiting: 'Waiting', uploading: 'Uploading', committing: 'Confirming', acknowledged: 'Received by central', failed: 'Failed' },
    centralId: 'Central id: {{id}}',
    nextAttempt: 'Retry at {{time}}',
  },
  common: { next: 'Next', back: 'Back', cancel: 'Cancel', close: 'Close', error: 'Error' },
};
