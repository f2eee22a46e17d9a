import { parseKeypadMap } from './parse-keypad-map.ts';
import {
  parseBoolean,
  parseHostPort,
  parseIntIn,
  parseNonEmpty,
  parseOneOf,
  parsePin,
  parseServiceNumber,
  parseWorkerCount,
} from './parsers.ts';
import { parseApiKey, parseSecret } from './parse-secret.ts';
import { parseDirectoryUrl } from './parse-directory-url.ts';
import { parseAddressList, parseWordList } from './parse-lists.ts';
import { parseCountry, parseDestinations } from './parse-dial.ts';

/** One environment setting: its name, default, parser and the README's description of it. */
export interface SettingSpec<T> {
  readonly env: string;
  /** The default as text (parsed like a user value), or undefined when there is none. */
  readonly default: string | undefined;
  readonly parse: (value: string) => T;
  readonly description: string;
}

/** Keeps the literal type of `default`, so settings with a default are never `undefined`. */
function setting<T, const D extends string | undefined>(spec: SettingSpec<T> & { readonly default: D }): SettingSpec<T> & { readonly default: D } {
  return spec;
}

/** Every setting the server reads; `src/config` is the only reader of `process.env`. */
export const SETTINGS = {
  sipListen: setting({
    env: 'SIP_LISTEN',
    default: '127.0.0.1:5060',
    parse: parseHostPort,
    description: 'Address SIP listens on, UDP and TCP (embedded engine). Port 0 picks a free port.',
  }),
  sipTcp: setting({ env: 'SIP_TCP', default: 'true', parse: parseBoolean, description: 'Also accept SIP over TCP.' }),
  httpListen: setting({
    env: 'HTTP_LISTEN',
    default: '127.0.0.1:3000',
    parse: parseHostPort,
    description: 'Address of the HTTP API (and /docs).',
  }),
  dataDir: setting({
    env: 'DATA_DIR',
    default: './data',
    parse: parseNonEmpty,
    description: 'Where the database, spoken names and recordings are kept.',
  }),
  mediaEngine: setting({
    env: 'MEDIA_ENGINE',
    default: 'embedded',
    parse: parseOneOf(['embedded', 'freeswitch'] as const),
    description: '`embedded` (SIP, RTP and mixing in this process) or `freeswitch` (drachtio-server + FreeSWITCH).',
  }),
  rtpHost: setting({
    env: 'RTP_HOST',
    default: undefined,
    parse: parseNonEmpty,
    description: 'Address RTP binds to and advertises in SDP (default: the SIP_LISTEN host).',
  }),
  rtpPortMin: setting({
    env: 'RTP_PORT_MIN',
    default: '20000',
    parse: parseIntIn(1024, 65534),
    description: 'Lowest RTP port (even). Keep the range outside net.ipv4.ip_local_port_range.',
  }),
  rtpPortMax: setting({
    env: 'RTP_PORT_MAX',
    default: '29999',
    parse: parseIntIn(1025, 65535),
    description: 'Highest RTP port.',
  }),
  mediaTimeoutSeconds: setting({
    env: 'MEDIA_TIMEOUT_SECONDS',
    default: '30',
    parse: parseIntIn(0, 3600),
    description: 'Hang up a leg whose RTP stopped this long (not while on hold); 0 disables.',
  }),
  mediaWorkers: setting({
    env: 'MEDIA_WORKERS',
    default: '0',
    parse: parseWorkerCount,
    description: 'Embedded engine: media worker threads (legs and rooms; a room stays on one worker); `auto` is one per core. 0 keeps media on the main thread with SIP and HTTP.',
  }),
  logLevel: setting({
    env: 'LOG_LEVEL',
    default: 'info',
    parse: parseOneOf(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const),
    description: 'pino log level. Numbers, PINs and names are redacted at every level.',
  }),
  nameRecordSeconds: setting({
    env: 'NAME_RECORD_SECONDS',
    default: '3',
    parse: parseIntIn(1, 10),
    description: 'Longest spoken-name recording at join.',
  }),
  keypadMap: setting({
    env: 'KEYPAD_MAP',
    default: '1=toggle-self-mute,2=toggle-hand,3=hear-count,0=help,4=toggle-mute-all,5=toggle-lock,6=enter-billing-code,7=toggle-recording,8=toggle-recording-pause,9=end-conference,*=dial-out',
    parse: parseKeypadMap,
    description:
      'In-conference keys as `digit=action` pairs. Actions: toggle-self-mute, toggle-hand, hear-count, help (everyone); toggle-mute-all, toggle-lock, enter-billing-code (then digits and #), toggle-recording, toggle-recording-pause, end-conference, dial-out (then the number and #) (hosts).',
  }),
  pinTries: setting({
    env: 'PIN_TRIES',
    default: '3',
    parse: parseIntIn(1, 10),
    description: 'PIN entries one call may make before it hears goodbye and is hung up.',
  }),
  pinFirstDigitTimeoutSeconds: setting({
    env: 'PIN_FIRST_DIGIT_TIMEOUT_SECONDS',
    default: '10',
    parse: parseIntIn(1, 60),
    description: 'How long the PIN prompt waits for the first digit; an empty entry counts as a wrong PIN.',
  }),
  pinDigitTimeoutSeconds: setting({
    env: 'PIN_DIGIT_TIMEOUT_SECONDS',
    default: '5',
    parse: parseIntIn(1, 60),
    description: 'How long PIN entry waits for the next digit before it takes what was keyed.',
  }),
  lockoutCallerFailures: setting({
    env: 'LOCKOUT_CALLER_FAILURES',
    default: '5',
    parse: parseIntIn(1, 1000),
    description: 'Wrong PINs from one calling number within the window before that number is locked out.',
  }),
  lockoutSourceFailures: setting({
    env: 'LOCKOUT_SOURCE_FAILURES',
    default: '10',
    parse: parseIntIn(1, 10000),
    description: 'Wrong PINs from one source address (whatever numbers it presents) within the window before that address is locked out. A carrier trunk carries many callers from one address: set it high enough for them.',
  }),
  lockoutRoomFailures: setting({
    env: 'LOCKOUT_ROOM_FAILURES',
    default: '20',
    parse: parseIntIn(1, 10000),
    description: 'Wrong PINs on one service number within the window before it is locked for unknown callers (never for a caller who has joined the room before, nor for anyone while a host is in the room). Hosts and admins see and lift it (GET/DELETE /v1/rooms/{id}/pin-lockout).',
  }),
  drainGraceSeconds: setting({
    env: 'DRAIN_GRACE_SECONDS',
    default: '30',
    parse: parseIntIn(0, 3600),
    description: 'On SIGTERM/SIGINT: new calls are refused 503 with Retry-After, calls up hear a closing notice and may go on this long before they are hung up; then the process exits 0. 0 = hang up at once. A second signal cuts it short.',
  }),
  lockoutMaxDelaySeconds: setting({
    env: 'LOCKOUT_MAX_DELAY_SECONDS',
    default: '8',
    parse: parseIntIn(0, 60),
    description: 'Tarpit: past half of a PIN allowance the answer to each new entry waits 1 s, doubling, up to this; a caller the service-number lock refuses waits this long before being told. 0 = no delays.',
  }),
  lockoutWindowMinutes: setting({
    env: 'LOCKOUT_WINDOW_MINUTES',
    default: '15',
    parse: parseIntIn(1, 1440),
    description: 'The window in which wrong PINs are counted.',
  }),
  lockoutMinutes: setting({
    env: 'LOCKOUT_MINUTES',
    default: '15',
    parse: parseIntIn(1, 1440),
    description: 'How long a lockout lasts.',
  }),
  retentionMinMonths: setting({
    env: 'RETENTION_MIN_MONTHS',
    default: '1',
    parse: parseIntIn(1, 120),
    description: "Shortest retention an account may set for its service data (conferences, legs, names, numbers); shorter overrides are raised to it.",
  }),
  retentionMaxMonths: setting({
    env: 'RETENTION_MAX_MONTHS',
    default: '120',
    parse: parseIntIn(1, 120),
    description: 'Longest retention an account may set; longer overrides are cut to it. The default without an override is 12 months.',
  }),
  admissionSourceInvites: setting({
    env: 'ADMISSION_SOURCE_INVITES',
    default: '20',
    parse: parseIntIn(1, 100_000),
    description: 'New calls (INVITEs) one address may send within ADMISSION_SOURCE_WINDOW_SECONDS; the next one is answered 503 with Retry-After and the address is banned.',
  }),
  admissionSourceWindowSeconds: setting({
    env: 'ADMISSION_SOURCE_WINDOW_SECONDS',
    default: '2',
    parse: parseIntIn(1, 3600),
    description: 'The window of ADMISSION_SOURCE_INVITES.',
  }),
  admissionBanSeconds: setting({
    env: 'ADMISSION_BAN_SECONDS',
    default: '60',
    parse: parseIntIn(1, 86_400),
    description: 'How long a banned address gets no answer at all to its INVITEs.',
  }),
  admissionSourceNotFound: setting({
    env: 'ADMISSION_SOURCE_NOT_FOUND',
    default: '10',
    parse: parseIntIn(0, 100_000),
    description: 'Calls to unknown numbers (404) one address may make within a minute before it is banned (a number walk); 0 never bans for it.',
  }),
  admissionTrustedSources: setting({
    env: 'ADMISSION_TRUSTED_SOURCES',
    default: undefined,
    parse: parseAddressList,
    description: 'Addresses and CIDR ranges (trunks, proxies), comma-separated, that the per-address limits and bans never apply to.',
  }),
  admissionCallsPerSecond: setting({
    env: 'ADMISSION_CALLS_PER_SECOND',
    default: '50',
    parse: parseIntIn(0, 100_000),
    description: 'New calls accepted per second over all addresses; more are answered 503 with Retry-After. 0: no limit.',
  }),
  admissionMaxCalls: setting({
    env: 'ADMISSION_MAX_CALLS',
    default: '1000',
    parse: parseIntIn(0, 1_000_000),
    description: 'Calls up at once (in the IVR or joined); a new call beyond it is answered 503 with Retry-After. 0: no limit.',
  }),
  admissionMaxLoopLagMs: setting({
    env: 'ADMISSION_MAX_LOOP_LAG_MS',
    default: '250',
    parse: parseIntIn(0, 60_000),
    description: 'While the event loop (which also clocks the embedded media) lags more than this, new calls are answered 503 with Retry-After. 0: never.',
  }),
  admissionMaxLoopBusyPercent: setting({
    env: 'ADMISSION_MAX_LOOP_BUSY_PERCENT',
    default: '90',
    parse: parseIntIn(0, 100),
    description: 'While the event loop (SIP, the flows, HTTP) was busy more than this share of the last second, new calls are answered 503 with Retry-After: calls set up on a saturated loop would time out half-way. 0: never.',
  }),
  admissionMinIdleCpuPercent: setting({
    env: 'ADMISSION_MIN_IDLE_CPU_PERCENT',
    default: '0',
    parse: parseIntIn(0, 100),
    description: "While the media host had less idle CPU than this (this machine over the last second for the embedded engine; FreeSWITCH's machine as its `status` reports it, averaged over 3 s by freeswitch-conf), new calls are answered 503 with Retry-After, so the calls already in keep their audio. For a machine that runs nothing but the conference; 30 kept every caller clean on FreeSWITCH at 20 calls/s (README, Load benchmark); 0: never.",
  }),
  sipScannerUserAgents: setting({
    env: 'SIP_SCANNER_USER_AGENTS',
    default: 'friendly-scanner,sipvicious,sipcli,sip-scan,sundayddr,iwar,smap,vaxsipuseragent,pplsip',
    parse: parseWordList,
    description: 'User-Agent fragments (any case) of SIP scanners; their calls get no answer and leave no trace but a counter. `none` turns it off.',
  }),
  sipTcpMaxConnections: setting({
    env: 'SIP_TCP_MAX_CONNECTIONS',
    default: '1024',
    parse: parseIntIn(1, 100_000),
    description: 'SIP-over-TCP connections open at once; more are closed at once.',
  }),
  sipTcpMaxPerSource: setting({
    env: 'SIP_TCP_MAX_PER_SOURCE',
    default: '32',
    parse: parseIntIn(1, 100_000),
    description: 'SIP-over-TCP connections one address may hold open; more are closed at once.',
  }),
  sipTcpHeaderTimeoutSeconds: setting({
    env: 'SIP_TCP_HEADER_TIMEOUT_SECONDS',
    default: '5',
    parse: parseIntIn(1, 600),
    description: 'A SIP-over-TCP message (header section and body) not complete this long after its first byte closes the connection (slow senders).',
  }),
  sipTcpIdleSeconds: setting({
    env: 'SIP_TCP_IDLE_SECONDS',
    default: '120',
    parse: parseIntIn(1, 86_400),
    description: 'A SIP-over-TCP connection that carried no SIP message this long is closed (CRLF keep-alives do not count), unless a call uses it.',
  }),
  demoServiceNumber: setting({
    env: 'DEMO_SERVICE_NUMBER',
    default: '1000',
    parse: parseServiceNumber,
    description: 'Number (request-URI user) of the demo room seeded on first start.',
  }),
  demoParticipantPin: setting({
    env: 'DEMO_PARTICIPANT_PIN',
    default: '1234',
    parse: parsePin,
    description: 'Participant PIN of the demo room.',
  }),
  demoHostPin: setting({ env: 'DEMO_HOST_PIN', default: '9876', parse: parsePin, description: 'Host PIN of the demo room.' }),
  demoApiKey: setting({
    env: 'DEMO_API_KEY',
    default: undefined,
    parse: parseApiKey,
    description: 'API key of the demo host; generated, kept in DATA_DIR/demo-api-key and printed when unset.',
  }),
  freeswitchEsl: setting({
    env: 'FREESWITCH_ESL',
    default: undefined,
    parse: parseNonEmpty,
    description: 'FreeSWITCH event socket as host:port:password (MEDIA_ENGINE=freeswitch).',
  }),
  drachtioAddress: setting({
    env: 'DRACHTIO_ADDRESS',
    default: undefined,
    parse: parseNonEmpty,
    description: 'drachtio-server admin socket as host:port:secret (MEDIA_ENGINE=freeswitch).',
  }),
  freeswitchMediaAddress: setting({
    env: 'FREESWITCH_MEDIA_ADDRESS',
    default: undefined,
    parse: parseNonEmpty,
    description: 'Address FreeSWITCH can reach this process on (MEDIA_ENGINE=freeswitch).',
  }),
  allowDefaultSecrets: setting({
    env: 'ALLOW_DEFAULT_SECRETS',
    default: 'false',
    parse: parseBoolean,
    description: 'Development only: allow the well-known FreeSWITCH/drachtio default secrets.',
  }),
  operatorApiKey: setting({
    env: 'OPERATOR_API_KEY',
    default: undefined,
    parse: parseApiKey,
    description: 'The operator key (accounts, service numbers); generated and kept in DATA_DIR/operator-api-key when unset.',
  }),
  serverSecret: setting({
    env: 'SERVER_SECRET',
    default: undefined,
    parse: parseSecret,
    description: 'Key of the PIN hashes (at least 32 bytes, base64 or hex); generated and kept in DATA_DIR/server-secret when unset. Changing it invalidates every PIN.',
  }),
  apiRequestsPerMinute: setting({
    env: 'API_REQUESTS_PER_MINUTE',
    default: '1800',
    parse: parseIntIn(1, 1_000_000),
    description: 'API requests per minute from one source address; more are answered 429 with Retry-After.',
  }),
  apiKeyRequestsPerMinute: setting({
    env: 'API_KEY_REQUESTS_PER_MINUTE',
    default: '1200',
    parse: parseIntIn(1, 1_000_000),
    description: 'API requests per minute with one API key or session, from any address; more are answered 429 with Retry-After.',
  }),
  apiAuthFailuresPerMinute: setting({
    env: 'API_AUTH_FAILURES_PER_MINUTE',
    default: '20',
    parse: parseIntIn(1, 100_000),
    description: 'Failed authentications (401) per minute from one address: past 3 its requests are slowed (0.1 s more each, up to 2 s), past this it is answered 429 until the minute is over.',
  }),
  sessionHours: setting({
    env: 'SESSION_HOURS',
    default: '12',
    parse: parseIntIn(1, 24 * 30),
    description: 'How long a browser session lasts after sign-in.',
  }),
  loginAttemptsPerMinute: setting({
    env: 'LOGIN_ATTEMPTS_PER_MINUTE',
    default: '10',
    parse: parseIntIn(1, 1000),
    description: 'Sign-in attempts allowed per minute from one address, and for one email.',
  }),
  webhookAllowPrivate: setting({
    env: 'WEBHOOK_ALLOW_PRIVATE',
    default: 'false',
    parse: parseBoolean,
    description: 'Let webhooks reach loopback, private, link-local and other reserved addresses (refused by default: SSRF). For tests and closed networks.',
  }),
  webhookTimeoutSeconds: setting({
    env: 'WEBHOOK_TIMEOUT_SECONDS',
    default: '10',
    parse: parseIntIn(1, 60),
    description: 'How long one webhook attempt may take before it counts as failed.',
  }),
  webhookConcurrency: setting({
    env: 'WEBHOOK_CONCURRENCY',
    default: '8',
    parse: parseIntIn(1, 256),
    description: 'Webhook attempts in flight at once, over all endpoints (2 at most to one endpoint).',
  }),
  webhookRetryBaseSeconds: setting({
    env: 'WEBHOOK_RETRY_BASE_SECONDS',
    default: '10',
    parse: parseIntIn(1, 3600),
    description: 'Wait before the first webhook retry; each next wait doubles (with jitter), at most an hour.',
  }),
  webhookRetryHours: setting({
    env: 'WEBHOOK_RETRY_HOURS',
    default: '24',
    parse: parseIntIn(1, 168),
    description: 'How long a webhook delivery is retried after its event before it is marked failed.',
  }),
  metricsListen: setting({
    env: 'METRICS_LISTEN',
    default: undefined,
    parse: parseHostPort,
    description: 'Also serve /metrics without a key on this address (e.g. 127.0.0.1:9464); /metrics on the API always needs the operator key.',
  }),
  readyMinFreeMb: setting({
    env: 'READY_MIN_FREE_MB',
    default: '200',
    parse: parseIntIn(0, 1_000_000),
    description: '/readyz answers 503 when DATA_DIR has less free disk space than this (recordings need room).',
  }),
  nameDirectoryUrl: setting({
    env: 'NAME_DIRECTORY_URL',
    default: undefined,
    parse: parseDirectoryUrl,
    description:
      'A third-party directory that names callers by number: an http(s) URL with {number} where the E.164 number goes; it answers 200 {"name": "…"}. Only the number is sent; withheld numbers never. Off when unset.',
  }),
  nameDirectoryTimeoutMs: setting({
    env: 'NAME_DIRECTORY_TIMEOUT_MS',
    default: '800',
    parse: parseIntIn(50, 1000),
    description: 'How long a directory look-up may take, ms (at most 1000); the join never waits for it.',
  }),
  smtpUrl: setting({
    env: 'SMTP_URL',
    default: undefined,
    parse: parseNonEmpty,
    description: 'SMTP server for the post-conference email to the host, e.g. smtps://user:pass@mail.example.com:465 (nodemailer URL). Off when unset.',
  }),
  emailFrom: setting({
    env: 'EMAIL_FROM',
    default: 'Dialbridge <no-reply@localhost>',
    parse: parseNonEmpty,
    description: 'The From address of the post-conference email.',
  }),
  publicUrl: setting({
    env: 'PUBLIC_URL',
    default: undefined,
    parse: parseNonEmpty,
    description: "The server's public base URL, for links in emails (default: the HTTP_LISTEN address).",
  }),
  defaultCountry: setting({
    env: 'DEFAULT_COUNTRY',
    default: undefined,
    parse: parseCountry,
    description: 'Country (GB, DE, US…) of numbers received or typed in national format when no trunk says otherwise; unset: only international numbers are normalised.',
  }),
  trunkOpenInbound: setting({
    env: 'TRUNK_OPEN_INBOUND',
    default: 'true',
    parse: parseBoolean,
    description: "Development: accept SIP calls from any address, not only from a trunk's ranges (the demo default; warned at start). Set false in production: others get 403.",
  }),
  dialDestinations: setting({
    env: 'DIAL_DESTINATIONS',
    default: '*',
    parse: parseDestinations,
    description: 'Dial-out allow-list of the operator: `*`, countries (GB) or E.164 prefixes (+4420), comma-separated. Accounts may narrow it.',
  }),
  dialMaxConcurrent: setting({
    env: 'DIAL_MAX_CONCURRENT',
    default: '10',
    parse: parseIntIn(0, 10_000),
    description: 'Outbound legs in progress at once per account (accounts may set less).',
  }),
  dialMaxPerRoom: setting({
    env: 'DIAL_MAX_PER_ROOM',
    default: '5',
    parse: parseIntIn(0, 1000),
    description: 'Dial-outs in progress at once in one room.',
  }),
  dialAttemptsPerHour: setting({
    env: 'DIAL_ATTEMPTS_PER_HOUR',
    default: '60',
    parse: parseIntIn(0, 100_000),
    description: 'Dial-out attempts per account per hour, refused or placed.',
  }),
  dialRingSeconds: setting({
    env: 'DIAL_RING_SECONDS',
    default: '30',
    parse: parseIntIn(1, 300),
    description: 'How long a dial-out rings before it ends as no answer.',
  }),
  dialAttemptsPerDay: setting({
    env: 'DIAL_ATTEMPTS_PER_DAY',
    default: '300',
    parse: parseIntIn(0, 1_000_000),
    description: 'Dial-out attempts per account per day, refused or placed.',
  }),
} as const;

/** The parsed configuration. */
export type Config = {
  readonly [K in keyof typeof SETTINGS]: (typeof SETTINGS)[K] extends SettingSpec<infer T>
    ? (typeof SETTINGS)[K]['default'] extends string
      ? T
      : T | undefined
    : never;
};
