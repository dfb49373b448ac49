import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy } from '../../../electron/services/security/csp';
import { isAllowedNavigation, isTrustedSender } from '../../../electron/services/security/navigation';
import { resolveInside } from '../../../electron/services/security/paths';
import { isAllowedPermission } from '../../../electron/services/security/permissions';

describe('navigation lock', () => {
  it('allows only the app origin', () => {
    expect(isAllowedNavigation('app://motcua/index.html')).toBe(true);
    expect(isAllowedNavigation('https://example.org/')).toBe(false);
    expect(isAllowedNavigation('file:///etc/passwd')).toBe(false);
    expect(isAllowedNavigation('app://other/index.html')).toBe(false);
    expect(isAllowedNavigation('not a url')).toBe(false);
  });

  it('trusts only the app top frame as an IPC sender', () => {
    expect(isTrustedSender({ url: 'app://motcua/index.html', isTopFrame: true })).toBe(true);
    expect(isTrustedSender({ url: 'app://motcua/index.html', isTopFrame: false })).toBe(false);
    expect(isTrustedSender({ url: 'https://evil.example/', isTopFrame: true })).toBe(false);
    expect(isTrustedSender(null)).toBe(false);
  });
});

describe('content security policy', () => {
  const csp = contentSecurityPolicy('http://127.0.0.1:8787/some/path');
  const directives = new Map(csp.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1)] as const));

  it('allows scripts only from the app, never inline or eval; WebAssembly compilation only (the QR reader)', () => {
    expect(directives.get('script-src')).toEqual(["'self'", "'wasm-unsafe-eval'"]);
    expect(directives.get('default-src')).toEqual(["'none'"]);
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain("'unsafe-eval'");
  });

  it('lets the renderer reach the app and the configured central origin only', () => {
    expect(directives.get('connect-src')).toEqual(["'self'", 'http://127.0.0.1:8787']);
    expect(directives.get('object-src')).toEqual(["'none'"]);
    expect(directives.get('frame-ancestors')).toEqual(["'none'"]);
  });
});

describe('permissions', () => {
  const app = 'app://motcua/index.html';
  it('gives the app its camera, video only', () => {
    expect(isAllowedPermission({ permission: 'media', url: app, mediaTypes: ['video'] })).toBe(true);
    expect(isAllowedPermission({ permission: 'media', url: 'app://motcua', mediaTypes: ['video'] })).toBe(true);
  });
  it('never the microphone, nor a request that does not say what it wants', () => {
    expect(isAllowedPermission({ permission: 'media', url: app, mediaTypes: ['video', 'audio'] })).toBe(false);
    expect(isAllowedPermission({ permission: 'media', url: app, mediaTypes: ['audio'] })).toBe(false);
    expect(isAllowedPermission({ permission: 'media', url: app, mediaTypes: [] })).toBe(false);
    expect(isAllowedPermission({ permission: 'media', url: app })).toBe(false);
  });
  it('never to another origin, and no other permission', () => {
    expect(isAllowedPermission({ permission: 'media', url: 'https://evil.example/', mediaTypes: ['video'] })).toBe(false);
    expect(isAllowedPermission({ permission: 'media', url: 'file:///tmp/x.html', mediaTypes: ['video'] })).toBe(false);
    for (const permission of ['notifications', 'geolocation', 'clipboard-read', 'display-capture', 'openExternal', 'fullscreen']) {
      expect(isAllowedPermission({ permission, url: app, mediaTypes: ['video'] })).toBe(false);
    }
  });
});

describe('app:// file resolution', () => {
  const root = path.resolve('/srv/renderer');
  it('maps paths inside the renderer folder', () => {
    expect(resolveInside(root, '/index.html')).toBe(path.join(root, 'index.html'));
    expect(resolveInside(root, '/assets/a%20b.js')).toBe(path.join(root, 'assets', 'a b.js'));
  });
  it('refuses to escape it', () => {
    expect(resolveInside(root, '/../../etc/passwd')).toBe(path.join(root, 'etc', 'passwd'));
    expect(resolveInside(root, '/..%2f..%2fetc/passwd')).toBe(path.join(root, 'etc', 'passwd'));
    expect(resolveInside(root, '/a%00b')).toBeNull();
    expect(resolveInside(root, '/%E0%A4%A')).toBeNull();
    expect(resolveInside(root, '/')).toBeNull();
  });
});
