import { expect } from 'chai';
import fc from 'fast-check';
import {
  DEFAULT_FAILURE_MODULE, type FailureInfo, type PythonExceptionInfo, failureFromError, jsonLoads, parseFailure, serializeFailure,
} from '../../../lib/wire';
import { type RpcFixtures, loadFixture } from './fixtures';

const { failures } = loadFixture<RpcFixtures>('rpc');
const fixture = (name: string) => failures.find((f) => f.name === name)!;

/** A JS error standing for the Python exception of a fixture, with the same traceback lines. */
function standIn(f: RpcFixtures['failures'][number]): Error & PythonExceptionInfo {
  return Object.assign(new Error(f.parsed.message), {
    pythonClass: f.raisedClass, pythonModule: f.raisedModule, pythonArgs: f.parsed.args,
    pythonKwargs: f.parsed.kwargs, pythonTraceback: f.parsed.tb,
  });
}

describe('failures (oslo serialize_remote_exception format)', () => {
  describe('serialization is byte-identical to Python for', () => {
    for (const f of failures) {
      it(f.name, () => {
        expect(serializeFailure(failureFromError(standIn(f)))).to.equal(f.failure);
      });
    }
  });

  it('strips _Remote from class and module only when both carry it', () => {
    const remote = fixture('re-raised _Remote');
    expect(remote.raisedClass).to.equal('NoSuchMethod_Remote');
    const info = failureFromError(standIn(remote));
    expect([info.className, info.module]).to.deep.equal(['NoSuchMethod', 'oslo_messaging.rpc.dispatcher']);
    const half = failureFromError(Object.assign(new Error('m'), { pythonClass: 'X_Remote', pythonModule: 'mod' }));
    expect(half.className).to.equal('X_Remote');
  });

  describe('parses Python failures', () => {
    for (const f of failures) {
      it(f.name, () => {
        expect(parseFailure(f.failure)).to.deep.equal({
          _tag: 'Right',
          right: {
            className: f.parsed.class, module: f.parsed.module, message: f.parsed.message,
            traceback: f.parsed.tb, args: f.parsed.args, kwargs: f.parsed.kwargs,
          },
        });
      });
    }
  });

  it('a plain JS error: class = name, module oslo_rx, args [message], a Python-style traceback', () => {
    function resize(): never {
      throw new TypeError('bad size');
    }
    let err: unknown;
    try {
      resize();
    } catch (e) {
      err = e;
    }
    const info = failureFromError(err);
    expect(info.className).to.equal('TypeError');
    expect(info.module).to.equal(DEFAULT_FAILURE_MODULE);
    expect(info.message).to.equal('bad size');
    expect(info.args).to.deep.equal(['bad size']);
    expect(info.kwargs).to.deep.equal({});
    expect(info.traceback[0]).to.equal('Traceback (most recent call last):\n');
    expect(info.traceback[info.traceback.length - 1]).to.equal('oslo_rx.TypeError: bad size\n');
    expect(info.traceback.slice(-2)[0]).to.match(/^ {2}File ".*failure\.spec\.ts", line \d+, in resize\n$/);
    for (const line of info.traceback) expect(line.endsWith('\n')).to.equal(true);
    const dict = jsonLoads(serializeFailure(info)) as Record<string, unknown>;
    expect(Object.keys(dict)).to.deep.equal(['class', 'module', 'message', 'tb', 'args', 'kwargs']);
  });

  it('builtins keep the bare class name in the last traceback line, like Python', () => {
    const info = failureFromError(Object.assign(new Error(''), { pythonClass: 'RuntimeError', pythonModule: 'builtins', stack: undefined }));
    expect(info.traceback).to.deep.equal(['RuntimeError\n']);
    expect(info.args).to.deep.equal([]);
    expect(serializeFailure(info)).to.equal('{"class": "RuntimeError", "module": "builtins", "message": "", "tb": ["RuntimeError\\n"], "args": [], "kwargs": {}}');
  });

  it('thrown non-errors and odd fields still give a failure', () => {
    expect(failureFromError('just a string')).to.include({ className: 'Error', message: 'just a string' });
    expect(failureFromError(undefined)).to.include({ className: 'Error', message: 'undefined' });
    const odd = failureFromError({ name: 5, pythonClass: 7, pythonArgs: 'x', pythonKwargs: [1] });
    expect(odd).to.include({ className: 'Error', module: 'oslo_rx' });
    expect(odd.kwargs).to.deep.equal({});
    const hostile = new Proxy({}, { get() { throw new Error('no'); } });
    expect(failureFromError(hostile).className).to.equal('Error');
  });

  it('args or kwargs that cannot be JSON fall back to [message] and {}', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    const info: FailureInfo = { className: 'E', module: 'm', message: 'msg', traceback: [], args: [cyclic], kwargs: {} };
    expect(jsonLoads(serializeFailure(info))).to.deep.include({ args: ['msg'], kwargs: {} });
  });

  it('parseFailure: oslo defaults, exceptions → builtins, clear errors', () => {
    expect(parseFailure('{"class": "ValueError", "module": "exceptions"}')).to.deep.equal({
      _tag: 'Right', right: { className: 'ValueError', module: 'builtins', message: '', traceback: [], args: [], kwargs: {} },
    });
    const reason = (text: string): string => {
      const r = parseFailure(text);
      expect(r._tag, text).to.equal('Left');
      return (r as { left: { reason: string } }).left.reason;
    };
    expect(reason('{"module": "m"}')).to.equal('RPC failure: class: expected string, got nothing');
    expect(reason('{"class": "C", "module": "m", "tb": "x"}')).to.equal('RPC failure: tb: expected Array<string>, got string');
    expect(reason('[1]')).to.match(/RPC failure: body: expected/);
    expect(reason('{"class": "s3cret"')).to.match(/not valid JSON/).and.not.include('s3cret');
  });

  it('property: failure of any error round-trips through its string', () => {
    const info = fc.record({
      className: fc.string(), module: fc.string(), message: fc.string(), traceback: fc.array(fc.string()),
      args: fc.array(fc.jsonValue()), kwargs: fc.dictionary(fc.string(), fc.jsonValue()),
    });
    fc.assert(fc.property(info, (i) => {
      const back = parseFailure(serializeFailure(i));
      expect(back).to.deep.equal({ _tag: 'Right', right: { ...i, module: i.module === 'exceptions' ? 'builtins' : i.module } });
    }), { numRuns: 200 });
  });

  it('property: parseFailure and failureFromError never throw', () => {
    fc.assert(fc.property(fc.oneof(fc.string(), fc.json(), fc.jsonValue().map((v) => JSON.stringify(v))), (s) => {
      parseFailure(s);
    }), { numRuns: 500 });
    fc.assert(fc.property(fc.anything(), (v) => {
      expect(failureFromError(v).className).to.be.a('string');
    }), { numRuns: 300 });
  });
});
