// Who may do what, from an independent client stack: Node grpc-js through the
// gateway, protos loaded at run time, tokens minted here in JavaScript. A
// smaller sibling of tests/e2e/role_matrix_e2e_test.cc: a handful of roles ×
// a few RPCs × a target inside / outside the role's scope.
//
// Unlike the C++ test (which derives its expectations from the protos' access
// rules and the role table in common/permissions.cc), the expectations here
// are written out by hand from the role descriptions, so a change to
// the access rules or the role table that
// changes what these roles can do shows up here as a failure to look at.
//
// Run with `ctest -R e2e_grpcjs_role_matrix`, or
//   devstack run --state_dir=D --build_dir=B --source_dir=S -- \
//     env NODE_PATH=tools/node/node_modules node --test tests/e2e/node/role_matrix.test.cjs
// Without GRIDSERVE_GATEWAY_ADDRESS every test FAILS (never skips).
'use strict';

const { describe, test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const grpc = require('@grpc/grpc-js');
const protoLoader = require('@grpc/proto-loader');

const DISTRICT = '500114000000';
const TOWN_A = '500114101000';
const TOWN_B = '500114102000';
const VILLAGE_A = '500114101201';
const VILLAGE_B = '500114102201';
const CALL_TIMEOUT_MS = 10_000;

const env = {
  gateway: process.env.GRIDSERVE_GATEWAY_ADDRESS,
  keyFile: process.env.GRIDSERVE_TOKEN_KEY_FILE,
  protoDir: process.env.GRIDSERVE_PROTO_DIR,
};

// ---------------------------------------------------------------------------
// Tokens: "v1." + base64url(JSON {sub, bindings: [{role, scope}], exp}) + "." +
// base64url(HMAC-SHA256(key, "v1.<claims>")); the key is the first non-blank line of the key file.

let tokenKey;

function readTokenKey(file) {
  const line = fs.readFileSync(file, 'utf8').split('\n').map((l) => l.trim()).find((l) => l.length > 0);
  if (!line) throw new Error(`token key file ${file} has no key line`);
  return Buffer.from(line, 'utf8');
}

const base64url = (bytes) => Buffer.from(bytes).toString('base64url');
const nowSeconds = () => Math.floor(Date.now() / 1000);

function mintToken(subject, bindings, { ttlSeconds = 3600 } = {}) {
  const claims = JSON.stringify({ sub: subject, bindings, exp: nowSeconds() + ttlSeconds });
  const signedPart = `v1.${base64url(Buffer.from(claims, 'utf8'))}`;
  const signature = base64url(crypto.createHmac('sha256', tokenKey).update(signedPart, 'utf8').digest());
  return `${signedPart}.${signature}`;
}

// ---------------------------------------------------------------------------
// gRPC plumbing

let services; // { organizations, gridPolicy, activityPolicy, evaluationPolicy, auth }
const clients = [];

function loadClients() {
  const includeDirs = [env.protoDir, path.join(env.protoDir, 'third_party')];
  const definition = protoLoader.loadSync([
    'gridserve/membership/v1/organization.proto',
    'gridserve/gateway/v1/auth.proto',
    'gridserve/grid_assignment/v1/grid_policy.proto',
    'gridserve/activity_tracking/v1/activity_policy.proto',
    'gridserve/evaluation/v1/evaluation_policy.proto',
  ], { keepCase: true, longs: String, enums: String, defaults: true, oneofs: true, includeDirs });
  const { gridserve } = grpc.loadPackageDefinition(definition);
  const make = (ServiceClass) => {
    const c = new ServiceClass(env.gateway, grpc.credentials.createInsecure());
    clients.push(c);
    return c;
  };
  services = {
    organizations: make(gridserve.membership.v1.OrganizationService),
    gridPolicy: make(gridserve.grid_assignment.v1.GridPolicyService),
    activityPolicy: make(gridserve.activity_tracking.v1.ActivityPolicyService),
    evaluationPolicy: make(gridserve.evaluation.v1.EvaluationPolicyService),
    auth: make(gridserve.gateway.v1.AuthService),
  };
}

const codeName = (code) => Object.keys(grpc.status).find((k) => grpc.status[k] === code) ?? String(code);
const SHORT = { OK: 'OK', PERMISSION_DENIED: 'PD', NOT_FOUND: 'NF', ALREADY_EXISTS: 'AE', UNAUTHENTICATED: 'UA' };
const shortName = (code) => SHORT[codeName(code)] ?? codeName(code);

// Resolves to { code, details } whether the call succeeds or fails.
function call(stub, method, request, token) {
  const metadata = new grpc.Metadata();
  metadata.set('authorization', `Bearer ${token}`);
  return new Promise((resolve) => {
    stub[method](request, metadata, { deadline: new Date(Date.now() + CALL_TIMEOUT_MS) }, (err, response) => {
      if (err) resolve({ code: err.code, details: err.details });
      else resolve({ code: grpc.status.OK, response });
    });
  });
}

// ---------------------------------------------------------------------------

const REQUIRED_ENV = ['GRIDSERVE_GATEWAY_ADDRESS', 'GRIDSERVE_TOKEN_KEY_FILE', 'GRIDSERVE_PROTO_DIR'];
const missingEnv = () => REQUIRED_ENV.filter((name) => !process.env[name]);

test('the environment names a gateway to test', () => {
  assert.deepEqual(missingEnv(), [], `not set: ${missingEnv().join(', ')}; run with ` +
    '`ctest -R e2e_grpcjs_role_matrix` or under `devstack run` (see the head of this file)');
});

describe('role matrix through the gateway (grpc-js)', () => {
  let admin; // DISTRICT_ADMIN over 500114
  let provinceAdmin; // DISTRICT_ADMIN over 50 (Chongqing): sees the second district too
  const fresh = new Map(); // parent code -> next free child number

  // A code not yet used under `parent` (a district: towns 1xx; a town: villages 2xx-3xx).
  async function freshChild(parent) {
    const isDistrict = parent.endsWith('000000');
    let number = fresh.get(parent) ?? (isDistrict ? 150 : 250);
    for (;; ++number) {
      assert.ok(number <= (isDistrict ? 199 : 399), `no free child code left under ${parent}`);
      const code = isDistrict ? `${parent.slice(0, 6)}${number}000` : `${parent.slice(0, 9)}${number}`;
      const { code: status } = await call(services.organizations, 'GetOrganization', { code }, provinceAdmin);
      if (status === grpc.status.NOT_FOUND) {
        fresh.set(parent, number + 1);
        return code;
      }
    }
  }

  const kindOf = (code) => (code.endsWith('000000') ? 'ORGANIZATION_KIND_DISTRICT'
    : code.endsWith('000') ? 'ORGANIZATION_KIND_TOWN' : 'ORGANIZATION_KIND_VILLAGE');
  const createRequest = (code) => ({
    organization: { code, kind: kindOf(code), parent_code: '', display_name: `矩阵${code}` },
    request_id: crypto.randomUUID(),
  });

  // The operations: each takes the target code (or nothing) and a token.
  let renames = 0;
  const runId = crypto.randomBytes(3).toString('hex'); // unique names on a long-lived devstack too
  const ops = {
    Create: (code, token) => call(services.organizations, 'CreateOrganization', createRequest(code), token),
    Get: (code, token) => call(services.organizations, 'GetOrganization', { code }, token),
    Update: (code, token) => call(services.organizations, 'UpdateOrganization', {
      organization: { code, display_name: `矩阵改名${runId}-${++renames}` }, update_mask: { paths: ['display_name'] },
    }, token),
    GridPolicy: (town, token) => call(services.gridPolicy, 'GetGridPolicy', { town_code: town }, token),
    ActivityPolicy: (town, token) => call(services.activityPolicy, 'GetActivityPolicy', { town_code: town }, token),
    EvaluationPolicy: (town, token) =>
      call(services.evaluationPolicy, 'GetEvaluationPolicy', { town_code: town }, token),
    WhoAmI: (_code, token) => call(services.auth, 'WhoAmI', {}, token),
  };

  // role, scope, and per op: [in-scope target, expected, out-of-scope target, expected].
  // Targets: a code, or {freshUnder: parent} for a create. 'allow' = OK, 'deny' = PERMISSION_DENIED
  // (NOT_FOUND also accepted out of scope).
  const fresh_ = (parent) => ({ freshUnder: parent });
  const rows = [
    {
      role: 'DISTRICT_ADMIN', scope: DISTRICT, ops: {
        Create: [fresh_(DISTRICT), 'allow', fresh_('500115000000'), 'deny'],
        Get: [TOWN_B, 'allow', '500115000000', 'deny'],
        Update: [VILLAGE_B, 'allow', '500115000000', 'deny'],
        GridPolicy: [TOWN_A, 'allow', '500115101000', 'deny'],
        WhoAmI: [null, 'allow'],
      },
    },
    {
      role: 'TOWN_ADMIN', scope: TOWN_A, ops: {
        Create: [fresh_(TOWN_A), 'allow', fresh_(TOWN_B), 'deny'],
        Get: [VILLAGE_A, 'allow', VILLAGE_B, 'deny'],
        Update: [VILLAGE_A, 'allow', TOWN_B, 'deny'],
        GridPolicy: [TOWN_A, 'allow', TOWN_B, 'deny'],
        ActivityPolicy: [TOWN_A, 'allow', TOWN_B, 'deny'],
        EvaluationPolicy: [TOWN_A, 'allow', TOWN_B, 'deny'],
        WhoAmI: [null, 'allow'],
      },
    },
    {
      role: 'VILLAGE_SECRETARY', scope: VILLAGE_A, ops: {
        Create: [VILLAGE_A, 'deny', fresh_(TOWN_B), 'deny'],
        Get: [VILLAGE_A, 'allow', VILLAGE_B, 'deny'],
        Update: [VILLAGE_A, 'deny', VILLAGE_B, 'deny'],
        GridPolicy: [TOWN_A, 'allow', TOWN_B, 'deny'],
        ActivityPolicy: [TOWN_A, 'allow', TOWN_B, 'deny'],
        EvaluationPolicy: [TOWN_A, 'allow', TOWN_B, 'deny'],
        WhoAmI: [null, 'allow'],
      },
    },
    {
      role: 'RATER', scope: VILLAGE_A, ops: {
        Create: [VILLAGE_A, 'deny', fresh_(TOWN_B), 'deny'],
        Get: [VILLAGE_A, 'deny', VILLAGE_B, 'deny'],
        Update: [VILLAGE_A, 'deny', VILLAGE_B, 'deny'],
        GridPolicy: [TOWN_A, 'deny', TOWN_B, 'deny'],
        WhoAmI: [null, 'allow'],
      },
    },
    {
      role: 'AUDITOR', scope: TOWN_A, ops: {
        Create: [fresh_(TOWN_A), 'deny', fresh_(TOWN_B), 'deny'],
        Get: [VILLAGE_A, 'allow', VILLAGE_B, 'deny'],
        Update: [TOWN_A, 'deny', TOWN_B, 'deny'],
        GridPolicy: [TOWN_A, 'allow', TOWN_B, 'deny'],
        WhoAmI: [null, 'allow'],
      },
    },
  ];

  before(async () => {
    if (missingEnv().length > 0) throw new Error(`not set: ${missingEnv().join(', ')}`);
    tokenKey = readTokenKey(env.keyFile);
    loadClients();
    admin = mintToken('e2e-js-district-admin', [{ role: 'DISTRICT_ADMIN', scope: DISTRICT }]);
    provinceAdmin = mintToken('e2e-js-province-admin', [{ role: 'DISTRICT_ADMIN', scope: '500000000000' }]);
    // The tree; everything may exist already (a long-lived devstack).
    for (const [code, token] of [[DISTRICT, admin], [TOWN_A, admin], [TOWN_B, admin], [VILLAGE_A, admin],
      [VILLAGE_B, admin], ['500115000000', provinceAdmin], ['500115101000', provinceAdmin]]) {
      const { code: status, details } = await ops.Create(code, token);
      assert.ok(status === grpc.status.OK || status === grpc.status.ALREADY_EXISTS,
        `seeding ${code}: ${codeName(status)} ${details}`);
    }
  });

  after(() => {
    for (const c of clients) c.close();
  });

  test('each role reaches its own scope and nothing outside it', async () => {
    const opNames = Object.keys(ops);
    const table = [['role@scope', ...opNames]];
    const mismatches = [];
    for (const { role, scope, ops: expectations } of rows) {
      const token = mintToken(`e2e-js-${role}`, [{ role, scope }]);
      const line = [`${role}@${scope}`];
      for (const op of opNames) {
        const expectation = expectations[op];
        if (!expectation) {
          line.push('');
          continue;
        }
        const cell = [];
        for (const [target, expected, where] of [[expectation[0], expectation[1], 'in'],
          [expectation[2], expectation[3], 'out']]) {
          if (expected === undefined) continue;
          const code = target && target.freshUnder ? await freshChild(target.freshUnder) : target;
          const { code: got, details } = await ops[op](code, token);
          const ok = expected === 'allow' ? got === grpc.status.OK
            : got === grpc.status.PERMISSION_DENIED || (where === 'out' && got === grpc.status.NOT_FOUND);
          cell.push(`${shortName(got)}${ok ? '' : '!'}`);
          if (!ok) {
            mismatches.push(`${role}@${scope} ${op} ${where}-scope ${code ?? '(self)'}: expected ` +
              `${expected === 'allow' ? 'OK' : 'PERMISSION_DENIED'}, got ${codeName(got)} "${details ?? ''}"`);
          }
        }
        line.push(cell.join('/'));
      }
      table.push(line);
    }
    const widths = table[0].map((_, i) => Math.max(...table.map((r) => r[i].length)));
    const rendered = table.map((r) => r.map((c, i) => c.padEnd(widths[i])).join('  ')).join('\n');
    console.log(`role matrix (in/out; OK, PD = PERMISSION_DENIED, NF = NOT_FOUND, ! = unexpected):\n${rendered}`);
    assert.deepEqual(mismatches, [], `${mismatches.length} calls did not answer as expected:\n  ` +
      `${mismatches.join('\n  ')}\n\n${rendered}`);
  });

  test('a refused create leaves nothing behind', async () => {
    const townAdmin = mintToken('e2e-js-town-admin', [{ role: 'TOWN_ADMIN', scope: TOWN_A }]);
    const foreign = await freshChild(TOWN_B);
    assert.equal(codeName((await ops.Create(foreign, townAdmin)).code), 'PERMISSION_DENIED');
    assert.equal(codeName((await ops.Get(foreign, admin)).code), 'NOT_FOUND', `${foreign} was created anyway`);
  });

  test('an expired token is UNAUTHENTICATED for every operation', async () => {
    const expired = mintToken('e2e-js-expired', [{ role: 'DISTRICT_ADMIN', scope: DISTRICT }], { ttlSeconds: -60 });
    for (const [name, op] of Object.entries(ops)) {
      const target = name === 'Create' ? await freshChild(TOWN_A) : name.endsWith('Policy') ? TOWN_A : VILLAGE_A;
      const { code, details } = await op(target, expired);
      assert.equal(codeName(code), 'UNAUTHENTICATED', `${name} with an expired token: ${details}`);
    }
  });
});
