#!/usr/bin/env node
// Run by `npm ci` / `npm install` (preinstall) and `npm start`: stops at once, in Vietnamese and English, on a
// Node.js older than the project supports, instead of dozens of EBADENGINE warnings and failures later.
// Plain JavaScript with no imports from the project: it runs before the dependencies are installed.
const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
const supported = major > 22 || (major === 22 && minor >= 12);
if (!supported) {
  console.error(
    [
      `Node.js ${process.versions.node} quá cũ: dự án cần Node.js 22.12 trở lên (khuyến nghị 24 LTS, bản trong .node-version).`,
      `Node.js ${process.versions.node} is too old: the project needs Node.js 22.12 or newer (24 LTS recommended, the version in .node-version).`,
      '',
      'Cài Node.js 24 từ kho npm / install Node.js 24 from the npm registry:',
      '  npm install --global --prefix /opt/motcua-node node@24 && export PATH=/opt/motcua-node/bin:$PATH',
    ].join('\n'),
  );
  process.exit(1);
}
