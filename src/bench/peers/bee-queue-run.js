// bee-queue's side of bin/bench-peers, with its documented API (Queue#saveAll, Queue#process).
// Usage: node bee-queue-run.js <redis-url> <drain|bulk> <jobs> <concurrency>
// Prints one JSON line: {"peer": "bee-queue", "scenario", "jobs", "concurrency", "jobsPerSec"}.
'use strict';
const Queue = require('bee-queue');
const [url, scenario, sizeArg, concArg] = process.argv.slice(2);
const size = Number(sizeArg);
const concurrency = Number(concArg || 50);
const name = 'peer-' + Math.random().toString(36).slice(2, 10);
const settings = { redis: { url }, removeOnSuccess: true, removeOnFailure: true, getEvents: false, sendEvents: false };

async function fill(queue, n) {
  for (let done = 0; done < n; done += 1000) {
    const batch = [];
    for (let i = done; i < Math.min(n, done + 1000); i++) batch.push(queue.createJob({ i }));
    await queue.saveAll(batch);
  }
}

async function main() {
  const producer = new Queue(name, { ...settings, isWorker: false });
  let secs;
  try {
    if (scenario === 'drain') {
      await fill(producer, size);
      const worker = new Queue(name, { ...settings, isWorker: true });
      const t0 = process.hrtime.bigint();
      await new Promise((resolve) => {
        let done = 0;
        worker.on('succeeded', () => {
          if (++done === size) resolve();
        });
        worker.process(concurrency, async () => null);
      });
      secs = Number(process.hrtime.bigint() - t0) / 1e9;
      await worker.close();
    } else if (scenario === 'bulk') {
      const t0 = process.hrtime.bigint();
      await fill(producer, size);
      secs = Number(process.hrtime.bigint() - t0) / 1e9;
    } else {
      throw new Error('unknown scenario ' + scenario + ' (bee-queue has no flows)');
    }
    console.log(JSON.stringify({ peer: 'bee-queue', scenario, jobs: size, concurrency, jobsPerSec: Math.round(size / secs) }));
  } finally {
    await producer.destroy();
    await producer.close();
  }
}
main().then(() => process.exit(0), (e) => { console.error(e); process.exit(1); });
