// The client side of audit_bench: a consuming system (grpc-js, protos loaded
// at run time) makes audited calls in a closed loop with N concurrent callers,
// once through the gateway and once straight to membership, the two targets
// taking turns in short rounds so that both see the same machine state.
// Prints calls/s per target and the gateway/direct ratio.
//
// A third target is minimal_proxy in front of membership: the floor of any
// forwarding hop (nothing but gRPC forwarding, no checks, no audit).
//
// Started by audit_bench (tools/bench/audit_bench.cc) with:
//   GRIDSERVE_GATEWAY_ADDRESS, GRIDSERVE_MEMBERSHIP_ADDRESS, BENCH_FLOOR_ADDRESS, GRIDSERVE_ADMIN_TOKEN,
//   GRIDSERVE_PROTO_DIR, BENCH_LIST_VILLAGE (a branch with >= 20 members, listed),
//   BENCH_CREATE_VILLAGE (where members are registered),
//   BENCH_SECONDS (per target), BENCH_CONCURRENCY (e.g. "8,32"), BENCH_ROUNDS.
'use strict';

const path = require('node:path');
const grpc = require('@grpc/grpc-js');
const protoLoader = require('@grpc/proto-loader');

const env = process.env;
const protoDir = env.GRIDSERVE_PROTO_DIR;
const seconds = Number(env.BENCH_SECONDS || 3);
const rounds = Number(env.BENCH_ROUNDS || 3);
const concurrencies = (env.BENCH_CONCURRENCY || '8,32').split(',').map(Number);
const listVillage = env.BENCH_LIST_VILLAGE;
const createVillage = env.BENCH_CREATE_VILLAGE;
const token = env.GRIDSERVE_ADMIN_TOKEN;
// BENCH_ONLY=<target name prefix>: time that target alone (for profiling one process under load).
const only = env.BENCH_ONLY;

const definition = protoLoader.loadSync('gridserve/membership/v1/member.proto', {
  includeDirs: [protoDir, path.join(protoDir, 'third_party')],
  keepCase: true,
  enums: String,
  defaults: false,
});
const MemberService = grpc.loadPackageDefinition(definition).gridserve.membership.v1.MemberService;

const metadata = new grpc.Metadata();
metadata.set('authorization', `Bearer ${token}`);

function call(client, method, request) {
  return new Promise((resolve, reject) => {
    client[method](request, metadata, { deadline: new Date(Date.now() + 10_000) },
      (error, response) => (error ? reject(error) : resolve(response)));
  });
}

let serial = 0;
const operations = {
  'ListMembers(20)': async (client) => {
    const response = await call(client, 'ListMembers', { org_code: listVillage, page_size: 20 });
    if (response.members.length !== 20) throw new Error(`ListMembers answered ${response.members.length} rows, not 20`);
  },
  CreateMember: (client) => {
    serial += 1;
    return call(client, 'CreateMember', {
      request_id: `bench-${process.pid}-${serial}`,
      member: {
        full_name: `基准党员${process.pid}-${serial}`,
        gender: 'GENDER_MALE',
        birth_month: '1970-01',
        joined_date: '1995-07-01',
        branch_code: createVillage,
      },
    });
  },
};

// `concurrency` callers each calling `operation` back to back for `seconds`.
async function closedLoop(client, operation, concurrency) {
  const end = Date.now() + seconds * 1000;
  let calls = 0;
  const start = process.hrtime.bigint();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (Date.now() < end) {
      await operation(client);
      calls += 1;
    }
  }));
  return { calls, seconds: Number(process.hrtime.bigint() - start) / 1e9 };
}

async function main() {
  const options = { 'grpc.max_receive_message_length': 16 * 1024 * 1024 };
  const targets = [
    { name: 'through the gateway', client: new MemberService(env.GRIDSERVE_GATEWAY_ADDRESS, grpc.credentials.createInsecure(), options) },
    { name: 'minimal proxy (floor)', client: new MemberService(env.BENCH_FLOOR_ADDRESS, grpc.credentials.createInsecure(), options) },
    { name: 'straight to membership', client: new MemberService(env.GRIDSERVE_MEMBERSHIP_ADDRESS, grpc.credentials.createInsecure(), options) },
  ];
  if (only) targets.splice(0, targets.length, ...targets.filter((target) => target.name.startsWith(only)));
  console.log(`audited calls from grpc-js, closed loop, ${rounds} rounds of ${seconds} s per target (targets alternate)`);
  console.log(`${'call'.padEnd(18)} ${'clients'.padStart(7)} ${'gateway/s'.padStart(10)} ${'floor/s'.padStart(10)} ${'direct/s'.padStart(10)} ${'gateway'.padStart(8)} ${'floor'.padStart(8)}`);
  for (const [name, operation] of Object.entries(operations)) {
    for (const target of targets) await closedLoop(target.client, operation, 4);  // warm-up
    for (const concurrency of concurrencies) {
      const totals = targets.map(() => ({ calls: 0, seconds: 0 }));
      for (let round = 0; round < rounds; round += 1) {
        for (const [index, target] of targets.entries()) {
          const result = await closedLoop(target.client, operation, concurrency);
          totals[index].calls += result.calls;
          totals[index].seconds += result.seconds;
        }
      }
      if (only) {
        console.log(`${name.padEnd(18)} ${String(concurrency).padStart(7)} ${targets[0].name}: ${(totals[0].calls / totals[0].seconds).toFixed(0)}/s`);
        continue;
      }
      const [gateway, floor, direct] = totals.map((total) => total.calls / total.seconds);
      console.log(`${name.padEnd(18)} ${String(concurrency).padStart(7)} ${gateway.toFixed(0).padStart(10)} ${floor.toFixed(0).padStart(10)} ${direct.toFixed(0).padStart(10)} ${(gateway / direct).toFixed(2).padStart(7)}x ${(floor / direct).toFixed(2).padStart(7)}x`);
    }
  }
  for (const target of targets) target.client.close();
}

main().catch((error) => {
  console.error(`audited_calls: ${error.code !== undefined ? `code ${error.code}: ${error.details}` : error.stack}`);
  process.exit(1);
});
