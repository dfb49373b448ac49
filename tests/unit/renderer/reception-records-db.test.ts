// The reception duties and form 07a against the counter's real database (fake-indexeddb): what is saved is
// what is read back, and the board's 07a counts follow the status rows as the feed writes them (a stop, an
// extension's new appointment, a result on the appointment itself).
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { CounterDatabase, type StoredDossier } from '../../../renderer/src/db/database';
import { loadTrackedDossiers } from '../../../renderer/src/features/board/board-data';
import { form07aData } from '../../../renderer/src/features/board/reports';
import { applyChangesPage } from '../../../renderer/src/sync/pull';
import { recordReceptionDuties } from '../../../shared/domain/reception-duties';
import { toVietnamIso } from '../../../shared/domain/time';
import { statusChangeSchema, type StatusChange } from '../../../shared/sync/protocol';
import { saveTestDossier } from '../../support/counter-dossier';

const openDbs: CounterDatabase[] = [];
afterEach(async () => {
  for (const db of openDbs.splice(0)) await db.delete();
});
function openDb(): CounterDatabase {
  const db = new CounterDatabase(`motcua-test-${crypto.randomUUID()}`);
  openDbs.push(db);
  return db;
}

let sequence = 0;
async function save(db: CounterDatabase, receivedAt: string, appointmentAt: string, extra: Partial<StoredDossier> = {}): Promise<StoredDossier> {
  const n = ++sequence;
  const code = `000.00.01.H22-261110-${String(n).padStart(4, '0')}`;
  const { dossier } = await saveTestDossier(db, n, [new TextEncoder().encode(`pdf of ${code}`)], {
    componentCodes: ['KS-01'],
    with: {
      code,
      procedure: { code: '1.001193', name: 'Đăng ký khai sinh' },
      receivedAt: toVietnamIso(new Date(receivedAt)),
      appointmentAt: toVietnamIso(new Date(appointmentAt)),
      createdAt: new Date(receivedAt).toISOString(),
      ...extra,
    },
  });
  return dossier;
}

let feedSeq = 0;
const change = (dossier: StoredDossier, status: StatusChange['status'], at: string, extra: Partial<StatusChange> = {}): StatusChange =>
  statusChangeSchema.parse({ seq: ++feedSeq, dossierId: dossier.id, dossierCode: dossier.code, status, at, actor: 'Phòng Tư pháp', ...extra });

describe('reception duties on the stored dossier', () => {
  it('reads back what the clerk recorded, and nothing for a dossier without a record', async () => {
    const db = openDb();
    const duties = recordReceptionDuties('principal-account', { 'KS-01': 'national-data-store' }, ['KS-01']);
    const recorded = await save(db, '2026-11-10T09:00:00+07:00', '2026-11-13T16:00:00+07:00', { receptionDuties: duties });
    const older = await save(db, '2026-11-10T10:00:00+07:00', '2026-11-13T16:00:00+07:00');
    expect((await db.dossiers.get(recorded.id))?.receptionDuties).toEqual({ vneid: 'principal-account', documents: [{ componentCode: 'KS-01', source: 'national-data-store' }] });
    expect((await db.dossiers.get(older.id))?.receptionDuties).toBeUndefined();
  });
});

describe('form 07a from the counter’s rows', () => {
  it('counts a result on the appointment as on time, a stop in its column, an extension against the new date', async () => {
    const db = openDb();
    const appointment = '2026-11-13T16:00:00+07:00';
    const onTheDot = await save(db, '2026-11-10T09:00:00+07:00', appointment);
    const stopped = await save(db, '2026-11-10T09:30:00+07:00', appointment);
    const extended = await save(db, '2026-11-10T10:00:00+07:00', appointment);
    const late = await save(db, '2026-11-10T10:30:00+07:00', appointment);
    // Still open at the period's end, its appointment not yet reached: in progress, within time.
    await save(db, '2026-11-25T10:30:00+07:00', '2026-12-20T16:00:00+07:00');
    await applyChangesPage(
      db,
      {
        changes: [
          change(onTheDot, 4, '2026-11-10T14:00:00+07:00'),
          change(onTheDot, 9, '2026-11-13T16:00:00+07:00'),
          change(stopped, 8, '2026-11-11T09:00:00+07:00', { note: 'Công dân đề nghị dừng' }),
          // The agency's apology moves the appointment once (Art. 19.6): judged against the 20th.
          change(extended, 4, '2026-11-12T09:00:00+07:00', { newAppointmentAt: '2026-11-20T16:00:00+07:00' }),
          change(extended, 9, '2026-11-18T10:00:00+07:00'),
          change(late, 9, '2026-11-16T10:00:00+07:00'),
        ],
        cursor: feedSeq,
        hasMore: false,
        serverTime: '2026-12-06T03:00:00.000Z',
      },
      '2026-12-06T03:00:00.000Z',
    );
    const tracked = await loadTrackedDossiers(db);
    const period = { from: new Date('2026-11-01T00:00:00+07:00'), to: new Date('2026-11-30T23:59:59+07:00') };
    const unit = { unitName: 'Trung tâm Phục vụ hành chính công xã Demo', place: 'Xã Demo' };
    const report = form07aData(tracked, unit, period, new Date('2026-12-06T10:00:00+07:00'), () => 'Hộ tịch');
    expect(report.rows).toHaveLength(2);
    expect(report.rows.at(-1)).toMatchObject({
      label: 'Tổng cộng',
      total: 5,
      received: { 'in-person': 5, 'online-whole': 0, 'online-partial': 0, postal: 0 },
      resolvedEarly: 1,
      resolvedOnTime: 1,
      resolvedLate: 1,
      inProgressWithinTime: 1,
      stopped: 1,
    });
  });
});
