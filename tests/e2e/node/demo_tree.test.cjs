// `tools/dev up` twice on one database: the demo tree (tools/demo/organizations.tsv)
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
