/**
 * The guarded load of the optional @opentelemetry/api peer dependency.
 */
import { expect } from 'chai';
import * as otel from '@opentelemetry/api';
import { OTEL_API_MODULE, loadOtelApi, otelApi } from '../../../lib/tracing/otel-api';

/** What Node's require throws for a module that is not installed. */
function notFound(id: string): Error {
  return Object.assign(new Error(`Cannot find module '${id}'\nRequire stack:\n- lib/tracing/otel-api.ts`), { code: 'MODULE_NOT_FOUND' });
}

describe('loadOtelApi', () => {
  it('returns undefined when @opentelemetry/api is not installed (oslo-rx then traces nothing)', () => {
    let asked: string | undefined;
    const api = loadOtelApi((id) => {
      asked = id;
      throw notFound(id);
    });
    expect(asked).to.equal(OTEL_API_MODULE);
    expect(api).to.equal(undefined);
  });

  it('throws what loading it threw for any other reason (a broken install is not hidden)', () => {
    const broken = Object.assign(new Error('Unexpected token'), { code: 'ERR_SYNTAX' });
    expect(() => loadOtelApi(() => { throw broken; })).to.throw('Unexpected token');
    // a dependency of the API missing is not the API missing
    expect(() => loadOtelApi(() => { throw notFound('some-other-module'); })).to.throw("Cannot find module 'some-other-module'");
  });

  it('returns undefined for a module that is not the API', () => {
    expect(loadOtelApi(() => ({}))).to.equal(undefined);
    expect(loadOtelApi(() => undefined)).to.equal(undefined);
  });

  it('loads the installed API by default, once', () => {
    expect(loadOtelApi()?.trace).to.equal(otel.trace);
    expect(otelApi()).to.equal(otelApi());
    expect(otelApi()?.propagation).to.equal(otel.propagation);
  });
});
