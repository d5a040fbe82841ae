import { expect } from 'chai';
import { InvalidTransportURL, parseMessengerAddress } from '../../lib';

describe('parseMessengerAddress', () => {
  it('reads a node address: host, port, node (percent-decoded path), key without the password', () => {
    expect(parseMessengerAddress('amqp://us%40er:p%3Ass@broker-1:5673/orders%2Fnew')).to.deep.equal({
      kind: 'remote',
      scheme: 'amqp',
      host: { hostname: 'broker-1', port: 5673, username: 'us@er', password: 'p:ss' },
      node: 'orders/new',
      hostPort: 'broker-1:5673',
      key: 'amqp://us%40er@broker-1:5673',
    });
  });

  it('keeps a leading slash of the node after the first one (RabbitMQ `/topic/` addresses), defaults the port by scheme', () => {
    expect(parseMessengerAddress('amqp://h//topic/news')).to.include({ node: '/topic/news', key: 'amqp://h:5672' });
    expect(parseMessengerAddress('amqps://[::1]/n')).to.include({ node: 'n', hostPort: '[::1]:5671', key: 'amqps://[::1]:5671' });
  });

  it('reads a listen address: host, port (0 allowed), and the one user of its credentials', () => {
    expect(parseMessengerAddress('amqp://~0.0.0.0:5672')).to.deep.equal({ kind: 'listen', host: '0.0.0.0', port: 5672 });
    expect(parseMessengerAddress('amqp://~127.0.0.1:0')).to.deep.equal({ kind: 'listen', host: '127.0.0.1', port: 0 });
    expect(parseMessengerAddress('amqp://~[::1]:0')).to.deep.equal({ kind: 'listen', host: '::1', port: 0 });
    expect(parseMessengerAddress('amqp://~localhost')).to.deep.equal({ kind: 'listen', host: 'localhost', port: 5672 });
    expect(parseMessengerAddress('amqp://alice:s3cret@~127.0.0.1:0')).to.deep.equal({ kind: 'listen', host: '127.0.0.1', port: 0, users: { alice: 's3cret' } });
  });

  for (const bad of ['orders', 'http://h/n', 'amqp://h', 'amqp://h/', 'amqp://h1,h2/n', 'amqp://h/n?x=1', 'amqp://h:0/n', 'amqp://~h/n', 'amqps://~h:0', 'amqp://~:0', 'amqp://~h:65536']) {
    it(`refuses ${bad} with InvalidTransportURL`, () => {
      expect(() => parseMessengerAddress(bad)).to.throw(InvalidTransportURL);
    });
  }

  it('never shows the password in its errors', () => {
    expect(() => parseMessengerAddress('amqp://u:secret@h1,h2/n')).to.throw(InvalidTransportURL).with.property('message').that.does.not.include('secret');
  });
});
