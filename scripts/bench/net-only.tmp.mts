import { benchNetwork } from './network.ts';
const rows = await benchNetwork();
console.log(JSON.stringify(rows, null, 1));
process.exit(0);
