// The member register as a consuming system's engineer meets it: an
// independent gRPC implementation (grpc-js, protos loaded at run time) logs in
// as the demo accounts and, through the gateway, streams a roster into
// MemberService.ImportMembers (bidi: header, chunks, half-close; progress then
// one report), reads the attachment-1 form, and sees the scope and masking
// rules. Run by ctest (e2e_grpcjs_members) inside `devstack run --demo=true`,
// which loads the demo members (tools/demo/members.tsv) and sets
// GRIDSERVE_GATEWAY_ADDRESS, GRIDSERVE_PROTO_DIR and GRIDSERVE_DEMO_PASSWORD.
// Without them every test fails (never skipped).
'use strict';

const { describe, test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const grpc = require('@grpc/grpc-js');
const protoLoader = require('@grpc/proto-loader');

const env = {
  gateway: process.env.GRIDSERVE_GATEWAY_ADDRESS,
  protoDir: process.env.GRIDSERVE_PROTO_DIR,
  demoPassword: process.env.GRIDSERVE_DEMO_PASSWORD,
};
const kVillage = '500114101201';       // 演示一村
const kOtherVillage = '500114101202';  // 演示二村

let clients;

function metadataFor(token) {
  const metadata = new grpc.Metadata();
  metadata.set('authorization', `Bearer ${token}`);
  return metadata;
}

function call(client, method, request, token) {
  return new Promise((resolve, reject) => {
    client[method](request, metadataFor(token), { deadline: new Date(Date.now() + 10_000) },
      (error, response) => (error ? reject(error) : resolve(response)));
  });
}

async function tokenOf(login) {
  const { session } = await call(clients.auth, 'Login', { login_name: login, password: env.demoPassword });
  return session.access_token;
}

// Streams `bytes` in `chunkSize` pieces after the header; resolves with the
// progress messages and the report, rejects with the call's error.
function importRoster(token, header, bytes, chunkSize = 1000) {
  return new Promise((resolve, reject) => {
    const stream = clients.members.ImportMembers(metadataFor(token), { deadline: new Date(Date.now() + 60_000) });
    const progress = [];
    let report;
    stream.on('data', (message) => {
      if (message.progress) progress.push(message.progress);
      if (message.report) report = message.report;
    });
    stream.on('error', reject);
    stream.on('end', () => resolve({ progress, report }));
    stream.write({ header });
    for (let offset = 0; offset < bytes.length; offset += chunkSize) {
      stream.write({ chunk: bytes.subarray(offset, offset + chunkSize) });
    }
    stream.end();
  });
}

async function expectCode(promise, code) {
  await assert.rejects(promise, (error) => {
    assert.equal(error.code, code, `expected ${code}, got ${error.code}: ${error.details}`);
    return true;
  });
}

const roster = (rows) => Buffer.from(
  ['姓名,性别,出生年月,入党时间,联系电话', ...rows].join('\r\n') + '\r\n', 'utf8');

describe('member register through the gateway (grpc-js)', () => {
  before(() => {
    const missing = Object.entries(env).filter(([, value]) => !value).map(([key]) => key);
    assert.deepEqual(missing, [], 'run through `devstack run --demo=true` (ctest -R e2e_grpcjs_members)');
    const includeDirs = [env.protoDir, path.join(env.protoDir, 'third_party')];
    const definition = protoLoader.loadSync(
      ['gridserve/gateway/v1/auth.proto', 'gridserve/membership/v1/member.proto',
        'gridserve/membership/v1/commitment.proto'],
      { keepCase: true, longs: String, enums: String, defaults: true, oneofs: true, includeDirs });
    const root = grpc.loadPackageDefinition(definition).gridserve;
    const credentials = grpc.credentials.createInsecure();
    clients = {
      auth: new root.gateway.v1.AuthService(env.gateway, credentials),
      members: new root.membership.v1.MemberService(env.gateway, credentials),
      commitments: new root.membership.v1.CommitmentService(env.gateway, credentials),
    };
  });
  after(() => { for (const client of Object.values(clients ?? {})) client.close(); });

  test('a secretary imports a roster once; the same file again changes nothing', async () => {
    const secretary = await tokenOf('demo-village-secretary');
    const bytes = roster(['韩新甲,男,1972-03,1999-07-01,13912340001', '韩新乙,女,1984年6月,2009-06,']);
    const header = { org_code: kVillage, file_name: 'grpcjs.csv', dry_run: false };
    const first = await importRoster(secretary, header, bytes, 7);
    assert.equal(first.report.committed, true, JSON.stringify(first.report));
    assert.equal(first.report.created, 2);
    assert.equal(first.report.detected_encoding, 'UTF-8');
    assert.ok(first.progress.length > 0, 'progress arrives before the report');
    const again = await importRoster(secretary, header, bytes);
    assert.equal(again.report.created, 0);
    assert.equal(again.report.unchanged, 2);
  });

  test('bad rows come back as a report per row and nothing is written', async () => {
    const secretary = await tokenOf('demo-village-secretary');
    const bytes = roster(['韩坏甲,男,1972-03,1999-07-01,12345', '韩坏乙,女,2010-01,2020-01-01,']);
    const { report } = await importRoster(secretary, { org_code: kVillage, file_name: 'bad.csv' }, bytes);
    assert.equal(report.committed, false);
    assert.equal(report.rows_with_problems, 2);
    assert.deepEqual(report.problems.map((p) => [p.row_number, p.field]), [[2, 'phone'], [3, 'joined_date']]);
    const { members } = await call(clients.members, 'ListMembers',
      { org_code: kVillage, name_prefix: '韩坏', page_size: 10 }, secretary);
    assert.equal(members.length, 0);
  });

  test('a secretary cannot import into another village', async () => {
    const secretary = await tokenOf('demo-village-secretary');
    await expectCode(importRoster(secretary, { org_code: kOtherVillage, file_name: 'x.csv' },
      roster(['韩越界,男,1970-01,1995-01-01,'])), grpc.status.PERMISSION_DENIED);
  });

  test('the attachment-1 form: the member sees its own phone, the grid leader sees it masked', async () => {
    const year = Number(new Intl.DateTimeFormat('en', { timeZone: 'Asia/Shanghai', year: 'numeric' })
      .format(new Date()));
    const member = await tokenOf('demo-member');
    const own = await call(clients.members, 'ListMembers', { org_code: kVillage, page_size: 50 }, member);
    assert.equal(own.members.length, 1, 'a MEMBER lists only its own record');
    const memberId = own.members[0].member_id;
    assert.equal(own.members[0].full_name, '李明德');

    const { form } = await call(clients.commitments, 'GetCommitmentForm', { member_id: memberId, year }, member);
    assert.equal(form.full_name, '李明德');
    assert.equal(form.gender, 'GENDER_MALE');
    assert.equal(form.birth_month, '1968-04');
    assert.equal(form.joined_date, '1995-07-01');
    assert.equal(form.phone, '13900000101');
    assert.equal(form.branch_name, '演示一村');
    assert.equal(form.commitments.length, 2);
    assert.equal(form.grid_data_available, false, 'no grid data yet: empty and flagged, not invented');

    const leader = await tokenOf('demo-grid-leader');
    const masked = await call(clients.commitments, 'GetCommitmentForm', { member_id: memberId, year }, leader);
    assert.equal(masked.form.phone, '139****0101');
    const rater = await tokenOf('demo-rater');
    await expectCode(call(clients.commitments, 'GetCommitmentForm', { member_id: memberId, year }, rater),
      grpc.status.PERMISSION_DENIED);
  });
});
