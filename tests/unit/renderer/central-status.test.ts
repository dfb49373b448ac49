// What the header says about the central, derived from the sync engine's snapshot (issue 14, finding 6).
import { describe, expect, it } from 'vitest';
import { centralStatus, enrollCommands } from '../../../renderer/src/features/sync/central-status';
import type { WireError } from '../../../shared/errors';

const unauthenticated: WireError = { code: 'DEVICE_UNAUTHENTICATED', details: { reason: 'missing', status: 401 } };

describe('the central status in the header', () => {
  it('is green only when the central is reachable and accepts this counter', () => {
    expect(centralStatus({ connectivity: 'online', centralAccess: { state: 'accepted' } })).toEqual({ kind: 'accepting' });
    // Reachable, but the counter has not been checked yet: not green.
    expect(centralStatus({ connectivity: 'online' })).toEqual({ kind: 'checking' });
    expect(centralStatus({ connectivity: 'unknown' })).toEqual({ kind: 'checking' });
  });

  it('says refused, with the central’s reason, when it refuses this counter', () => {
    expect(centralStatus({ connectivity: 'online', centralAccess: { state: 'refused', error: unauthenticated } })).toEqual({ kind: 'refused', error: unauthenticated });
    const mismatch: WireError = { code: 'DEVICE_UNIT_MISMATCH', details: { deviceUnit: '000.00.02.H22', unit: '000.00.01.H22' } };
    expect(centralStatus({ connectivity: 'online', centralAccess: { state: 'refused', error: mismatch } })).toEqual({ kind: 'refused', error: mismatch });
  });

  it('tells a central answering with errors from one that does not answer at all', () => {
    const serverError: WireError = { code: 'CENTRAL_SERVER_ERROR', details: { status: 503 } };
    expect(centralStatus({ connectivity: 'offline', lastProbeError: serverError })).toEqual({ kind: 'central-error', error: serverError });
    const portal: WireError = { code: 'CENTRAL_NOT_A_CENTRAL', details: { status: 200 } };
    expect(centralStatus({ connectivity: 'offline', lastProbeError: portal })).toEqual({ kind: 'central-error', error: portal });
    // Health answered, the check of this counter answered 500.
    expect(centralStatus({ connectivity: 'online', centralAccess: { state: 'failing', error: serverError } })).toEqual({ kind: 'central-error', error: serverError });

    const unreachable: WireError = { code: 'CENTRAL_UNREACHABLE', details: { reason: 'fetch failed' } };
    expect(centralStatus({ connectivity: 'offline', lastProbeError: unreachable })).toEqual({ kind: 'offline', error: unreachable });
    // A request that lost the link mid-pass: offline, whatever the last answer about the counter was.
    expect(centralStatus({ connectivity: 'offline', centralAccess: { state: 'accepted' } })).toEqual({ kind: 'offline' });
  });

  it('gives IT the exact commands for this counter', () => {
    const commands = enrollCommands({ centralUrl: 'https://motcua.example.gov.vn/', unit: { code: '000.00.01.H99', name: 'UBND xã "Demo"' }, counterNo: 3 }, { code: '<mã một lần>', name: '<tên máy>' });
    expect(commands.issueCode).toBe('motcua central enroll-code --unit 000.00.01.H99 --unit-name "UBND xã \\"Demo\\"" --counter 3');
    expect(commands.enroll).toBe('motcua enroll --central https://motcua.example.gov.vn --code <mã một lần> --name <tên máy>');
  });
});
