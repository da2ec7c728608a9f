// Sessions through the gateway from an independent client (grpc-js, protos
// loaded at run time): login, WhoAmI with the access token, refresh rotation,
// logout, lockout after repeated failures, and the audit log seeing it all.
// Run by ctest (e2e_grpcjs_auth) inside `devstack run --demo=true`, which sets
// GRIDSERVE_GATEWAY_ADDRESS, GRIDSERVE_PROTO_DIR, GRIDSERVE_DEMO_PASSWORD and
// GRIDSERVE_ADMIN_TOKEN. Without them every test fails (never skipped).
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

let auth;
let audit;

function call(client, method, request, token) {
  const metadata = new grpc.Metadata();
  if (token) metadata.set('authorization', `Bearer ${token}`);
  return new Promise((resolve, reject) => {
    client[method](request, metadata, { deadline: new Date(Date.now() + 10_000) },
      (error, response) => (error ? reject(error) : resolve(response)));
  });
}

async function expectCode(promise, code, pattern) {
  await assert.rejects(promise, (error) => {
    assert.equal(error.code, code, `expected ${code}, got ${error.code}: ${error.details}`);
    if (pattern) assert.match(error.details, pattern);
    return true;
  });
}

const login = (name, password) => call(auth, 'Login', { login_name: name, password });

describe('sessions through the gateway (grpc-js)', () => {
  before(() => {
    const missing = Object.entries(env).filter(([, value]) => !value).map(([key]) => key);
    assert.deepEqual(missing, [], 'run through `devstack run --demo=true` (ctest -R e2e_grpcjs_auth)');
    const includeDirs = [env.protoDir, path.join(env.protoDir, 'third_party')];
    const definition = protoLoader.loadSync(
      ['gridserve/gateway/v1/auth.proto', 'gridserve/gateway/v1/audit.proto'],
      { keepCase: true, longs: String, enums: String, defaults: true, includeDirs });
    const v1 = grpc.loadPackageDefinition(definition).gridserve.gateway.v1;
    auth = new v1.AuthService(env.gateway, grpc.credentials.createInsecure());
    audit = new v1.AuditService(env.gateway, grpc.credentials.createInsecure());
  });
  after(() => { auth?.close(); audit?.close(); });

  test('login, WhoAmI, refresh rotates the refresh token, logout revokes it', async () => {
    const { session } = await login('demo-town-admin', env.demoPassword);
    assert.ok(session.access_token.startsWith('v1.'));
    assert.ok(session.refresh_token.length > 20);
    const { principal } = await call(auth, 'WhoAmI', {}, session.access_token);
    assert.match(principal.subject, /^users\//);
    assert.deepEqual(principal.bindings, [{ role: 'ROLE_TOWN_ADMIN', org_scope: '500114101000' }]);

    const refreshed = (await call(auth, 'Refresh', { refresh_token: session.refresh_token })).session;
    assert.notEqual(refreshed.refresh_token, session.refresh_token);
    await call(auth, 'WhoAmI', {}, refreshed.access_token);
    await expectCode(call(auth, 'Refresh', { refresh_token: session.refresh_token }), grpc.status.UNAUTHENTICATED);

    const again = (await login('demo-town-admin', env.demoPassword)).session;
    await call(auth, 'Logout', { refresh_token: again.refresh_token }, again.access_token);
    await expectCode(call(auth, 'Refresh', { refresh_token: again.refresh_token }), grpc.status.UNAUTHENTICATED);
  });

  test('a wrong password and an unknown user get the same answer', async () => {
    let wrong;
    let unknown;
    await assert.rejects(login('demo-member', 'not-the-password'), (error) => { wrong = error; return true; });
    await assert.rejects(login('nobody-by-this-name', 'not-the-password'), (error) => { unknown = error; return true; });
    assert.equal(wrong.code, grpc.status.UNAUTHENTICATED);
    assert.equal(unknown.code, grpc.status.UNAUTHENTICATED);
    assert.equal(wrong.details, unknown.details);
  });

  test('five failures in a row lock the account, even for the right password', async () => {
    for (let i = 0; i < 5; i += 1) {
      await expectCode(login('demo-grid-leader', `wrong-${i}`), grpc.status.UNAUTHENTICATED);
    }
    await expectCode(login('demo-grid-leader', env.demoPassword), grpc.status.UNAUTHENTICATED, /lock/i);
  });

  test('the auditor sees the logins in an intact hash chain', async () => {
    const { session } = await login('demo-auditor', env.demoPassword);
    const { entries } = await call(audit, 'ListAuditEntries',
      { method: '/gridserve.gateway.v1.AuthService/Login', page_size: 100 }, session.access_token);
    assert.ok(entries.some((entry) => entry.resource === 'demo-grid-leader'), 'failed logins are recorded');
    const verdict = await call(audit, 'VerifyAuditChain', {}, session.access_token);
    assert.equal(verdict.intact, true, verdict.problem);
    assert.ok(Number(verdict.entries_checked) > 0);
    const town = (await login('demo-town-admin', env.demoPassword)).session;
    await expectCode(call(audit, 'VerifyAuditChain', {}, town.access_token), grpc.status.PERMISSION_DENIED);
  });
});
