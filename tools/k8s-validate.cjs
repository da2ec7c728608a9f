#!/usr/bin/env node
// Validates GridServe's Kubernetes manifests offline.
//
//   node tools/k8s-validate.cjs              every overlay under deploy/k8s/overlays
//   node tools/k8s-validate.cjs --self-test  proves the checks reject broken input
//
// For each overlay it runs `kubectl kustomize <dir>`, parses every document
// (YAML 1.1, as kubectl reads it) and checks each one:
//
// 1. Schema: the kubernetes-models class for its apiVersion/kind (an unknown
//    apiVersion/kind fails) validates it against the Kubernetes OpenAPI schema:
//    wrong types, missing required fields, bad enum values.
// 2. Strict fields: those schemas are compiled ajv validators with no
//    additionalProperties, so they accept any unknown key (a typo such as
//    imagePullPolicyy passes). The validator is therefore run on a Proxy of the
//    document that records which keys it reads on each object: a compiled ajv
//    schema reads every property it declares (`data.name === undefined || ...`)
//    and enumerates only map-valued objects (labels, data, resources.limits).
//    Any key of a schema-checked, non-map object that the validator never
//    looked at is not in the schema, and is reported as an unknown field.
// 3. House rules for every Deployment/StatefulSet/DaemonSet/Job container:
//    readiness and liveness probes (regular containers), resource requests and
//    limits (cpu and memory), runAsNonRoot (container or pod level),
//    readOnlyRootFilesystem, allowPrivilegeEscalation false, capabilities
//    drop ALL.
// 4. House rule for peers, checked against the whole rendered overlay: every
//    name=address entry of a GRIDSERVE_PEERS value (in any ConfigMap's data)
//    is dns:///<service>:<port>, where <service> is a headless Service
//    (spec.clusterIP "None") of the same output that exposes <port>; the
//    Deployment of that name exists, is selected by the Service and declares
//    containerPort <port> (a headless Service translates no ports: the
//    gateway resolves the name to pod IPs and connects to <port> on each).
//
// Prints one line per document ("ok dev Deployment/membership" or
// "FAIL dev Deployment/membership" plus indented reasons) and finally
// "N passed, M failed"; exits 1 if anything failed.
'use strict';

const childProcess = require('child_process');
const fs = require('fs');
const path = require('path');

const NODE_MODULES = path.join(__dirname, 'node', 'node_modules');
const YAML = require(path.join(NODE_MODULES, 'yaml'));
const MODELS_DIR = path.join(NODE_MODULES, 'kubernetes-models');
const REPO_ROOT = path.resolve(__dirname, '..');
const OVERLAYS_DIR = path.join(REPO_ROOT, 'deploy', 'k8s', 'overlays');

// ---------------------------------------------------------------------------
// Rendering and parsing

function render(dir) {
  try {
    return {
      text: childProcess.execFileSync('kubectl', ['kustomize', dir], {
        encoding: 'utf8',
        maxBuffer: 64 * 1024 * 1024,
        stdio: ['ignore', 'pipe', 'pipe'],
      }),
    };
  } catch (err) {
    const detail = (err.stderr || err.message || String(err)).toString().trim();
    return { error: `kubectl kustomize ${path.relative(REPO_ROOT, dir)} failed: ${detail}` };
  }
}

// Returns [{object, error}] for each non-empty document.
function parseDocuments(text) {
  const results = [];
  for (const doc of YAML.parseAllDocuments(text, { version: '1.1', uniqueKeys: true })) {
    if (doc.errors.length > 0) {
      results.push({ error: doc.errors.map((e) => e.message).join('; ') });
      continue;
    }
    const object = doc.toJS({ maxAliasCount: 100 });
    if (object === null || object === undefined) continue;
    results.push({ object });
  }
  return results;
}

// ---------------------------------------------------------------------------
// Model lookup

const modelCache = new Map();

// The kubernetes-models class for apiVersion/kind, or an error string.
function findModel(apiVersion, kind) {
  if (typeof apiVersion !== 'string' || typeof kind !== 'string') {
    return { error: 'apiVersion and kind must be strings' };
  }
  const slash = apiVersion.indexOf('/');
  const group = slash < 0 ? '' : apiVersion.slice(0, slash);
  const version = slash < 0 ? apiVersion : apiVersion.slice(slash + 1);
  if (!/^([a-z0-9]([a-z0-9.-]*[a-z0-9])?)?$/.test(group) || !/^v[0-9]+([a-z]+[0-9]+)?$/.test(version) ||
      !/^[A-Z][A-Za-z0-9]*$/.test(kind)) {
    return { error: `unknown apiVersion/kind ${apiVersion}/${kind}` };
  }
  const dir = group === '' ? path.join(MODELS_DIR, version) : path.join(MODELS_DIR, group, version);
  let module = modelCache.get(dir);
  if (module === undefined) {
    module = fs.existsSync(path.join(dir, 'index.js')) ? require(dir) : null;
    modelCache.set(dir, module);
  }
  const model = module && Object.prototype.hasOwnProperty.call(module, kind) ? module[kind] : undefined;
  if (typeof model !== 'function' || model.apiVersion !== apiVersion || model.kind !== kind ||
      typeof model.prototype.validate !== 'function') {
    return { error: `unknown apiVersion/kind ${apiVersion}/${kind} (no kubernetes-models schema)` };
  }
  return { model };
}

// ---------------------------------------------------------------------------
// Schema validation with key tracking

function isPlainObject(value) {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

// Wraps `root` so that every property read, `in` test and key enumeration the
// validator makes is recorded per underlying object.
function makeTracker(root) {
  const info = new Map(); // object -> {accessed: Set, enumerated: bool, touched: bool}
  const proxies = new Map();
  function record(target) {
    let entry = info.get(target);
    if (!entry) {
      entry = { accessed: new Set(), enumerated: false, touched: false };
      info.set(target, entry);
    }
    entry.touched = true;
    return entry;
  }
  function wrap(target) {
    if (target === null || typeof target !== 'object') return target;
    let proxy = proxies.get(target);
    if (proxy) return proxy;
    proxy = new Proxy(target, {
      get(t, key, receiver) {
        if (typeof key === 'string') record(t).accessed.add(key);
        return wrap(Reflect.get(t, key, receiver));
      },
      has(t, key) {
        if (typeof key === 'string') record(t).accessed.add(key);
        return Reflect.has(t, key);
      },
      ownKeys(t) {
        record(t).enumerated = true;
        return Reflect.ownKeys(t);
      },
      set() {
        throw new Error('validator tried to modify the document');
      },
      deleteProperty() {
        throw new Error('validator tried to modify the document');
      },
    });
    proxies.set(target, proxy);
    return proxy;
  }
  return { proxy: wrap(root), info };
}

function jsonPointer(segments) {
  return segments.map((s) => '/' + String(s).replace(/~/g, '~0').replace(/\//g, '~1')).join('');
}

// Keys the schema does not declare, found by walking `value` alongside what
// the validator read.
function unknownFields(value, info, segments, out) {
  if (Array.isArray(value)) {
    value.forEach((item, i) => unknownFields(item, info, segments.concat(i), out));
    return;
  }
  if (!isPlainObject(value)) return;
  const entry = info.get(value);
  // Never inspected: a free-form field (no schema) below a known key.
  if (!entry || !entry.touched) return;
  for (const key of Object.keys(value)) {
    if (entry.enumerated || entry.accessed.has(key)) {
      unknownFields(value[key], info, segments.concat(key), out);
    } else {
      out.push(`data${jsonPointer(segments.concat(key))} is an unknown field (not in the schema)`);
    }
  }
}

// kustomize line-wraps long base64 values in Secret data (a YAML block
// scalar). Go's base64 decoder, which kubectl and the API server use, skips
// \r and \n, but the schema's "byte" format does not, so drop them first.
function normaliseBase64Maps(object) {
  const fields = object.kind === 'Secret' && object.apiVersion === 'v1' ? ['data']
      : object.kind === 'ConfigMap' && object.apiVersion === 'v1' ? ['binaryData'] : [];
  for (const field of fields) {
    if (!isPlainObject(object[field])) continue;
    for (const [key, value] of Object.entries(object[field])) {
      if (typeof value === 'string') object[field][key] = value.replace(/[\r\n]/g, '');
    }
  }
  return object;
}

function schemaErrors(model, input) {
  const errors = [];
  const object = normaliseBase64Maps(structuredClone(input));
  const { proxy, info } = makeTracker(object);
  try {
    model.prototype.validate.call(proxy);
  } catch (err) {
    if (Array.isArray(err.errors) && err.errors.length > 0) {
      for (const e of err.errors) {
        const detail = e.params && e.params.allowedValues ? ` (${e.params.allowedValues.join(', ')})` : '';
        errors.push(`data${e.instancePath} ${e.message}${detail}`);
      }
    } else {
      errors.push(`schema validation failed: ${err.message}`);
    }
  }
  const rootEntry = info.get(object);
  if (!rootEntry || !rootEntry.touched) {
    errors.push('no schema validation ran for this kind');
    return errors;
  }
  unknownFields(object, info, [], errors);
  return errors;
}

// ---------------------------------------------------------------------------
// House rules

function podSpecOf(object) {
  const spec = isPlainObject(object.spec) ? object.spec : {};
  switch (object.kind) {
    case 'Deployment':
    case 'StatefulSet':
    case 'DaemonSet':
    case 'ReplicaSet':
    case 'Job':
      return spec.template && spec.template.spec;
    case 'CronJob':
      return spec.jobTemplate && spec.jobTemplate.spec && spec.jobTemplate.spec.template &&
          spec.jobTemplate.spec.template.spec;
    case 'Pod':
      return spec;
    default:
      return undefined;
  }
}

function houseRuleErrors(object) {
  const errors = [];
  if (!isPlainObject(object) || !['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'CronJob', 'Pod'].includes(object.kind)) {
    return errors;
  }
  const podSpec = podSpecOf(object);
  if (!isPlainObject(podSpec)) return ['house rule: no pod template spec'];
  const podSecurity = isPlainObject(podSpec.securityContext) ? podSpec.securityContext : {};
  const groups = [
    ['containers', podSpec.containers, true],
    ['initContainers', podSpec.initContainers, false],
  ];
  if (!Array.isArray(podSpec.containers) || podSpec.containers.length === 0) {
    errors.push('house rule: pod has no containers');
  }
  for (const [field, containers, needsProbes] of groups) {
    if (!Array.isArray(containers)) continue;
    containers.forEach((c, i) => {
      if (!isPlainObject(c)) return;
      const where = `house rule: ${field}[${i}] (${c.name || '?'})`;
      const sidecar = field === 'initContainers' && c.restartPolicy === 'Always';
      if (needsProbes || sidecar) {
        if (!isPlainObject(c.readinessProbe)) errors.push(`${where} has no readinessProbe`);
        if (!isPlainObject(c.livenessProbe)) errors.push(`${where} has no livenessProbe`);
      }
      const resources = isPlainObject(c.resources) ? c.resources : {};
      for (const kind of ['requests', 'limits']) {
        const values = isPlainObject(resources[kind]) ? resources[kind] : {};
        for (const resource of ['cpu', 'memory']) {
          if (values[resource] === undefined) errors.push(`${where} has no resources.${kind}.${resource}`);
        }
      }
      const sc = isPlainObject(c.securityContext) ? c.securityContext : {};
      const runAsNonRoot = sc.runAsNonRoot !== undefined ? sc.runAsNonRoot : podSecurity.runAsNonRoot;
      if (runAsNonRoot !== true) errors.push(`${where} does not set runAsNonRoot: true`);
      const runAsUser = sc.runAsUser !== undefined ? sc.runAsUser : podSecurity.runAsUser;
      if (runAsUser === 0) errors.push(`${where} runs as user 0`);
      if (sc.readOnlyRootFilesystem !== true) errors.push(`${where} does not set readOnlyRootFilesystem: true`);
      if (sc.allowPrivilegeEscalation !== false) errors.push(`${where} does not set allowPrivilegeEscalation: false`);
      if (sc.privileged === true) errors.push(`${where} is privileged`);
      const drop = isPlainObject(sc.capabilities) && Array.isArray(sc.capabilities.drop) ? sc.capabilities.drop : [];
      if (!drop.includes('ALL')) errors.push(`${where} does not drop ALL capabilities`);
    });
  }
  return errors;
}

// The rendered object of `kind` named `name`, if any.
function findNamed(rendered, kind, name) {
  return rendered.find((o) => isPlainObject(o) && o.kind === kind && isPlainObject(o.metadata) &&
      o.metadata.name === name);
}

const PEER_ENTRY = /^([a-z][a-z0-9_]*)=(.*)$/;
const DNS_PEER_ADDRESS = /^dns:\/\/\/([a-z0-9]([-a-z0-9]*[a-z0-9])?):([0-9]{1,5})$/;

// Why one GRIDSERVE_PEERS entry's Service or Deployment cannot take its calls.
function peerTargetErrors(where, host, port, rendered) {
  const service = findNamed(rendered, 'Service', host);
  if (!service) return [`${where}: no Service "${host}" in the rendered output`];
  const errors = [];
  const spec = isPlainObject(service.spec) ? service.spec : {};
  if (spec.clusterIP !== 'None') {
    errors.push(`${where}: Service ${host} is not headless (spec.clusterIP is ` +
        `${spec.clusterIP === undefined ? 'unset' : JSON.stringify(spec.clusterIP)}, must be "None")`);
  }
  const ports = Array.isArray(spec.ports) ? spec.ports.filter(isPlainObject) : [];
  if (!ports.some((p) => p.port === port)) {
    errors.push(`${where}: Service ${host} does not expose port ${port} ` +
        `(it exposes ${ports.map((p) => p.port).join(', ') || 'none'})`);
  }
  const deployment = findNamed(rendered, 'Deployment', host);
  if (!deployment) return errors.concat(`${where}: no Deployment "${host}" behind Service ${host}`);
  const podSpec = podSpecOf(deployment);
  const template = deployment.spec && deployment.spec.template;
  const labels = isPlainObject(template) && isPlainObject(template.metadata) &&
      isPlainObject(template.metadata.labels) ? template.metadata.labels : {};
  const selector = isPlainObject(spec.selector) ? spec.selector : {};
  if (Object.keys(selector).length === 0 || !Object.entries(selector).every(([k, v]) => labels[k] === v)) {
    errors.push(`${where}: Service ${host} does not select Deployment ${host} ` +
        `(selector ${JSON.stringify(selector)}, pod labels ${JSON.stringify(labels)})`);
  }
  const containers = isPlainObject(podSpec) && Array.isArray(podSpec.containers) ? podSpec.containers : [];
  const declared = containers.filter(isPlainObject).flatMap((c) => (Array.isArray(c.ports) ? c.ports : []))
    .filter(isPlainObject).map((p) => p.containerPort);
  if (!declared.includes(port)) {
    errors.push(`${where}: Deployment ${host} has no containerPort ${port} ` +
        `(a headless Service translates no ports; it declares ${declared.join(', ') || 'none'})`);
  }
  return errors;
}

// GRIDSERVE_PEERS in a ConfigMap, checked against `rendered` (every object of
// the same overlay).
function peerRuleErrors(object, rendered) {
  if (!isPlainObject(object) || object.apiVersion !== 'v1' || object.kind !== 'ConfigMap' ||
      !isPlainObject(object.data) || object.data.GRIDSERVE_PEERS === undefined) {
    return [];
  }
  const value = object.data.GRIDSERVE_PEERS;
  if (typeof value !== 'string' || value === '') return ['house rule: GRIDSERVE_PEERS is empty'];
  const errors = [];
  const seen = new Set();
  for (const entry of value.split(',')) {
    const where = `house rule: GRIDSERVE_PEERS entry ${JSON.stringify(entry)}`;
    const parts = PEER_ENTRY.exec(entry);
    if (!parts) {
      errors.push(`${where} is not name=address`);
      continue;
    }
    const [, peer, address] = parts;
    if (seen.has(peer)) errors.push(`${where} names peer ${peer} again`);
    seen.add(peer);
    const target = DNS_PEER_ADDRESS.exec(address);
    const port = target ? Number(target[3]) : NaN;
    if (!target || port < 1 || port > 65535) {
      errors.push(`${where} does not have the form ${peer}=dns:///<service>:<port> ` +
          '(dns:/// lets the gateway balance over every pod of a headless Service)');
      continue;
    }
    errors.push(...peerTargetErrors(where, target[1], port, rendered));
  }
  return errors;
}

// ---------------------------------------------------------------------------
// One document

function describe(object) {
  if (!isPlainObject(object)) return '(not an object)';
  const name = isPlainObject(object.metadata) && object.metadata.name ? object.metadata.name : '(unnamed)';
  return `${object.kind || '(no kind)'}/${name}`;
}

// All the reasons `object` is invalid; empty when it passes. `rendered` is
// every object of the same rendered output (for rules across documents).
function validateObject(object, rendered = []) {
  if (!isPlainObject(object)) return ['document is not a mapping'];
  const found = findModel(object.apiVersion, object.kind);
  if (found.error) return [found.error];
  return schemaErrors(found.model, object).concat(houseRuleErrors(object), peerRuleErrors(object, rendered));
}

function report(label, errors) {
  if (errors.length === 0) {
    console.log(`ok ${label}`);
    return true;
  }
  console.log(`FAIL ${label}`);
  for (const e of errors) console.log(`    ${e}`);
  return false;
}

// ---------------------------------------------------------------------------
// Modes

function validateOverlays() {
  let passed = 0;
  let failed = 0;
  const count = (ok) => (ok ? passed++ : failed++);
  const overlays = fs.existsSync(OVERLAYS_DIR)
    ? fs.readdirSync(OVERLAYS_DIR, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort()
    : [];
  if (overlays.length === 0) {
    count(report('overlays', [`no overlay directories under ${path.relative(REPO_ROOT, OVERLAYS_DIR)}`]));
  }
  for (const overlay of overlays) {
    const rendered = render(path.join(OVERLAYS_DIR, overlay));
    if (rendered.error) {
      count(report(`${overlay} (render)`, [rendered.error]));
      continue;
    }
    const documents = parseDocuments(rendered.text);
    if (documents.length === 0) count(report(`${overlay} (render)`, ['no documents rendered']));
    const objects = documents.filter((d) => !d.error).map((d) => d.object);
    for (const doc of documents) {
      if (doc.error) {
        count(report(`${overlay} (yaml)`, [doc.error]));
      } else {
        count(report(`${overlay} ${describe(doc.object)}`, validateObject(doc.object, objects)));
      }
    }
  }
  console.log(`${passed} passed, ${failed} failed`);
  return failed === 0 ? 0 : 1;
}

function selfTest() {
  let passed = 0;
  let failed = 0;
  const overlayDir = path.join(OVERLAYS_DIR, 'dev');
  const rendered = render(overlayDir);
  if (rendered.error) {
    console.log(`FAIL self-test: ${rendered.error}`);
    console.log('0 passed, 1 failed');
    return 1;
  }
  const objects = parseDocuments(rendered.text).map((d) => d.object);
  const original = objects
    .filter((o) => isPlainObject(o) && o.kind === 'Deployment')
    .sort((a, b) => (b.metadata.name === 'membership') - (a.metadata.name === 'membership'))[0];
  if (!original) {
    console.log('FAIL self-test: the dev overlay rendered no Deployment');
    console.log('0 passed, 1 failed');
    return 1;
  }
  const copy = () => structuredClone(original);
  const container = (o) => o.spec.template.spec.containers[0];
  // [name, mutation, null (must pass) or a pattern one of the errors must match]
  const cases = [
    ['original', (o) => o, null],
    ['maps keep arbitrary keys', (o) => {
      o.metadata.labels['example.com/any-label'] = 'x';
      o.metadata.annotations = { 'example.com/note': 'free text' };
      container(o).resources.limits['ephemeral-storage'] = '1Gi';
      return o;
    }, null],
    ['wrong type: spec.replicas "two"', (o) => { o.spec.replicas = 'two'; return o; },
      /^data\/spec\/replicas must be integer$/],
    ['wrong type: containerPort "grpc"', (o) => { container(o).ports[0].containerPort = 'grpc'; return o; },
      /^data\/spec\/template\/spec\/containers\/0\/ports\/0\/containerPort must be integer$/],
    ['missing required: spec.selector', (o) => { delete o.spec.selector; return o; },
      /^data\/spec must have required property selector$/],
    ['missing required: containers[0].name', (o) => { delete container(o).name; return o; },
      /^data\/spec\/template\/spec\/containers\/0 must have required property name$/],
    ['unknown key: containers[0].imagePullPolicyy', (o) => {
      container(o).imagePullPolicyy = container(o).imagePullPolicy;
      delete container(o).imagePullPolicy;
      return o;
    }, /^data\/spec\/template\/spec\/containers\/0\/imagePullPolicyy is an unknown field/],
    ['unknown key: spec.replica', (o) => { o.spec.replica = 1; return o; },
      /^data\/spec\/replica is an unknown field/],
    ['unknown key: securityContext.readOnlyRootFileSystem', (o) => {
      container(o).securityContext.readOnlyRootFileSystem = true;
      return o;
    }, /\/securityContext\/readOnlyRootFileSystem is an unknown field/],
    ['unknown kind: apps/v1 Deploymnt', (o) => { o.kind = 'Deploymnt'; return o; },
      /^unknown apiVersion\/kind apps\/v1\/Deploymnt/],
    ['unknown apiVersion: apps/v9', (o) => { o.apiVersion = 'apps/v9'; return o; },
      /^unknown apiVersion\/kind apps\/v9\/Deployment/],
    ['house rule: no readinessProbe', (o) => { delete container(o).readinessProbe; return o; },
      /has no readinessProbe$/],
    ['house rule: no resource limits', (o) => { delete container(o).resources.limits; return o; },
      /has no resources\.limits\.memory$/],
    ['house rule: writable root filesystem', (o) => {
      container(o).securityContext.readOnlyRootFilesystem = false;
      return o;
    }, /does not set readOnlyRootFilesystem: true$/],
    ['house rule: capabilities not dropped', (o) => { container(o).securityContext.capabilities.drop = []; return o; },
      /does not drop ALL capabilities$/],
    ['house rule: runAsNonRoot unset', (o) => {
      delete container(o).securityContext.runAsNonRoot;
      delete o.spec.template.spec.securityContext.runAsNonRoot;
      return o;
    }, /does not set runAsNonRoot: true$/],
  ];
  // The peer rule looks across documents: these cases mutate a copy of the
  // whole dev output and validate every document of it.
  const named = (all, kind, name) => {
    const found = findNamed(all, kind, name);
    if (!found) throw new Error(`the dev overlay rendered no ${kind}/${name}`);
    return found;
  };
  const peersMap = (all) => {
    const found = all.find((o) => isPlainObject(o) && o.kind === 'ConfigMap' && isPlainObject(o.data) &&
        typeof o.data.GRIDSERVE_PEERS === 'string');
    if (!found) throw new Error('the dev overlay rendered no ConfigMap with GRIDSERVE_PEERS');
    return found;
  };
  const setPeer = (all, peer, address) => {
    const data = peersMap(all).data;
    const before = data.GRIDSERVE_PEERS;
    data.GRIDSERVE_PEERS = before.split(',')
      .map((entry) => (entry.startsWith(`${peer}=`) ? `${peer}=${address}` : entry)).join(',');
    if (data.GRIDSERVE_PEERS === before) throw new Error(`GRIDSERVE_PEERS has no entry for ${peer}`);
    return all;
  };
  const outputCases = [
    ['peers: original', (all) => all, null],
    ['peers: address without dns:///', (all) => setPeer(all, 'membership', 'membership:50061'),
      /GRIDSERVE_PEERS entry "membership=membership:50061" does not have the form membership=dns:\/\/\/<service>:<port>/],
    ['peers: Service not headless', (all) => {
      delete named(all, 'Service', 'grid-assignment').spec.clusterIP;
      return all;
    }, /GRIDSERVE_PEERS entry "grid_assignment=dns:\/\/\/grid-assignment:50062": Service grid-assignment is not headless/],
    ['peers: port the Service does not expose', (all) => setPeer(all, 'evaluation', 'dns:///evaluation:50065'),
      /GRIDSERVE_PEERS entry "evaluation=dns:\/\/\/evaluation:50065": Service evaluation does not expose port 50065/],
    ['peers: no such Service', (all) => setPeer(all, 'membership', 'dns:///members:50061'),
      /: no Service "members" in the rendered output$/],
    ['peers: Service does not select its Deployment', (all) => {
      named(all, 'Service', 'activity-tracking').spec.selector = { 'app.kubernetes.io/name': 'activity' };
      return all;
    }, /: Service activity-tracking does not select Deployment activity-tracking /],
    ['peers: Service port is not the container port', (all) => {
      named(all, 'Service', 'evaluation').spec.ports[0].port = 50065;
      return setPeer(all, 'evaluation', 'dns:///evaluation:50065');
    }, /: Deployment evaluation has no containerPort 50065 /],
  ];
  const check = (subject, name, errors, pattern) => {
    let ok;
    let outcome;
    if (pattern === null) {
      ok = errors.length === 0;
      outcome = `expected pass, got ${ok ? 'pass' : 'fail'}`;
    } else {
      ok = errors.some((e) => pattern.test(e));
      outcome = errors.length === 0 ? `expected fail matching ${pattern}, got pass`
          : `expected fail matching ${pattern}, got ${ok ? 'it' : 'other errors'}`;
    }
    console.log(`${ok ? 'ok' : 'FAIL'} self-test ${subject} [${name}]: ${outcome}`);
    for (const e of errors) console.log(`    ${e}`);
    ok ? passed++ : failed++;
  };
  const subject = describe(original);
  for (const [name, mutate, pattern] of cases) {
    check(subject, name, validateObject(mutate(copy()), objects), pattern);
  }
  for (const [name, mutate, pattern] of outputCases) {
    let errors;
    try {
      const all = mutate(structuredClone(objects));
      errors = all.flatMap((o) => validateObject(o, all).map((e) => `${describe(o)}: ${e}`));
    } catch (err) {
      errors = [`self-test case could not run: ${err.message}`];
    }
    check('dev (rendered output)', name, errors, pattern);
  }
  console.log(`${passed} passed, ${failed} failed`);
  return failed === 0 ? 0 : 1;
}

function main(argv) {
  const args = argv.slice(2);
  if (args.length === 1 && args[0] === '--self-test') return selfTest();
  if (args.length === 0) return validateOverlays();
  console.error('usage: node tools/k8s-validate.cjs [--self-test]');
  return 2;
}

process.exitCode = main(process.argv);
