// BullMQ's side of bin/bench-peers, written as its users would with its documented API (Queue.addBulk, Worker,
// FlowProducer.add). Usage: node bullmq-run.js <redis-url> <drain|bulk|flows> <jobs or flows> <concurrency>
// Prints one JSON line: {"peer": "bullmq", "scenario", "jobs", "concurrency", "jobsPerSec"}.
'use strict';
const { Queue, Worker, FlowProducer } = require('bullmq');
const [url, scenario, sizeArg, concArg] = process.argv.slice(2);
const size = Number(sizeArg);
const concurrency = Number(concArg || 50);
const u = new URL(url);
const connection = { host: u.hostname, port: Number(u.port || 6379), maxRetriesPerRequest: null };
const name = 'peer-' + Math.random().toString(36).slice(2, 10);
const opts = { removeOnComplete: true, removeOnFail: true };

async function fill(queue, n) {
  for (let done = 0; done < n; done += 1000) {
    const batch = [];
    for (let i = done; i < Math.min(n, done + 1000); i++) batch.push({ name: 't', data: { i }, opts });
    await queue.addBulk(batch);
  }
}

function drainWith(target, count) {
  return new Promise((resolve) => {
    let done = 0;
    const worker = new Worker(name, async () => null, { connection, concurrency });
    worker.on('completed', (job) => {
      if (count(job) && ++done === target) resolve(worker);
    });
  });
}

async function main() {
  const queue = new Queue(name, { connection });
  let jobs, secs;
  try {
    if (scenario === 'drain') {
      await fill(queue, size);
      const t0 = process.hrtime.bigint();
      const worker = await drainWith(size, () => true);
      secs = Number(process.hrtime.bigint() - t0) / 1e9;
      await worker.close();
      jobs = size;
    } else if (scenario === 'bulk') {
      const t0 = process.hrtime.bigint();
      await fill(queue, size);
      secs = Number(process.hrtime.bigint() - t0) / 1e9;
      jobs = size;
    } else if (scenario === 'flows') {
      // parents of 10 children on one queue, 256 flows in flight, drained while they are added
      const producer = new FlowProducer({ connection });
      const t0 = process.hrtime.bigint();
      const drained = drainWith(size, (job) => job.name === 'parent');
      let inFlight = [];
      for (let i = 0; i < size; i++) {
        const children = [];
        for (let c = 0; c < 10; c++) children.push({ name: 'child', queueName: name, data: { c }, opts });
        inFlight.push(producer.add({ name: 'parent', queueName: name, data: { i }, opts, children }));
        if (inFlight.length === 256) {
          await Promise.all(inFlight);
          inFlight = [];
        }
      }
      await Promise.all(inFlight);
      const worker = await drained;
      secs = Number(process.hrtime.bigint() - t0) / 1e9;
      await worker.close();
      await producer.close();
      jobs = size * 11;
    } else {
      throw new Error('unknown scenario ' + scenario);
    }
    console.log(JSON.stringify({ peer: 'bullmq', scenario, jobs, concurrency, jobsPerSec: Math.round(jobs / secs) }));
  } finally {
    await queue.obliterate({ force: true });
    await queue.close();
  }
}
main().then(() => process.exit(0), (e) => { console.error(e); process.exit(1); });
