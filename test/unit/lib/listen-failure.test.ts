import t from 'tap';
import { listenFailure } from '../../../src/lib/listen-failure.ts';

const errno = (code: string): Error => Object.assign(new Error(`listen ${code}`), { code });

t.test('a bind failure is one line naming service, address, port, transport and errno', async (t) => {
  const cases: [Error, string][] = [
    [errno('EADDRINUSE'), 'SIP 127.0.0.1:5060/udp is in use (EADDRINUSE)'],
    [errno('EACCES'), 'SIP 127.0.0.1:5060/udp may not be used by this user (ports below 1024 need root or CAP_NET_BIND_SERVICE) (EACCES)'],
    [errno('EADDRNOTAVAIL'), 'SIP 127.0.0.1:5060/udp is not an address of this machine (EADDRNOTAVAIL)'],
    [errno('EWEIRD'), 'SIP 127.0.0.1:5060/udp could not be bound: listen EWEIRD (EWEIRD)'],
    [new Error('boom'), 'SIP 127.0.0.1:5060/udp could not be bound: boom'],
  ];
  for (const [err, message] of cases) {
    const failure = listenFailure(err, { service: 'SIP', host: '127.0.0.1', port: 5060, transport: 'udp' });
    t.equal(failure.code, 'LISTEN_FAILED');
    t.equal(failure.message, message);
    t.notMatch(failure.message, /\n/);
  }
});

t.test('an IPv6 address is bracketed', async (t) => {
  t.equal(listenFailure(errno('EADDRINUSE'), { service: 'HTTP', host: '::1', port: 3000, transport: 'tcp' }).message, 'HTTP [::1]:3000/tcp is in use (EADDRINUSE)');
});
