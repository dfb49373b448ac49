/**
 * The counter's main process, as far as the fault suite's counter page needs it: the database ledger and
 * the dossier spool — the real electron/services code on a folder of this run — served over the same IPC
 * wire as the web host (POST /ipc/<channel>, validated by the contract). The gateway routes /ipc/ here
 * directly, never across the faulty link: main is on the counter PC.
 *
 * Main is not killed with the browser: a power cut would stop both, but what main wrote was flushed before
 * it answered (the spool's and ledger's own tests cover a crash inside their writes).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { auditHandlers, ledgerHandlers, spoolHandlers } from '../../../electron/services/counter-host';
import { AuditLog } from '../../../electron/services/audit/audit-log';
import { openDatabaseLedger } from '../../../electron/services/database-ledger';
import { openDossierSpool, type DossierSpool } from '../../../electron/services/dossier-spool';
import { AppError } from '../../../shared/errors';
import type { IpcHandlers } from '../../../shared/ipc/contract';
import { dispatchIpc } from '../../../shared/ipc/dispatch';
import { decodeWire, encodeWire } from '../../../shared/ipc/wire';

export interface CounterMain {
  readonly spool: DossierSpool;
  /** Serves one /ipc/<channel> request. */
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
}

export function startCounterMain(dataDir: string): CounterMain {
  const ledger = openDatabaseLedger(dataDir);
  const spool = openDossierSpool(dataDir);
  // The audit log as real main keeps it (issue 17): the counter page records its actions and syncs them.
  const served: Partial<IpcHandlers> = { ...ledgerHandlers(ledger), ...spoolHandlers(spool), ...auditHandlers(new AuditLog({ dataDir })) };
  // Channels the counter page has no use for answer like a host without that service.
  const handlers = new Proxy(served, {
    get: (target, channel: string) => target[channel as keyof IpcHandlers] ?? (() => Promise.reject(new AppError('INTERNAL', { issue: `${channel} is not served by the fault suite's main` }))),
  }) as IpcHandlers;

  return {
    spool,
    async handle(req, res) {
      const channel = (req.url ?? '').replace(/^\/ipc\//, '').split('?', 1)[0] ?? '';
      const parts: Buffer[] = [];
      for await (const part of req) parts.push(part as Buffer);
      let payload: unknown;
      try {
        payload = decodeWire(Buffer.concat(parts).toString('utf8'));
      } catch {
        res.writeHead(400).end();
        return;
      }
      const result = await dispatchIpc(handlers, channel, payload, (name, err) => {
        process.stderr.write(`counter main: ${name} failed: ${String(err)}\n`);
      });
      res.writeHead(200, { 'content-type': 'application/json' }).end(encodeWire(result));
    },
  };
}
