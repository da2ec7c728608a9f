// End-to-end test of GridServe through the gateway, from an independent
// client stack: Node's grpc-js, with the .proto files loaded at run time
// (no generated code) and tokens minted here in JavaScript from the shared key
// file (an independent implementation of services/common/token.cc's format).
//
// Run it through devstack, which starts PostgreSQL, the backends and the
// gateway and sets the environment this test reads:
//
//   build/tools/devstack/devstack run --state_dir=/tmp/e2e --build_dir=build --source_dir=. -- \
//     env NODE_PATH=tools/node/node_modules node --test tests/e2e/node/organizations.test.cjs
//
// or `ctest -R e2e_grpcjs`. Without GRIDSERVE_GATEWAY_ADDRESS every test FAILS
// (it is never skipped): a missing gateway is an error, not a pass.
//
// Environment: GRIDSERVE_GATEWAY_ADDRESS (host:port), GRIDSERVE_TOKEN_KEY_FILE,
// GRIDSERVE_PROTO_DIR, GRIDSERVE_ADMIN_TOKEN (DISTRICT_ADMIN over 500114000000).
//
// The test talks only to the gateway. It picks town codes that are still free
// under the district, so it also runs against a long-lived `devstack up`.
'use strict';

const { describe, test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const grpc = require('@grpc/grpc-js');
const protoLoader = require('@grpc/proto-loader');
// protobufjs comes with proto-loader; resolve it from there so the test does
// not depend on how npm hoisted it.
const protobuf = require(require.resolve('protobufjs', { paths: [require.resolve('@grpc/proto-loader')] }));
const descriptorExt = require(
  require.resolve('protobufjs/ext/descriptor', { paths: [require.resolve('@grpc/proto-loader')] }));

const DISTRICT = '500114000000';
const CALL_TIMEOUT_MS = 10_000;

const env = {
  gateway: process.env.GRIDSERVE_GATEWAY_ADDRESS,
  keyFile: process.env.GRIDSERVE_TOKEN_KEY_FILE,
  protoDir: process.env.GRIDSERVE_PROTO_DIR,
  adminToken: process.env.GRIDSERVE_ADMIN_TOKEN,
};

// ---------------------------------------------------------------------------
// Tokens: "v1." + base64url(JSON claims) + "." + base64url(HMAC-SHA256(key, "v1.<claims>")),
// base64url without padding; the key is the first non-blank line of the key file.

let tokenKey;

function readTokenKey(file) {
  const line = fs.readFileSync(file, 'utf8').split('\n').map((l) => l.trim()).find((l) => l.length > 0);
  if (!line) throw new Error(`token key file ${file} has no key line`);
  return Buffer.from(line, 'utf8');
}

function base64url(bytes) {
  return Buffer.from(bytes).toString('base64url'); // RFC 4648 §5, no padding
}

function sign(signedPart, key = tokenKey) {
  return base64url(crypto.createHmac('sha256', key).update(signedPart, 'utf8').digest());
}

// Each role is held over `scope`.
function mintToken({ subject, roles, scope, expiresAt, key = tokenKey }) {
  const bindings = roles.map((role) => ({ role, scope }));
  const claims = JSON.stringify({ sub: subject, bindings, exp: expiresAt });
  const signedPart = `v1.${base64url(Buffer.from(claims, 'utf8'))}`;
  return `${signedPart}.${sign(signedPart, key)}`;
}

const nowSeconds = () => Math.floor(Date.now() / 1000);

function tokenFor(roles, scope, { subject = `e2e-${roles.join('-').toLowerCase()}`, ttlSeconds = 3600 } = {}) {
  return mintToken({ subject, roles, scope, expiresAt: nowSeconds() + ttlSeconds });
}

// ---------------------------------------------------------------------------
// gRPC plumbing

const LOADER_OPTIONS = {
  keepCase: true, // field names as in the .proto files
  longs: String,
  enums: String,
  defaults: true,
  oneofs: true,
};

let proto; // grpc.loadPackageDefinition result
let rpcTypes; // protobufjs Root with google.rpc.Status and BadRequest
const clients = [];

function loadProtos() {
  const includeDirs = [env.protoDir, path.join(env.protoDir, 'third_party')];
  const files = [
    'gridserve/membership/v1/organization.proto',
    'gridserve/gateway/v1/auth.proto',
    'gridserve/grid_assignment/v1/grid_policy.proto',
    'gridserve/activity_tracking/v1/activity_policy.proto',
    'gridserve/evaluation/v1/evaluation_policy.proto',
    'grpc/reflection/v1alpha/reflection.proto',
  ];
  proto = grpc.loadPackageDefinition(protoLoader.loadSync(files, { ...LOADER_OPTIONS, includeDirs }));

  rpcTypes = new protobuf.Root();
  rpcTypes.resolvePath = (origin, target) => {
    for (const dir of includeDirs) {
      const candidate = path.join(dir, target);
      if (fs.existsSync(candidate)) return candidate;
    }
    return protobuf.util.path.resolve(origin, target); // google/protobuf/* come with protobufjs
  };
  rpcTypes.loadSync(['google/rpc/status.proto', 'google/rpc/error_details.proto'], { keepCase: true });
}

function client(ServiceClass) {
  const c = new ServiceClass(env.gateway, grpc.credentials.createInsecure());
  clients.push(c);
  return c;
}

function deadline(ms = CALL_TIMEOUT_MS) {
  return new Date(Date.now() + ms);
}

function metadataWith(token) {
  const metadata = new grpc.Metadata();
  if (token !== undefined && token !== null) metadata.set('authorization', `Bearer ${token}`);
  return metadata;
}

// Unary call with a deadline; token undefined/null sends no credentials.
function call(stub, method, request, token) {
  return new Promise((resolve, reject) => {
    stub[method](request, metadataWith(token), { deadline: deadline() }, (err, response) => {
      if (err) reject(err);
      else resolve(response);
    });
  });
}

const codeName = (code) => Object.keys(grpc.status).find((k) => grpc.status[k] === code) ?? String(code);

// Asserts that `promise` fails with `code`; returns the error.
async function expectCode(promise, code, what) {
  let response;
  try {
    response = await promise;
  } catch (err) {
    assert.equal(
      codeName(err.code), codeName(code),
      `${what}: expected ${codeName(code)}, got ${codeName(err.code)}: ${err.details}`);
    return err;
  }
  assert.fail(`${what}: expected ${codeName(code)}, but the call succeeded: ${JSON.stringify(response)}`);
}

// The google.rpc.BadRequest carried in the grpc-status-details-bin trailer.
function badRequestOf(err) {
  const raw = err.metadata?.get('grpc-status-details-bin') ?? [];
  assert.equal(raw.length, 1, `INVALID_ARGUMENT without grpc-status-details-bin trailer: ${err.details}`);
  const Status = rpcTypes.lookupType('google.rpc.Status');
  const BadRequest = rpcTypes.lookupType('google.rpc.BadRequest');
  let status;
  try {
    status = Status.decode(raw[0]);
  } catch (decodeError) {
    // Seen when the trailer is sent twice: node's HTTP/2 layer joins the two
    // base64 values with ", " and grpc-js decodes the join as one value.
    assert.fail(
      `grpc-status-details-bin (${raw[0].length} bytes) is not a google.rpc.Status (${decodeError.message}); ` +
      `is the trailer sent more than once? first bytes: ${raw[0].subarray(0, 200).toString('hex')}`);
  }
  assert.equal(status.code, grpc.status.INVALID_ARGUMENT, 'google.rpc.Status.code matches the call status');
  assert.equal(status.message, err.details, 'google.rpc.Status.message matches the call message');
  const any = status.details.find((d) => d.type_url === 'type.googleapis.com/google.rpc.BadRequest');
  assert.ok(any, `no google.rpc.BadRequest in details: ${status.details.map((d) => d.type_url).join(', ')}`);
  return BadRequest.decode(any.value);
}

// ---------------------------------------------------------------------------

const REQUIRED_ENV = ['GRIDSERVE_GATEWAY_ADDRESS', 'GRIDSERVE_TOKEN_KEY_FILE', 'GRIDSERVE_PROTO_DIR'];
const missingEnv = () => REQUIRED_ENV.filter((name) => !process.env[name]);
const HOW_TO_RUN =
  'this end-to-end test needs a running gateway. Run it with `ctest -R e2e_grpcjs`, or ' +
  '`devstack run --state_dir=D --build_dir=B --source_dir=S -- node --test tests/e2e/node/organizations.test.cjs` ' +
  'with NODE_PATH=tools/node/node_modules.';

// Fails (never skips) outside devstack, so a missing gateway cannot pass.
test('the environment names a gateway to test', () => {
  assert.deepEqual(missingEnv(), [], `not set: ${missingEnv().join(', ')}; ${HOW_TO_RUN}`);
});

describe('GridServe through the gateway (grpc-js)', () => {
  let organizations;
  let auth;
  let admin; // DISTRICT_ADMIN over the district
  let townA; // towns created by this run
  let townB;
  let townAName;

  const organization = (code, kind, displayName) => ({
    code,
    kind: `ORGANIZATION_KIND_${kind}`,
    parent_code: '',
    display_name: displayName,
  });

  const create = (org, token = admin, requestId = crypto.randomUUID()) =>
    call(organizations, 'CreateOrganization', { organization: org, request_id: requestId }, token);

  async function listAll(parentCode, token, pageSize) {
    const pages = [];
    let pageToken = '';
    do {
      const response = await call(
        organizations, 'ListOrganizations', { parent_code: parentCode, page_size: pageSize, page_token: pageToken }, token);
      pages.push(response);
      pageToken = response.next_page_token;
      assert.ok(pages.length <= 1000, 'pagination does not end');
    } while (pageToken !== '');
    return pages;
  }

  // `count` town codes (1xx, 镇) not yet used under the district.
  async function freeTownCodes(count) {
    const pages = await listAll(DISTRICT, admin, 500);
    const used = new Set(pages.flatMap((p) => p.organizations.map((o) => o.code)));
    const free = [];
    for (let segment = 101; segment <= 199 && free.length < count; ++segment) {
      const code = `500114${segment}000`;
      if (!used.has(code)) free.push(code);
    }
    assert.equal(free.length, count, 'no free town codes left under 500114 (1xx)');
    return free;
  }

  before(async () => {
    if (missingEnv().length > 0) throw new Error(`not set: ${missingEnv().join(', ')}; ${HOW_TO_RUN}`);
    tokenKey = readTokenKey(env.keyFile);
    loadProtos();
    organizations = client(proto.gridserve.membership.v1.OrganizationService);
    auth = client(proto.gridserve.gateway.v1.AuthService);
    admin = tokenFor(['DISTRICT_ADMIN'], DISTRICT, { subject: 'e2e-district-admin' });

    // The district may exist already (demo data, an earlier run); nothing else may.
    try {
      await create(organization(DISTRICT, 'DISTRICT', '黔江区'));
    } catch (err) {
      if (err.code !== grpc.status.ALREADY_EXISTS) throw err;
    }
    [townA, townB] = await freeTownCodes(2);
    townAName = `测试${townA.slice(6, 9)}镇`;
    for (const [code, name] of [[townA, townAName], [townB, `测试${townB.slice(6, 9)}镇`]]) {
      const created = await create(organization(code, 'TOWN', name));
      assert.equal(created.organization.code, code);
      assert.equal(created.organization.kind, 'ORGANIZATION_KIND_TOWN');
      assert.equal(created.organization.parent_code, DISTRICT);
      assert.equal(created.organization.display_name, name);
    }
  });

  after(() => {
    for (const c of clients) c.close();
  });

  test('the JS token implementation matches the C++ one (devstack admin token verifies with our HMAC)', () => {
    assert.ok(env.adminToken, 'GRIDSERVE_ADMIN_TOKEN not set');
    const [version, claims, signature] = env.adminToken.split('.');
    assert.equal(version, 'v1');
    assert.equal(signature, sign(`${version}.${claims}`), 'HMAC-SHA256 over "v1.<claims>" with the key file line');
    assert.doesNotMatch(env.adminToken, /=/, 'base64url without padding');
    const decoded = JSON.parse(Buffer.from(claims, 'base64url').toString('utf8'));
    assert.deepEqual(decoded.bindings, [{ role: 'DISTRICT_ADMIN', scope: DISTRICT }]);
    assert.equal(typeof decoded.sub, 'string');
    assert.ok(Number.isInteger(decoded.exp) && decoded.exp > nowSeconds());
  });

  test('villages and communities of a town: created, listed in code order with Chinese names, paginated', async () => {
    // Created out of order; 𨭎 is outside the BMP (4 bytes in UTF-8).
    const children = [
      organization(`${townA.slice(0, 9)}203`, 'VILLAGE', '石板村'),
      organization(`${townA.slice(0, 9)}001`, 'COMMUNITY', '正阳社区'),
      organization(`${townA.slice(0, 9)}201`, 'VILLAGE', '𨭎溪村'),
      organization(`${townA.slice(0, 9)}101`, 'COMMUNITY', '舟白·新城社区'),
      organization(`${townA.slice(0, 9)}202`, 'VILLAGE', '老鹰岩村'),
    ];
    for (const child of children) {
      const { organization: created } = await create(child);
      assert.equal(created.code, child.code);
      assert.equal(created.kind, child.kind);
      assert.equal(created.parent_code, townA, 'parent derived from the code');
      assert.equal(created.display_name, child.display_name);
      assert.ok(created.create_time && Number(created.create_time.seconds) > 0, 'create_time set');
    }
    const expected = [...children].sort((a, b) => a.code.localeCompare(b.code));

    const allPages = await listAll(townA, admin, 0);
    assert.equal(allPages.length, 1, 'one page at the default page size');
    const [all] = allPages;
    assert.deepEqual(
      all.organizations.map((o) => [o.code, o.kind, o.parent_code, o.display_name]),
      expected.map((o) => [o.code, o.kind, townA, o.display_name]),
      'children of the town, ordered by code, names round-trip');

    const pages = await listAll(townA, admin, 2);
    assert.deepEqual(pages.map((p) => p.organizations.length), [2, 2, 1], 'page_size 2 over 5 children');
    for (const page of pages.slice(0, -1)) assert.notEqual(page.next_page_token, '');
    assert.equal(pages.at(-1).next_page_token, '', 'last page has an empty next_page_token');
    assert.deepEqual(pages.flatMap((p) => p.organizations.map((o) => o.code)), expected.map((o) => o.code));

    const got = await call(organizations, 'GetOrganization', { code: children[2].code }, admin);
    assert.equal(got.organization.display_name, '𨭎溪村');

    // The town itself shows up among the district's children with its name.
    const districtChildren = (await listAll(DISTRICT, admin, 500)).flatMap((p) => p.organizations);
    assert.equal(districtChildren.find((o) => o.code === townA)?.display_name, townAName);
  });

  test('a malformed code is INVALID_ARGUMENT with a BadRequest naming organization.code', async () => {
    const err = await expectCode(
      create(organization('5001141012', 'VILLAGE', '短码村')), grpc.status.INVALID_ARGUMENT, '10-digit code');
    const fields = badRequestOf(err).field_violations.map((v) => v.field);
    assert.ok(fields.includes('organization.code'), `field violations: ${fields.join(', ')}`);
  });

  test('a community-range code (…150) with kind VILLAGE is INVALID_ARGUMENT naming organization.code', async () => {
    const err = await expectCode(
      create(organization(`${townA.slice(0, 9)}150`, 'VILLAGE', '错类村')), grpc.status.INVALID_ARGUMENT,
      'village code ending in 150');
    const violations = badRequestOf(err).field_violations;
    const codeViolation = violations.find((v) => v.field === 'organization.code');
    assert.ok(codeViolation, `field violations: ${JSON.stringify(violations)}`);
    assert.ok(codeViolation.description.length > 0, 'the violation says what is wrong');
  });

  test('calls without a valid token are UNAUTHENTICATED (gateway-served and forwarded)', async () => {
    const list = (token) => call(organizations, 'ListOrganizations', { parent_code: townA }, token);
    const whoAmI = (token) => call(auth, 'WhoAmI', {}, token);

    const valid = tokenFor(['DISTRICT_ADMIN'], DISTRICT);
    const [version, claims, signature] = valid.split('.');
    const widerClaims = base64url(Buffer.from(JSON.stringify({
      sub: 'e2e-district-admin', bindings: [{ role: 'DISTRICT_ADMIN', scope: '500000000000' }], exp: nowSeconds() + 3600,
    })));
    const flipped = signature[0] === 'A' ? `B${signature.slice(1)}` : `A${signature.slice(1)}`;
    const cases = {
      'no authorization metadata': undefined,
      'claims changed, signature kept': `${version}.${widerClaims}.${signature}`,
      'signature altered': `${version}.${claims}.${flipped}`,
      'signed with another key': mintToken({
        subject: 'e2e', roles: ['DISTRICT_ADMIN'], scope: DISTRICT, expiresAt: nowSeconds() + 3600,
        key: crypto.randomBytes(32).toString('hex'),
      }),
      'expired a minute ago': mintToken({
        subject: 'e2e', roles: ['DISTRICT_ADMIN'], scope: DISTRICT, expiresAt: nowSeconds() - 60,
      }),
      'not a token': 'garbage',
    };
    for (const [what, token] of Object.entries(cases)) {
      await expectCode(list(token), grpc.status.UNAUTHENTICATED, `ListOrganizations, ${what}`);
      await expectCode(whoAmI(token), grpc.status.UNAUTHENTICATED, `WhoAmI, ${what}`);
    }
    // The valid token it was derived from works.
    await call(organizations, 'ListOrganizations', { parent_code: townA }, valid);
  });

  test('a TOWN_ADMIN creates villages in its own town only (PERMISSION_DENIED elsewhere)', async () => {
    const townAdmin = tokenFor(['TOWN_ADMIN'], townA, { subject: 'e2e-town-admin' });
    const foreign = `${townB.slice(0, 9)}201`;
    const err = await expectCode(
      create(organization(foreign, 'VILLAGE', '越权村'), townAdmin), grpc.status.PERMISSION_DENIED,
      `TOWN_ADMIN of ${townA} creating ${foreign}`);
    assert.match(err.details, new RegExp(foreign), 'the message names the code outside the scope');
    await expectCode(
      call(organizations, 'GetOrganization', { code: foreign }, admin), grpc.status.NOT_FOUND,
      'the denied village was not created');

    const own = `${townA.slice(0, 9)}301`;
    const { organization: created } = await create(organization(own, 'VILLAGE', '本镇新村'), townAdmin);
    assert.equal(created.code, own);
    assert.equal(created.parent_code, townA);
    assert.equal(created.display_name, '本镇新村');
  });

  test('CreateOrganization is idempotent on request_id', async () => {
    const requestId = crypto.randomUUID();
    const village = organization(`${townB.slice(0, 9)}210`, 'VILLAGE', '幂等村');
    const first = await create(village, admin, requestId);
    const second = await create(village, admin, requestId);
    assert.deepEqual(second.organization, first.organization, 'the retry returns the organisation of the first call');

    await expectCode(
      create(village, admin, crypto.randomUUID()), grpc.status.ALREADY_EXISTS, 'same code, new request_id');
    await expectCode(
      create(organization(`${townB.slice(0, 9)}211`, 'VILLAGE', '另一村'), admin, requestId),
      grpc.status.ALREADY_EXISTS, 'request_id reused for another organisation');
  });

  test('WhoAmI returns the principal of the token', async () => {
    const expiresAt = nowSeconds() + 1800;
    const token = mintToken({
      subject: 'e2e-whoami 张三', roles: ['TOWN_ADMIN', 'AUDITOR'], scope: townA, expiresAt,
    });
    const { principal } = await call(auth, 'WhoAmI', {}, token);
    assert.deepEqual(principal, {
      subject: 'e2e-whoami 张三',
      bindings: [{ role: 'ROLE_TOWN_ADMIN', org_scope: townA }, { role: 'ROLE_AUDITOR', org_scope: townA }],
      expire_time: { seconds: String(expiresAt), nanos: 0 },
    });
  });

  test('the three policy services answer through the gateway with the seed defaults', async () => {
    const v1 = proto.gridserve;
    const townAdmin = tokenFor(['TOWN_ADMIN'], townA);

    const grid = await call(client(v1.grid_assignment.v1.GridPolicyService), 'GetGridPolicy', { town_code: townA }, townAdmin);
    assert.deepEqual(grid.policy, {
      town_code: townA, min_households_per_member: 2, min_members_per_courtyard: 1, is_default: true,
    });

    const activity = await call(
      client(v1.activity_tracking.v1.ActivityPolicyService), 'GetActivityPolicy', { town_code: townA }, townAdmin);
    assert.deepEqual(activity.policy, { town_code: townA, min_activities_per_month: 1, is_default: true });

    const evaluation = await call(
      client(v1.evaluation.v1.EvaluationPolicyService), 'GetEvaluationPolicy', { town_code: townA }, townAdmin);
    assert.deepEqual(evaluation.policy, {
      town_code: townA,
      rating_months: [7, 12],
      central_household_min_percent: 15,
      central_household_max_percent: 20,
      is_default: true,
    });
  });

  test('server reflection at the gateway lists the services and serves their descriptors', async () => {
    const reflection = client(proto.grpc.reflection.v1alpha.ServerReflection);
    const requests = [
      { host: '', list_services: '*' },
      { host: '', file_containing_symbol: 'gridserve.membership.v1.OrganizationService' },
      { host: '', file_containing_symbol: 'gridserve.no_such.v1.Service' },
    ];
    const responses = await new Promise((resolve, reject) => {
      const stream = reflection.ServerReflectionInfo(new grpc.Metadata(), { deadline: deadline() });
      const received = [];
      stream.on('data', (response) => received.push(response));
      stream.on('error', reject);
      stream.on('end', () => resolve(received));
      for (const request of requests) stream.write(request);
      stream.end();
    });
    assert.equal(responses.length, requests.length, 'one response per request');

    const [list, file, missing] = responses;
    assert.equal(list.message_response, 'list_services_response');
    const names = list.list_services_response.service.map((s) => s.name);
    for (const expected of [
      'gridserve.membership.v1.OrganizationService',
      'gridserve.gateway.v1.AuthService',
      'gridserve.grid_assignment.v1.GridPolicyService',
      'gridserve.activity_tracking.v1.ActivityPolicyService',
      'gridserve.evaluation.v1.EvaluationPolicyService',
      'grpc.reflection.v1alpha.ServerReflection',
    ]) {
      assert.ok(names.includes(expected), `${expected} missing from list_services: ${names.join(', ')}`);
    }

    assert.equal(file.message_response, 'file_descriptor_response', JSON.stringify(file.error_response));
    const descriptors = file.file_descriptor_response.file_descriptor_proto.map(
      (bytes) => descriptorExt.FileDescriptorProto.decode(bytes));
    const byName = new Map(descriptors.map((d) => [d.name, d]));
    const organizationFile = byName.get('gridserve/membership/v1/organization.proto');
    assert.ok(organizationFile, `files returned: ${[...byName.keys()].join(', ')}`);
    assert.equal(organizationFile.package, 'gridserve.membership.v1');
    const service = organizationFile.service.find((s) => s.name === 'OrganizationService');
    assert.ok(service, 'OrganizationService in its file descriptor');
    assert.deepEqual(
      service.method.map((m) => m.name).sort(),
      ['CreateOrganization', 'GetOrganization', 'ListOrganizations', 'UpdateOrganization']);
    for (const dependency of organizationFile.dependency) {
      assert.ok(byName.has(dependency), `dependency ${dependency} returned with the file`);
    }

    assert.equal(missing.message_response, 'error_response');
    assert.equal(missing.error_response.error_code, grpc.status.NOT_FOUND);
  });
});
