/**
 * The folder rules of docs/ARCHITECTURE.md ("Layers and what may import what") are enforced by lint. Each case
 * feeds ESLint, with the repository's own configuration, a small file placed in a layer and importing across a
 * boundary: a forbidden import must be reported by the named rule, and its permitted counterpart must not — so
 * a rule that stopped matching (a renamed folder, a plugin upgrade) fails here, not silently.
 */
import { ESLint } from 'eslint';
import path from 'node:path';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';

const repoRoot = path.resolve(import.meta.dirname, '../../..');
// The probes are never written to disk, so TypeScript's project service cannot see them: lint them without type
// information (the boundary rules need none; the type-aware rules are switched off for them only).
const eslint = new ESLint({ cwd: repoRoot, overrideConfig: [{ files: ['**/*.ts', '**/*.tsx'], ...tseslint.configs.disableTypeChecked }] });

interface BoundaryCase {
  readonly name: string;
  /** Where the probe file pretends to live (it is never written to disk). */
  readonly file: string;
  readonly code: string;
  /** The rule expected to refuse it; undefined = the file must lint clean of boundary rules. */
  readonly refusedBy?: 'boundaries/dependencies' | 'no-restricted-imports' | 'no-restricted-globals' | 'no-restricted-syntax';
}

const cases: BoundaryCase[] = [
  // shared/: platform-free and at the bottom — it imports nothing of the app's other layers.
  { name: 'shared → central', file: 'shared/boundary-probe.ts', code: "import { startCentral } from '../central/src/server';\nexport const probe = startCentral;\n", refusedBy: 'boundaries/dependencies' },
  { name: 'shared → renderer', file: 'shared/boundary-probe.ts', code: "import { startSync } from '../renderer/src/sync/engine';\nexport const probe = startSync;\n", refusedBy: 'boundaries/dependencies' },
  { name: 'shared → electron services', file: 'shared/boundary-probe.ts', code: "import { openKeystore } from '../electron/services/signing/keystore';\nexport const probe = openKeystore;\n", refusedBy: 'boundaries/dependencies' },
  { name: 'shared → Node built-in', file: 'shared/boundary-probe.ts', code: "import { readFile } from 'node:fs/promises';\nexport const probe = readFile;\n", refusedBy: 'no-restricted-imports' },
  { name: 'shared → shared (allowed)', file: 'shared/boundary-probe.ts', code: "import { AppError } from './errors';\nexport const probe = AppError;\n" },
  // shared-node/: Node-only code the counter's services and the central share — never the other way, never the page.
  { name: 'shared → shared-node (Node code in platform-free code)', file: 'shared/boundary-probe.ts', code: "import { writeFileDurably } from '../shared-node/durable-file';\nexport const probe = writeFileDurably;\n", refusedBy: 'boundaries/dependencies' },
  { name: 'shared-node → central', file: 'shared-node/boundary-probe.ts', code: "import { startCentral } from '../central/src/server';\nexport const probe = startCentral;\n", refusedBy: 'boundaries/dependencies' },
  { name: 'renderer → shared-node', file: 'renderer/src/app/boundary-probe.ts', code: "import { writeFileDurably } from '../../../shared-node/durable-file';\nexport const probe = writeFileDurably;\n", refusedBy: 'boundaries/dependencies' },
  { name: 'central → shared-node (allowed)', file: 'central/src/boundary-probe.ts', code: "import { writeFileDurably } from '../../shared-node/durable-file';\nexport const probe = writeFileDurably;\n" },
  // The sandboxed preload: channel names only (no zod, no engine); the contract's types are erased at build.
  { name: 'preload → IPC contract (value)', file: 'electron/preload/boundary-probe.ts', code: "import { dispatchIpc } from '../../shared/ipc/contract';\nexport const probe = dispatchIpc;\n", refusedBy: 'boundaries/dependencies' },
  { name: 'preload → sync engine', file: 'electron/preload/boundary-probe.ts', code: "import { startSync } from '../../renderer/src/sync/engine';\nexport const probe = startSync;\n", refusedBy: 'boundaries/dependencies' },
  { name: 'preload → IPC contract (types only, allowed)', file: 'electron/preload/boundary-probe.ts', code: "import type { MotcuaBridge } from '../../shared/ipc/contract';\nexport const probe: MotcuaBridge | undefined = undefined;\n" },
  { name: 'preload → channel names (allowed)', file: 'electron/preload/boundary-probe.ts', code: "import { ipcChannelNames } from '../../shared/ipc/channels';\nexport const probe = ipcChannelNames;\n" },
  // central/: a separate service sharing only shared/ with the counter.
  { name: 'central → tests', file: 'central/src/boundary-probe.ts', code: "import { getTestPki } from '../../tests/support/pki';\nexport const probe = getTestPki;\n", refusedBy: 'boundaries/dependencies' },
  { name: 'central → electron services', file: 'central/src/boundary-probe.ts', code: "import { openKeystore } from '../../electron/services/signing/keystore';\nexport const probe = openKeystore;\n", refusedBy: 'boundaries/dependencies' },
  { name: 'central → shared (allowed)', file: 'central/src/boundary-probe.ts', code: "import { AppError } from '../../shared/errors';\nexport const probe = AppError;\n" },
  // renderer/src/{sync,db}: also run in the sync worker — no React, no DOM, nothing of the screens.
  { name: 'sync → React', file: 'renderer/src/sync/boundary-probe.ts', code: "import { useState } from 'react';\nexport const probe = useState;\n", refusedBy: 'no-restricted-imports' },
  { name: 'db → the DOM', file: 'renderer/src/db/boundary-probe.ts', code: 'export const probe = (): string => document.title;\n', refusedBy: 'no-restricted-globals' },
  { name: 'db → a screen', file: 'renderer/src/db/boundary-probe.ts', code: "import { QueueScreen } from '../features/queue/QueueScreen';\nexport const probe = QueueScreen;\n", refusedBy: 'boundaries/dependencies' },
  { name: 'sync → main client types (allowed)', file: 'renderer/src/sync/boundary-probe.ts', code: "import type { MainClient } from '../platform/main-client';\nexport const probe: MainClient | undefined = undefined;\n" },
  // The rest of the renderer: browser code that reaches main only through the preload bridge.
  { name: 'renderer → central', file: 'renderer/src/app/boundary-probe.ts', code: "import { startCentral } from '../../../central/src/server';\nexport const probe = startCentral;\n", refusedBy: 'boundaries/dependencies' },
  { name: 'renderer → electron services', file: 'renderer/src/app/boundary-probe.ts', code: "import { openKeystore } from '../../../electron/services/signing/keystore';\nexport const probe = openKeystore;\n", refusedBy: 'boundaries/dependencies' },
  // Node-side services of the counter: never the renderer, never the central's code.
  { name: 'services → central', file: 'electron/services/boundary-probe.ts', code: "import { startCentral } from '../../central/src/server';\nexport const probe = startCentral;\n", refusedBy: 'boundaries/dependencies' },
  { name: 'services → renderer', file: 'electron/services/boundary-probe.ts', code: "import { startSync } from '../../renderer/src/sync/engine';\nexport const probe = startSync;\n", refusedBy: 'boundaries/dependencies' },
  { name: 'web host → central', file: 'electron/web-host/boundary-probe.ts', code: "import { startCentral } from '../../central/src/server';\nexport const probe = startCentral;\n", refusedBy: 'boundaries/dependencies' },
  // The counter app's CLI carries no central (issue 18 item 7); a checkout's central and demo commands do.
  { name: 'cli → central', file: 'electron/cli/boundary-probe.ts', code: "import { startCentral } from '../../central/src/server';\nexport const probe = startCentral;\n", refusedBy: 'boundaries/dependencies' },
  { name: 'cli → a checkout-only command', file: 'electron/cli/boundary-probe.ts', code: "import { startDemoCentral } from './commands/demo-central';\nexport const probe = startDemoCentral;\n", refusedBy: 'boundaries/dependencies' },
  { name: 'a central command → central (allowed: `motcua central` in a checkout)', file: 'electron/cli/commands/central-boundary-probe.ts', code: "import { startCentral } from '../../../central/src/server';\nexport const probe = startCentral;\n" },
  // The central's paths: written once, in the API contract; everyone else calls pathFor.
  { name: 'a central path written in the sync engine', file: 'renderer/src/sync/boundary-probe.ts', code: "export const probe = '/api/v1/dossiers/x';\n", refusedBy: 'no-restricted-syntax' },
  { name: 'a central path in a template, in a test', file: 'tests/support/boundary-probe.ts', code: "export const probe = (base: string) => `${base}/api/v1/health`;\n", refusedBy: 'no-restricted-syntax' },
  { name: 'the fleet page path, in the CLI', file: 'electron/cli/commands/boundary-probe.ts', code: "export const probe = '/admin/fleet';\n", refusedBy: 'no-restricted-syntax' },
  { name: 'the API contract writes the paths', file: 'shared/sync/api-contract.ts', code: "export const probe = '/api/v1/health';\n" },
  { name: 'pathFor outside the contract', file: 'renderer/src/sync/boundary-probe.ts', code: "import { pathFor } from '../../../shared/sync/api-contract';\nexport const probe = pathFor('health');\n" },
];

const boundaryRules = new Set(['boundaries/dependencies', 'no-restricted-imports', 'no-restricted-globals', 'no-restricted-syntax']);

describe('folder boundaries are enforced by lint (docs/ARCHITECTURE.md)', () => {
  it.each(cases)('$name', async ({ file, code, refusedBy }) => {
    const [result] = await eslint.lintText(code, { filePath: path.join(repoRoot, file) });
    expect(result, 'ESLint returned no result').toBeDefined();
    const fatal = result!.messages.filter((m) => m.fatal === true);
    expect(fatal, 'the probe must parse').toEqual([]);
    const refusals = result!.messages.filter((m) => m.ruleId !== null && boundaryRules.has(m.ruleId)).map((m) => m.ruleId);
    if (refusedBy === undefined) expect(refusals).toEqual([]);
    else expect(refusals).toContain(refusedBy);
  });

  it('names the table in its message, so a clerk-facing developer knows where the rule is written', async () => {
    const [result] = await eslint.lintText("import { startCentral } from '../central/src/server';\nexport const probe = startCentral;\n", {
      filePath: path.join(repoRoot, 'shared/boundary-probe.ts'),
    });
    const message = result!.messages.find((m) => m.ruleId === 'boundaries/dependencies')?.message ?? '';
    expect(message).toContain('docs/ARCHITECTURE.md');
    expect(message).toContain('shared may not import central');
  });
});
