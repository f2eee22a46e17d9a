/**
 * The engine contract against the FreeSWITCH engine, when FREESWITCH_ESL (host:port:password)
 * and DRACHTIO_ADDRESS (host:port:secret) point at live servers; skipped otherwise.
 */
import t from 'tap';
import { runEngineContract } from './engine-contract.ts';

const esl = process.env.FREESWITCH_ESL ?? '';
const drachtio = process.env.DRACHTIO_ADDRESS ?? '';

if (esl === '' || drachtio === '') {
  // A skip, not a pass: the runner's counts must say the suite did not run.
  t.test('freeswitch engine contract', { skip: 'FreeSWITCH not configured: set FREESWITCH_ESL and DRACHTIO_ADDRESS' }, () => undefined);
} else {
  // Imported only when configured, so the suite loads without the vendor stack.
  const { createFreeswitchEngine, freeswitchOptionsFromEnv } = await import('../../src/engines/freeswitch/index.ts');
  const options = freeswitchOptionsFromEnv({ FREESWITCH_ESL: esl, DRACHTIO_ADDRESS: drachtio, ...(process.env.FREESWITCH_MEDIA_ADDRESS === undefined ? {} : { FREESWITCH_MEDIA_ADDRESS: process.env.FREESWITCH_MEDIA_ADDRESS }) });
  t.setTimeout(600_000);
  if (options === null) throw new Error('FREESWITCH_ESL and DRACHTIO_ADDRESS are set but gave no options');
  runEngineContract(t, 'freeswitch', () => Promise.resolve(createFreeswitchEngine({ ...options, development: true })));
}
