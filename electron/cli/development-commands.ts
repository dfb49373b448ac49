/**
 * The commands a checkout's `motcua` (bin.mjs, through tsx) has beyond the counter app's: the reference central
 * and the demo, both of which start a central in this process. The packaged counter CLI (build-cli.mjs → out/cli)
 * is built from run.ts, which never imports this file, and the build refuses any file of central/ (issue 18
 * item 7: the central's server stack does not ship to counter PCs).
 */
import { counterCommands, type CommandTable } from './motcua';

const developmentCommands: CommandTable = {
  central: {
    summary: 'central [--port 8787] [--data <dir>] (--trust <pem> | --demo) [--tls-cert <pem> --tls-key <pem>]   chạy hệ thống trung tâm tham chiếu',
    load: async () => (await import('./commands/central')).run,
  },
  host: {
    summary: 'host [--demo] [--port 5173] [--config <file>] [--central <url>] [--data <dir>]   chạy ứng dụng trong trình duyệt Chromium (web host)',
    load: async () => {
      const [{ runHost }, { startDemoCentral }] = await Promise.all([import('./commands/host'), import('./commands/demo-central')]);
      return (args) => runHost(args, startDemoCentral);
    },
  },
  demo: { summary: 'demo   chạy ứng dụng Electron với trung tâm cục bộ và dữ liệu mẫu', load: async () => (await import('./commands/demo')).run },
};

/** Every command of a checkout: the counter's, with `host` able to start the demo central, and the central's. */
export const checkoutCommands: CommandTable = { ...counterCommands, ...developmentCommands };
