// A Node.js client of a Conduit node that knows nothing but conduit.proto: it sends ten values
// to one channel and takes five from another, then leaves. Run by NodeJsClientTest:
//   node conduit-client.mjs <proto file> <host:port> <token>
// Prints one JSON line: {"accepted": <last accepted seq>, "received": [...]}.
import grpc from '@grpc/grpc-js';
import protoLoader from '@grpc/proto-loader';
import { randomUUID } from 'node:crypto';

const [protoFile, address, token] = process.argv.slice(2);
const def = protoLoader.loadSync(protoFile, { longs: Number, defaults: true, oneofs: true });
const proto = grpc.loadPackageDefinition(def).conduit.v1;
const client = new proto.ChannelService(address, grpc.credentials.createInsecure());
const meta = new grpc.Metadata();
meta.set('authorization', `Bearer ${token}`);
const stream = client.Connect(meta);

const send = (...frames) => stream.write({ frames });
const received = [];
let accepted = 0;
let nextSeq = 1;
const fail = (why) => { console.error(why); process.exit(1); };
setTimeout(() => fail('timed out'), 20000).unref();

stream.on('data', (batch) => {
  for (const f of batch.frames) {
    switch (f.kind) {
      case 'welcome':
        send({ open: { handle: 1, name: 'from-node-js', capacity: 16, producer: 'node-js-producer' } },
             { creditRequest: { handle: 1, count: 10 } },
             { open: { handle: 2, name: 'to-node-js', capacity: 16, producer: 'node-js-consumer' } },
             { pull: { handle: 2, count: 5 } });
        break;
      case 'credit':
        for (let i = 0; i < f.credit.count; i++, nextSeq++) {
          send({ send: { handle: 1, seq: nextSeq, payload: Buffer.from(`js-${nextSeq}`) } });
        }
        break;
      case 'accepted':
        accepted = Math.max(accepted, f.accepted.upToSeq);
        maybeDone();
        break;
      case 'deliver':
        received.push(f.deliver.payload.toString('utf8'));
        send({ ack: { handle: 2, upToDelivery: f.deliver.delivery } });
        maybeDone();
        break;
      case 'error':
        fail(`node error: ${f.error.code} ${f.error.message}`);
        break;
    }
  }
});
stream.on('error', (e) => fail(`stream error: ${e.code} ${e.details}`));
send({ hello: { sessionId: randomUUID() } });

function maybeDone() {
  if (accepted < 10 || received.length < 5) return;
  send({ detach: {} });
  stream.end();
  console.log(JSON.stringify({ accepted, received }));
  client.close();
}
