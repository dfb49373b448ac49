/**
 * Stopping a dossier at the applicant's request (Decree 118/2025/NĐ-CP Art. 21): allowed from the receipt
 * until the decision is issued; the One-Stop Division issues the notice (Mẫu 05 of Circular 03/2025).
 *
 * National status: 8 "Dừng xử lý", not 7 "Công dân yêu cầu rút hồ sơ". Art. 21 and Mẫu 05 speak of STOPPING
 * the processing ("dừng giải quyết"), which is what 8 names; 7 is the older withdrawal of the papers, and
 * stays for the back office to set when an applicant takes a dossier back by other means. The counter and the
 * central apply this same rule, so a stop the counter accepted offline is not refused on sync unless the
 * back office decided the dossier meanwhile.
 */
import { AppError } from '../errors';
import { dossierStatusNames, type DossierStatus } from '../sync/protocol';
import { formatVietnamDateTime } from './time';

/** The status a stopped dossier takes. */
export const STOPPED_STATUS = 8 satisfies DossierStatus;

/** Received and not yet decided: received (2), in processing (4), waiting for a supplement (5) or a payment (6). */
export const stoppableStatuses: readonly DossierStatus[] = [2, 4, 5, 6];

/**
 * Why dossier `code` in `status` may not be stopped, or undefined when it may. `stoppedAt` (ISO) is shown
 * when it was stopped already.
 */
export function stopRefusal(code: string, status: DossierStatus, stoppedAt?: string): AppError | undefined {
  if (stoppableStatuses.includes(status)) return undefined;
  if (status === STOPPED_STATUS) return new AppError('DOSSIER_ALREADY_STOPPED', { code, at: stoppedAt ? formatVietnamDateTime(new Date(stoppedAt)) : '' });
  return new AppError('DOSSIER_STOP_NOT_ALLOWED', { code, status: dossierStatusNames[status] });
}
