// import.meta.url is the module's file: URL; import.meta is a fresh object per module.
import { fileURLToPath } from 'node:url';
import path from 'node:path';
console.log(import.meta.url.startsWith('file:///'), path.basename(fileURLToPath(import.meta.url)));
console.log(Object.keys(import.meta).includes('url'), typeof import.meta);
