// `tools/dev up` twice on one database: the demo tree (tools/demo/organizations.tsv)
// and the demo members with their duties and commitments (tools/demo/members.tsv)
// must be present exactly once. Run by tests/e2e/dev_up_twice.sh after two
// demo loads, through the gateway with grpc-js and the protos loaded at run time.
'use strict';

const { test } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const grpc = require('@grpc/grpc-js');
const protoLoader = require('@grpc/proto-loader');

const gateway = process.env.GRIDSERVE_GATEWAY_ADDRESS;
const token = process.env.GRIDSERVE_ADMIN_TOKEN;
const protoDir = process.env.GRIDSERVE_PROTO_DIR;

function loadDemoRows() {
  const tsv = fs.readFileSync(path.join(protoDir, '..', 'tools', 'demo', 'organizations.tsv'), 'utf8');
  return tsv.split('\n').filter((line) => line && !line.startsWith('#')).map((line) => {
    const [code, kind, parentCode, displayName] = line.split('\t');
    return { code, kind: `ORGANIZATION_KIND_${kind}`, parentCode, displayName };
  });
}

function organizationClient() {
  const definition = protoLoader.loadSync('gridserve/membership/v1/organization.proto', {
    includeDirs: [protoDir, path.join(protoDir, 'third_party')], enums: String, defaults: true,
  });
  const { OrganizationService } = grpc.loadPackageDefinition(definition).gridserve.membership.v1;
  return new OrganizationService(gateway, grpc.credentials.createInsecure());
}

function listPage(client, parentCode, pageToken) {
  const metadata = new grpc.Metadata();
  metadata.set('authorization', `Bearer ${token}`);
  return new Promise((resolve, reject) => {
    client.listOrganizations({ parentCode, pageSize: 2, pageToken }, metadata,
      { deadline: Date.now() + 10_000 }, (error, response) => (error ? reject(error) : resolve(response)));
  });
}

async function walk(client, parentCode, found) {
  let pageToken = '';
  do {
    const page = await listPage(client, parentCode, pageToken);
    for (const organization of page.organizations) {
      found.push(organization);
      await walk(client, organization.code, found);
    }
    pageToken = page.nextPageToken;
  } while (pageToken);
}

test('the demo tree is present exactly once after two loads', async () => {
  assert.ok(gateway && token && protoDir, 'run through devstack (GRIDSERVE_GATEWAY_ADDRESS etc. unset)');
  const client = organizationClient();
  const found = [];
  await walk(client, '', found);
  client.close();
  const expected = loadDemoRows();
  assert.deepEqual(found.map((o) => o.code).sort(), expected.map((o) => o.code).sort());
  for (const row of expected) {
    const organization = found.find((o) => o.code === row.code);
    assert.equal(organization.displayName, row.displayName);
    assert.equal(organization.kind, row.kind);
    assert.equal(organization.parentCode, row.parentCode);
    assert.equal(organization.demoData, true, `${row.code} is marked as demo data`);
  }
});

function membershipClients() {
  const definition = protoLoader.loadSync(
    ['gridserve/membership/v1/member.proto', 'gridserve/membership/v1/member_report.proto'], {
      includeDirs: [protoDir, path.join(protoDir, 'third_party')], enums: String, defaults: true,
    });
  const v1 = grpc.loadPackageDefinition(definition).gridserve.membership.v1;
  return {
    members: new v1.MemberService(gateway, grpc.credentials.createInsecure()),
    reports: new v1.MemberReportService(gateway, grpc.credentials.createInsecure()),
  };
}

function call(client, method, request) {
  const metadata = new grpc.Metadata();
  metadata.set('authorization', `Bearer ${token}`);
  return new Promise((resolve, reject) => {
    client[method](request, metadata, { deadline: Date.now() + 10_000 },
      (error, response) => (error ? reject(error) : resolve(response)));
  });
}

function loadDemoMembers() {
  const tsv = fs.readFileSync(path.join(protoDir, '..', 'tools', 'demo', 'members.tsv'), 'utf8');
  return tsv.split('\n').filter((line) => line && !line.startsWith('#')).map((line) => {
    const fields = line.split('\t');
    return {
      branchCode: fields[1], fullName: fields[2], hasDuties: Boolean(fields[8] || fields[9]),
      commitments: [fields[10], fields[11]].filter(Boolean).length,
    };
  });
}

test('the demo members, duties and commitments are present exactly once after two loads', async () => {
  const { members, reports } = membershipClients();
  const found = [];
  let pageToken = '';
  do {
    const page = await call(members, 'listMembers', { orgCode: '500114000000', pageSize: 5, pageToken });
    found.push(...page.members);
    pageToken = page.nextPageToken;
  } while (pageToken);
  const expected = loadDemoMembers();
  assert.deepEqual(found.map((m) => `${m.branchCode} ${m.fullName}`).sort(),
    expected.map((m) => `${m.branchCode} ${m.fullName}`).sort());
  for (const member of found) assert.equal(member.demoData, true, `${member.fullName} is marked as demo data`);

  const year = Number(new Intl.DateTimeFormat('en', { timeZone: 'Asia/Shanghai', year: 'numeric' }).format(new Date()));
  const counts = await call(reports, 'countMembersByBranch', { orgCode: '500114101000', year, pageSize: 50 });
  for (const branch of counts.branches) {
    const rows = expected.filter((m) => m.branchCode === branch.branchCode);
    assert.equal(branch.activeMembers, rows.length, `${branch.branchName} active members`);
    assert.equal(branch.withDuties, rows.filter((m) => m.hasDuties).length, `${branch.branchName} with duties`);
    assert.equal(branch.withCommitments, rows.filter((m) => m.commitments > 0).length,
      `${branch.branchName} with commitments`);
  }
  members.close();
  reports.close();
});
