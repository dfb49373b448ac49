import { useEffect, useState } from 'react';
import { useServices } from '../../app/services';
import type { SyncSnapshot } from '../../sync/engine';

/** The sync worker's latest snapshot, re-rendered on every change. */
export function useSyncSnapshot(): SyncSnapshot {
  const { sync } = useServices();
  const [snapshot, setSnapshot] = useState<SyncSnapshot>(() => sync.snapshot());
  useEffect(() => sync.subscribe(setSnapshot), [sync]);
  return snapshot;
}
