import { expect } from 'chai';
import { chooseAddressingMode } from '../../../lib/addressing';
import { addressFixtures } from './fixtures';

describe('chooseAddressingMode', () => {
  for (const { mode, properties, expected } of addressFixtures.modes) {
    it(`${mode} with ${JSON.stringify(properties)} gives ${expected}, as in Python`, () => {
      expect(chooseAddressingMode(mode, properties)).to.equal(expected);
    });
  }

  it('dynamic: no properties at all counts as qpid-cpp (legacy)', () => {
    expect(chooseAddressingMode('dynamic', undefined)).to.equal('legacy');
    expect(chooseAddressingMode('dynamic', { product: undefined })).to.equal('legacy');
  });

  it('dynamic: the observed products of WIRE.md §0.5 all give routable', () => {
    for (const product of ['ActiveMQ', 'RabbitMQ', 'qpid-dispatch-router']) {
      expect(chooseAddressingMode('dynamic', { product })).to.equal('routable');
    }
  });

  it('dynamic: a product present but null gives routable (Python .get returns the None)', () => {
    expect(chooseAddressingMode('dynamic', { product: null })).to.equal('routable');
  });
});
