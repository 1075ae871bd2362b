// Copies the API's .proto files from the repository's proto/ folder into this package, so that
// the extension (and its .vsix) carries the exact API it was built against. Run by `npm run
// compile` (and so by `npm ci`, `npm test` and `vsce package`).
'use strict';
const fs = require('fs');
const path = require('path');

const source = path.resolve(__dirname, '..', '..', '..', 'proto', 'gale', 'v1');
const target = path.resolve(__dirname, '..', 'proto', 'gale', 'v1');

if (!fs.existsSync(source)) {
  if (fs.existsSync(target)) {
    // Packaged outside the repository: keep the copy already here.
    process.exit(0);
  }
  console.error(`copy-protos: ${source} is missing; run this inside the Gale repository`);
  process.exit(1);
}
fs.rmSync(target, { recursive: true, force: true });
fs.mkdirSync(target, { recursive: true });
let count = 0;
for (const name of fs.readdirSync(source)) {
  if (name.endsWith('.proto')) {
    fs.copyFileSync(path.join(source, name), path.join(target, name));
    count++;
  }
}
if (count === 0) {
  console.error(`copy-protos: no .proto files in ${source}`);
  process.exit(1);
}
