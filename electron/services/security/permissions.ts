/**
 * Which browser permissions the app's window gets. Only the camera, for the app's own pages: the document
 * camera captures pages and reads the card's QR. No microphone, notifications, geolocation or anything else.
 * Pure functions so they are tested in Node; electron/main wires them to the session's handlers.
 */
import { isAllowedNavigation } from './navigation';

export interface PermissionAsk {
  readonly permission: string;
  /** The page asking (request handler: details.requestingUrl; check handler: requestingOrigin). */
  readonly url: string;
  /** For 'media': what is asked for (request: details.mediaTypes; check: [details.mediaType]). */
  readonly mediaTypes?: readonly string[];
}

export function isAllowedPermission(ask: PermissionAsk): boolean {
  if (ask.permission !== 'media' || !isAllowedNavigation(ask.url)) return false;
  const types = ask.mediaTypes ?? [];
  // Video only: a request that includes audio (or says nothing of what it wants) is refused.
  return types.length > 0 && types.every((t) => t === 'video');
}
