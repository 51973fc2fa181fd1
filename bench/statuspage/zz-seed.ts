import { seedStatuspageDb } from './seed-statuspage-db.js';
console.log(await seedStatuspageDb('sqlite:/tmp/fwsp/db/firewatch.db', { communities: 200, perCommunity: 10 }, Date.now()));
