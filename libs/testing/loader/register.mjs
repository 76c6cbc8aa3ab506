// Lets a worker thread started by a test load the TypeScript sources, as Jest does for the test itself:
// `new Worker(url, { execArgv: ['--import', <this file's URL>] })`.
import { register } from 'node:module';

register('./typescript-hooks.mjs', import.meta.url);
