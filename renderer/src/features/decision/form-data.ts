/** Turning the counter's records into the data of the printed forms (Mẫu 02–06). */
import type { Applicant } from '../../../../shared/domain/dossier';
import { holderName } from '../../../../shared/domain/dossier';
import type { ApplicantData } from '../../../../shared/pdf/forms/common';

/** The applicant block of Mẫu 02/03: the dossier holder, with the submitter's contact details. */
export function formApplicant(applicant: Applicant): ApplicantData {
  return { fullName: holderName(applicant), address: applicant.address, phone: applicant.phone, ...(applicant.email ? { email: applicant.email } : {}) };
}
