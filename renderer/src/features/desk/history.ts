/** Mẫu 05's hand-over rows from the dossier's processing history (the central's status feed). */
import type { Mau05Data } from '../../../../shared/pdf/forms';
import type { TrackedDossier } from '../board/board-data';
import { dossierStatusNames } from '../../../../shared/sync/protocol';

type Handover = Mau05Data['handovers'][number];

/**
 * The first hand-over is the counter's own (reception → the deciding agency, at receipt); each status
 * change after it is a hand-over from the previous holder to the one who recorded the change. A step is
 * marked late when it happened after the appointment then in force.
 */
export function mau05Handovers(tracked: TrackedDossier, receivingUnit: string, clerk: string): Handover[] {
  const { dossier, history, state } = tracked;
  const appointment = new Date(state.appointmentAt).getTime();
  const reception = 'Bộ phận Tiếp nhận và Trả kết quả';
  const rows: Handover[] = [{ from: reception, to: receivingUnit, at: new Date(dossier.receivedAt), giver: dossier.clerk ?? clerk, note: 'Tiếp nhận hồ sơ' }];
  let holder = receivingUnit;
  for (const change of history) {
    const to = change.department || change.actor;
    const at = new Date(change.at);
    rows.push({
      from: holder,
      to,
      at,
      receiver: change.actor,
      result: at.getTime() <= appointment ? 'on-time' : 'late',
      note: [dossierStatusNames[change.status], change.note].filter(Boolean).join(': '),
    });
    holder = to;
  }
  if (state.returned) rows.push({ from: holder, to: reception, at: new Date(state.returned.at), receiver: state.returned.receivedBy, note: 'Trả kết quả' });
  return rows;
}
