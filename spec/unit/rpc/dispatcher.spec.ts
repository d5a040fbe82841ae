import { expect } from 'chai';
import { EndpointTable, findEndpointMethod } from '../../../lib/rpc/dispatcher';
import { NoSuchMethod, UnsupportedVersion } from '../../../lib/rpc/errors';
import { Target, clientTarget, serverTarget } from '../../../lib/rpc/target';
import { firstValueFrom } from 'rxjs';
import { InvalidTarget, RpcClient, RpcVersionCapError, createTransport } from '../../../lib';

describe('dispatcher: oslo endpoint selection', () => {
  const plain = { ping: () => 'plain', _hidden: () => 'no' };
  const v12 = { target: { version: '1.2' }, ping: () => 'v1.2', only12: () => 'x' };
  const ns = { target: { namespace: 'ns1', version: '2.3', legacyNamespaces: ['old'] }, ping: () => 'ns1' };
  const call = (eps: object[], method: string, namespace?: string, version?: string) =>
    findEndpointMethod(eps, { method, namespace, version })(undefined, {});

  it('takes the first endpoint whose namespace and version match', () => {
    expect(call([plain, v12], 'ping')).to.equal('plain');
    expect(call([plain, v12], 'only12', undefined, '1.1')).to.equal('x');
    expect(call([plain, ns], 'ping', 'ns1', '2.0')).to.equal('ns1');
    expect(call([ns], 'ping', 'old', '2.3'), 'legacy namespaces are accepted').to.equal('ns1');
  });

  it('treats a missing version as 1.0 on both sides', () => {
    expect(call([v12], 'ping')).to.equal('v1.2');
    expect(() => call([plain], 'ping', undefined, '1.1')).to.throw(UnsupportedVersion);
  });

  it('gives NoSuchMethod when a compatible endpoint lacks the method, UnsupportedVersion when none is compatible', () => {
    expect(() => call([plain], 'nosuch')).to.throw(NoSuchMethod);
    expect(() => call([v12], 'ping', undefined, '2.0')).to.throw(UnsupportedVersion);
    expect(() => call([v12], 'ping', undefined, '1.3')).to.throw(UnsupportedVersion);
    expect(() => call([ns], 'ping', 'other', '2.0')).to.throw(UnsupportedVersion);
  });

  it('never calls private, inherited or non-function members', () => {
    for (const m of ['_hidden', 'constructor', 'toString', 'hasOwnProperty', 'target', '__proto__']) {
      expect(() => call([plain, v12], m), m).to.throw(NoSuchMethod);
    }
  });

  it('honours an access policy', () => {
    const policy = (_e: object, m: string) => m !== 'ping';
    expect(() => findEndpointMethod([plain], { method: 'ping' }, policy)).to.throw(NoSuchMethod);
  });

  it('an endpoint table serves any number of distinct requested versions the same way (it remembers only some)', () => {
    const table = new EndpointTable([v12, { target: { version: '1.300' }, ping: () => 'v1.300' }]);
    const found: string[] = [];
    for (let minor = 0; minor <= 300; minor += 3) {
      found.push((table.endpointFor({ method: 'ping', version: `1.${minor}` }) as { ping(): string }).ping());
    }
    expect(found.slice(0, 1)).to.deep.equal(['v1.2']);
    expect(found.slice(1)).to.deep.equal(found.slice(1).map(() => 'v1.300'));
    for (let minor = 0; minor <= 300; minor += 3) {
      expect(() => table.endpointFor({ method: 'ping', version: `2.${minor}` })).to.throw(UnsupportedVersion);
    }
  });

  it('refuses, when the table is made, a target whose namespace, version or legacy namespaces have the wrong type', () => {
    for (const target of [{ version: 1.2 }, { namespace: 5 }, { legacyNamespaces: 'old' }, { legacyNamespaces: [1] }]) {
      expect(() => new EndpointTable([{ target, ping: () => 1 }]), JSON.stringify(target)).to.throw(InvalidTarget);
    }
  });

  it('NoSuchMethod and UnsupportedVersion name the Python classes they stand for', () => {
    const e = new NoSuchMethod('m');
    expect([e.pythonClass, e.pythonModule, e.message]).to.deep.equal(['NoSuchMethod', 'oslo_messaging.rpc.dispatcher', 'Endpoint does not support RPC method m']);
    expect(new UnsupportedVersion('2.0', 'm').pythonClass).to.equal('UnsupportedVersion');
  });
});

describe('Target rules', () => {
  it('a client needs a topic; a server a topic and a server', () => {
    expect(clientTarget({ topic: 't' })).to.be.instanceOf(Target);
    expect(() => clientTarget({})).to.throw(InvalidTarget);
    expect(() => serverTarget({ topic: 't' })).to.throw(InvalidTarget);
    expect(() => serverTarget({ topic: 't', server: 's', fanout: true })).to.throw(InvalidTarget);
    expect(serverTarget({ topic: 't', server: 's' }).server).to.equal('s');
  });

  it('rejects malformed versions and non-string fields', () => {
    expect(() => clientTarget({ topic: 't', version: 'one' })).to.throw(InvalidTarget);
    expect(() => clientTarget({ topic: 't', server: 5 as unknown as string })).to.throw(InvalidTarget);
  });

  it('with() overrides only the given fields', () => {
    const t = new Target({ topic: 't', server: 's', version: '1.0' });
    expect({ ...t.with({ server: 'x', version: undefined }) }).to.deep.equal({ topic: 't', server: 'x', version: '1.0' });
  });
});

describe('RpcClient version cap and prepare', () => {
  const transport = createTransport('amqp://127.0.0.1:1');
  after(() => transport.close());

  it('canSendVersion follows oslo: same major, minor not above the cap', () => {
    const client = new RpcClient(transport, { topic: 't', version: '1.3' }, { versionCap: '1.5' });
    expect(client.canSendVersion()).to.equal(true);
    expect(client.canSendVersion('1.6')).to.equal(false);
    expect(client.canSendVersion('2.0')).to.equal(false);
    expect(new RpcClient(transport, { topic: 't' }).canSendVersion('9.9'), 'no cap').to.equal(true);
  });

  it('a call above the cap fails with RpcVersionCapError before anything is sent', async () => {
    const client = new RpcClient(transport, { topic: 't' }, { versionCap: '1.2' }).prepare({ version: '1.4' });
    const error = await firstValueFrom(client.call('m')).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(RpcVersionCapError);
    const castError = await firstValueFrom(client.cast('m')).catch((e: unknown) => e);
    expect(castError).to.be.instanceOf(RpcVersionCapError);
  });

  it('prepare overrides target fields and options, keeping the rest', () => {
    const base = new RpcClient(transport, { topic: 't', exchange: 'e' }, { timeoutMs: 5000 });
    const p = base.prepare({ server: 's', fanout: true, timeoutMs: 100 });
    expect({ ...p.target }).to.deep.equal({ topic: 't', exchange: 'e', server: 's', fanout: true });
    expect(p.options.timeoutMs).to.equal(100);
    expect({ ...base.target }).to.deep.equal({ topic: 't', exchange: 'e' });
  });

  it('call() with fanout fails with InvalidTarget', async () => {
    const error = await firstValueFrom(new RpcClient(transport, { topic: 't', fanout: true }).call('m')).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(InvalidTarget);
  });
});
